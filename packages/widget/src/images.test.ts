import { describe, expect, it } from 'vitest';
import { checkImage, formatBytes } from './images';

describe('checkImage', () => {
  const max = 2 * 1024 * 1024;
  it('takes the four image types the server takes, up to its size', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) expect(checkImage(type, 1000, max)).toBeNull();
    expect(checkImage('image/png', max, max)).toBeNull();
  });
  it('refuses other types and sizes before any upload', () => {
    expect(checkImage('image/svg+xml', 10, max)).toBe('type');
    expect(checkImage('text/html', 10, max)).toBe('type');
    expect(checkImage('', 10, max)).toBe('type');
    expect(checkImage('image/png', max + 1, max)).toBe('size');
    expect(checkImage('image/png', 0, max)).toBe('size');
  });
  it('names sizes for people', () => {
    expect(formatBytes(2 * 1024 * 1024)).toBe('2 MB');
    expect(formatBytes(1536 * 1024)).toBe('1.5 MB');
    expect(formatBytes(500 * 1024)).toBe('500 KB');
    expect(formatBytes(20_480)).toBe('20 KB');
    expect(formatBytes(300)).toBe('300 B');
  });
});
