import { EMOTICONS } from '@elitewebchat/protocol/browser';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { httpUrl } from '@elitewebchat/protocol/browser';
import { MessageText } from './MessageText';

const html = (text: string, lang: 'en' | 'zh-CN' = 'zh-CN') => renderToStaticMarkup(<MessageText text={text} lang={lang} />);

describe('MessageText', () => {
  it('shows an onerror image tag as the characters typed, never as an element', () => {
    const out = html('<img src=x onerror=alert(1)>');
    expect(out).toBe('<span class="msg-text">&lt;img src=x onerror=alert(1)></span>');
    // No element but the wrapper: every "<" the customer typed is text.
    expect(out.replace(/^<span class="msg-text">/, '').replace(/<\/span>$/, '')).not.toContain('<');
  });

  it('shows markup as text', () => {
    const out = html('<b>x</b><script>alert(1)</script> & <svg onload=alert(1)> <iframe src="javascript:alert(1)">');
    expect(out).not.toContain('<b>');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<svg');
    expect(out).not.toContain('<iframe');
    expect(out).toContain('&lt;b>x&lt;/b>&lt;script>alert(1)&lt;/script> &amp; &lt;svg onload=alert(1)>');
  });

  it('draws emoticon codes as their picture, named in the page language', () => {
    const zh = html('hi /::) and /:<W>');
    expect(zh).toContain('role="img" title="微笑" aria-label="微笑" data-emoticon-id="0"');
    expect(zh).toContain('😊');
    expect(zh).not.toContain('/::)');
    const en = html('/::)', 'en');
    expect(en).toContain(`aria-label="${EMOTICONS[0]?.en}"`);
  });

  it('reads codes that hold markup characters as emoticons, not markup', () => {
    // /::< is "Sob", /::> is "Laugh": a naive HTML reading would see a tag between them.
    const out = html('/::<b>/::>', 'en');
    expect(out).toContain('aria-label="Sob"');
    expect(out).toContain('aria-label="Laugh"');
    expect(out).toContain('b>');
    expect(out).not.toContain('<b>');
  });

  it('shows a custom emoticon from an http(s) address only, and nothing else as an image', () => {
    expect(html("<img src='https://example.com/e.png'>")).toContain('<img class="custom-emo" src="https://example.com/e.png" alt');
    const bad = html("<img src='javascript:alert(1)'>");
    expect(bad).not.toMatch(/<img/);
    expect(bad).toContain('&lt;img src=');
  });
});

const RUN = 'window.__xss=1';

/** Known payloads (the console's browser corpus, e2e/xss.test.ts, in short). */
const PAYLOADS = [
  `<script>${RUN}</script>`,
  `<img src=x onerror=${RUN}>`,
  `<img src='x' onerror='${RUN}'>`,
  `<IMG SRC="x" ONERROR="${RUN}">`,
  `<img src='x'onerror='${RUN}'>`,
  `<img src='javascript:${RUN}'>`,
  `<img src='jav&#x61;script:${RUN}'>`,
  `<img src=' javascript:${RUN}'>`,
  `<img src='data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="${RUN}"/>'>`,
  `<img src='//evil.example/x.gif' onload='${RUN}'>`,
  `<img src='https://evil.example/x.gif' onerror='${RUN}'>`,
  `<img src='https://evil.example/x.gif'/onerror='${RUN}'>`,
  `<img src="https://evil.example/a.gif" style="position:fixed;inset:0">`,
  `<svg onload=${RUN}>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${RUN}>`,
  `<noscript><p title="</noscript><img src=x onerror=${RUN}>">`,
  `<iframe srcdoc="<script>parent.${RUN}</script>"></iframe>`,
  `<a href="javascript:${RUN}">click</a>`,
  `<style>body{display:none}</style>`,
  `<base href="https://evil.example/">`,
  `&lt;img src=x onerror=${RUN}&gt;`,
  `"><img src=x onerror=${RUN}>`,
  `<<script>script>${RUN}<</script>/script>`,
  `<img src='/::)' onerror='${RUN}'>`,
  `/::< <img src=x onerror=${RUN}> /:<W>`,
];

/** Every element in the markup: only our wrapper, emoticon spans and safe custom emoticons. */
function elements(markup: string): string[] {
  return [...markup.matchAll(/<([a-z]+)\b[^>]*>/gi)].map((m) => m[0]);
}
const ALLOWED = [
  /^<span class="msg-text">$/,
  /^<span class="emo" role="img" title="[^"<>]*" aria-label="[^"<>]*" data-emoticon-id="\d+">$/,
  /^<img class="custom-emo" src="https:\/\/[^"<>\s]+" alt referrerpolicy="no-referrer" loading="lazy" decoding="async"\/>$/,
];

describe('the XSS corpus', () => {
  it.each(PAYLOADS)('%s is shown as text', (payload) => {
    const out = html(payload);
    for (const el of elements(out)) expect(ALLOWED.some((re) => re.test(el)), el).toBe(true);
    expect(out).not.toMatch(/<[^>]*\son[a-z]+=/i);
  });

  it('would see an element that got through', () => {
    const allowed = (el: string) => ALLOWED.some((re) => re.test(el));
    expect(elements('<span class="msg-text"><img src=x onerror=y></span>').every(allowed)).toBe(false);
    expect(elements('<span class="msg-text"><img class="custom-emo" src="javascript:x" alt/></span>').every(allowed)).toBe(false);
  });
});

describe('httpUrl', () => {
  it('accepts absolute http(s) without credentials only', () => {
    expect(httpUrl('https://example.com/a.png')).toBe('https://example.com/a.png');
    for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '/relative.png', 'https://u:p@example.com/a.png']) expect(httpUrl(bad)).toBeNull();
  });
});
