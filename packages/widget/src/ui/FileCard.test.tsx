import type { VisitorFile } from '@elitewebchat/protocol/browser';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { ChatController } from '../controller';
import { agentFileUrl } from '../files';
import { translator, type Lang } from '../i18n';
import { AppContext } from './context';
import { FileCard } from './FileCard';

const ORIGIN = 'https://chat.example.com';
const HOSTILE = '<img src=x onerror="window.hacked=1">';
const file = (over: Partial<VisitorFile> = {}): VisitorFile => ({ name: '报价.pdf', type: 'pdf', size: 20_480, url: '/webchat/files/Zx8_k3-Qm2Lp9Tr4Vw1Ya6Bc', ...over });
// FileCard asks the controller for one thing only: where the file is.
const c = { fileUrl: (url: string) => agentFileUrl(url, ORIGIN) } as unknown as ChatController;
const html = (f: VisitorFile, lang: Lang = 'en') =>
  renderToStaticMarkup(
    <AppContext.Provider value={{ c, t: translator(lang), lang }}>
      <FileCard file={f} />
    </AppContext.Provider>,
  );
/** The opening tag of the element with that test id (an attribute may hold a ">"). */
const tag = (markup: string, testId: string) => new RegExp(`<\\w+ (?:[^"<>]|"[^"]*")*data-testid="${testId}"(?:[^"<>]|"[^"]*")*>`).exec(markup)?.[0] ?? '';

describe('FileCard', () => {
  it('shows the name as text, the format and the size, and downloads from the platform', () => {
    const out = html(file({ name: `合同${HOSTILE}.pdf` }));
    expect(out).toContain('合同&lt;img src=x onerror=&quot;window.hacked=1&quot;>.pdf');
    expect(out).not.toContain('<img');
    expect(out).toContain('>PDF<');
    expect(out).toContain('>20 KB<');
    const link = tag(out, 'file-download');
    expect(link).toContain(`href="${ORIGIN}/webchat/files/Zx8_k3-Qm2Lp9Tr4Vw1Ya6Bc"`);
    expect(link).toContain('download="合同&lt;img src=x onerror=&quot;window.hacked=1&quot;>.pdf"');
    expect(link).toContain('rel="noopener noreferrer"');
    expect(link).not.toContain('target=');
    expect(out).toContain('>Download<');
  });

  it('says the size for people, in both languages', () => {
    expect(html(file({ size: 300 }))).toContain('>300 B<');
    expect(html(file({ size: 2_621_440 }))).toContain('>2.5 MB<');
    const zh = html(file(), 'zh-CN');
    expect(zh).toContain('>下载<');
    expect(tag(zh, 'file-download')).toContain('aria-label="下载 报价.pdf（20 KB）"');
  });

  it('links nothing but an agent’s file on the platform', () => {
    for (const url of ['javascript:alert(1)', 'https://evil.example/x.pdf', '/api/v1/webchat/web/images/3']) {
      const out = html(file({ url }));
      expect(out, url).not.toContain('<a');
      expect(out).not.toContain(url);
      expect(out).toContain('This file cannot be downloaded here.');
    }
  });
});
