import { describe, expect, it } from 'vitest';
import { renderIn } from '../ui/test-render';
import { AttachButton } from './AttachButton';
import { UploadTray } from './UploadTray';
import type { FileSend } from './useAttachments';

const HOSTILE = '<img src=x onerror="window.hacked=1">';
const send = (over: Partial<FileSend>): FileSend => ({ key: 1, name: 'a.pdf', size: 20_480, percent: 0, problem: null, ...over });

describe('the attach button', () => {
  it('is a labelled button over a hidden file input, in both languages', () => {
    const en = renderIn('en', <AttachButton disabled={false} onFiles={() => undefined} />);
    expect(en).toMatch(/<button[^>]*aria-label="Send an image or a file"[^>]*data-testid="attach-button"/);
    expect(en).toMatch(/<input type="file" multiple="" hidden="" tabindex="-1" aria-label="Send an image or a file" data-testid="attach-input"\/>/);
    expect(renderIn('zh-CN', <AttachButton disabled={false} onFiles={() => undefined} />)).toContain('aria-label="发送图片或文件"');
    expect(renderIn('en', <AttachButton disabled onFiles={() => undefined} />)).toMatch(/<button[^>]*disabled=""/);
  });
});

describe('the upload tray', () => {
  it('shows nothing when nothing is on its way', () => {
    expect(renderIn('en', <UploadTray sends={[]} onDismiss={() => undefined} />)).toBe('');
  });

  it('shows how far a file is, its name as text', () => {
    const out = renderIn('en', <UploadTray sends={[send({ name: `报价${HOSTILE}.pdf`, percent: 42 })]} onDismiss={() => undefined} />);
    expect(out).toContain('data-state="sending"');
    expect(out).toContain('报价&lt;img src=x onerror=&quot;window.hacked=1&quot;&gt;.pdf');
    expect(out).not.toContain('<img');
    expect(out).toMatch(/<progress max="100" value="42" aria-label="Sending 报价/);
    expect(out).toContain('Sending… 42%');
    expect(out).toContain('20 KB');
  });

  it('says why a file was refused, in the console’s language, with the limit', () => {
    const tooLarge = send({ problem: { key: 'upload.tooLarge', values: { limit: 20 * 1024 * 1024 } } });
    expect(renderIn('en', <UploadTray sends={[tooLarge]} onDismiss={() => undefined} />)).toContain('Not sent: the file is larger than the 20 MB the platform takes.');
    expect(renderIn('zh-CN', <UploadTray sends={[tooLarge]} onDismiss={() => undefined} />)).toContain('未发送：文件超过了平台允许的 20 MB。');
    const html = send({ name: 'page.html', problem: { key: 'upload.unsupported', values: { types: 'PDF, PNG' } } });
    const out = renderIn('en', <UploadTray sends={[html]} onDismiss={() => undefined} />);
    expect(out).toContain('data-state="failed" data-problem="upload.unsupported"');
    expect(out).toMatch(/role="alert" data-testid="upload-error">Not sent: this format isn’t taken. The platform takes PDF, PNG; never HTML, SVG, scripts or programs.</);
    expect(out).toContain('data-testid="upload-dismiss"');
    expect(out).not.toContain('<progress');
    expect(renderIn('zh-CN', <UploadTray sends={[html]} onDismiss={() => undefined} />)).toContain('未发送：不支持此格式。');
  });
});
