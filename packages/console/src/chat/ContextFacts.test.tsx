import { describe, expect, it } from 'vitest';
import { renderIn } from '../ui/test-render';
import { ContextFacts, RatingExtends } from './ContextFacts';

describe('a TPI chat’s context in its header', () => {
  const context = {
    brand: 'Brand <b>X</b>',
    ip: '203.0.113.9',
    tracks: [
      { title: '商品详情', url: 'https://shop.example/p/1', time: 1_700_000_000_000 },
      { title: '<img src=x onerror=alert(1)>', url: 'javascript:alert(1)' },
    ],
    tracksText: 'raw trail <script>',
  };
  it('shows brand, address and trail as text; only http(s) pages are links, in a new window', () => {
    const html = renderIn('en', <ContextFacts context={context} />);
    expect(html).toContain('data-testid="customer-context"');
    expect(html).toContain('Brand &lt;b&gt;X&lt;/b&gt;');
    expect(html).toContain('203.0.113.9');
    expect(html).toMatch(/<a href="https:\/\/shop.example\/p\/1" target="_blank" rel="noopener noreferrer"[^>]*data-testid="context-track-link">商品详情<\/a>/);
    expect(html).not.toContain('href="javascript:');
    expect(html).toMatch(/data-testid="context-track-text">&lt;img src=x onerror=alert\(1\)&gt;<\/span>/);
    expect(html).toContain('raw trail &lt;script&gt;');
  });
  it('is left out when there is nothing to say', () => {
    expect(renderIn('en', <ContextFacts context={{ tracks: [] }} />)).toBe('');
  });
  it('shows a rating’s further answers as key: value text', () => {
    const html = renderIn('zh-CN', <RatingExtends values={{ speed: 5, solved: true, note: '<i>ok</i>' }} />);
    expect(html).toContain('data-testid="rating-extends"');
    expect(html).toMatch(/data-key="speed"><dt>speed<\/dt><dd>5<\/dd>/);
    expect(html).toMatch(/data-key="solved"><dt>solved<\/dt><dd>是<\/dd>/);
    expect(html).toContain('&lt;i&gt;ok&lt;/i&gt;');
  });
});
