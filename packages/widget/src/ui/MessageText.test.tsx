import { EMOTICONS } from '@elitewebchat/protocol/browser';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { httpUrl, MessageText } from './MessageText';

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

describe('httpUrl', () => {
  it('accepts absolute http(s) without credentials only', () => {
    expect(httpUrl('https://example.com/a.png')).toBe('https://example.com/a.png');
    for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '/relative.png', 'https://u:p@example.com/a.png']) expect(httpUrl(bad)).toBeNull();
  });
});
