import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PageLink, pageHref } from './PageLink';

const html = (url: string | null, title: string | null = 'Shop') => renderToStaticMarkup(<PageLink url={url} title={title} />);

describe('pageHref', () => {
  it('links absolute http(s) addresses only', () => {
    expect(pageHref('https://shop.example.com/a?b=1#c')).toBe('https://shop.example.com/a?b=1#c');
    expect(pageHref(' http://shop.example.com ')).toBe('http://shop.example.com/');
    for (const bad of [null, 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '/relative', '//evil.example', 'ftp://x/y', 'https://user:pw@example.com/', ''])
      expect(pageHref(bad), String(bad)).toBeNull();
  });
});

describe('PageLink', () => {
  it('draws a safe address as a link in a new window that learns nothing of the console', () => {
    const out = html('https://shop.example.com/p');
    expect(out).toContain('<a href="https://shop.example.com/p"');
    expect(out).toContain('target="_blank"');
    expect(out).toContain('rel="noopener noreferrer"');
    expect(out).toContain('data-testid="visitor-page-link"');
    expect(out).toContain('>Shop</a>');
  });
  it('shows any other address as text, and markup in a title as the characters typed', () => {
    const out = html('javascript:alert(1)', '<img src=x onerror=alert(1)>');
    expect(out).not.toContain('<a');
    expect(out).not.toContain('<img');
    expect(out).toContain('data-testid="visitor-page-text"');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
  it('shows the address when there is no title', () => {
    expect(html('https://shop.example.com/p', null)).toContain('>https://shop.example.com/p</a>');
    expect(html('https://shop.example.com/p', '  ')).toContain('>https://shop.example.com/p</a>');
  });
});
