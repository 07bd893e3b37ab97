import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MessageText, previewText } from './MessageText';
import { httpUrl } from '@elitewebchat/protocol/browser';

const html = (text: string) => renderToStaticMarkup(<MessageText text={text} />);

describe('MessageText', () => {
  it('shows markup as the characters typed', () => {
    const out = html('<b>x</b><script>alert(1)</script> & <style>body{}</style>');
    expect(out).not.toContain('<b>');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<style');
    expect(out).toContain('&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;style&gt;');
  });
  it('draws emoticon codes as their picture with the Chinese name', () => {
    const out = html('hi /::) and /:<W>');
    expect(out).toContain('role="img" title="微笑" aria-label="微笑"');
    expect(out).toContain('😊');
    expect(out).toContain('title="西瓜"');
    expect(out).not.toContain('/::)');
  });
  it('previews a message on one line', () => {
    expect(previewText('a\n/::)  b <img src=\'https://x/y.png\'>', '[img]')).toBe('a 😊 b [img]');
  });
});

describe('httpUrl', () => {
  it('accepts http(s) only', () => {
    expect(httpUrl('https://example.com/a.png')).toBe('https://example.com/a.png');
    expect(httpUrl('http://example.com/a.gif?x=1&y=2')).toBe('http://example.com/a.gif?x=1&y=2');
    for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '/relative.png', 'ftp://x/y', 'https://user:pw@example.com/a.png', 'vbscript:x'])
      expect(httpUrl(bad)).toBeNull();
  });
});
