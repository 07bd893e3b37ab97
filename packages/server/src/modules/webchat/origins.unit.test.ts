import { describe, expect, it } from 'vitest';
import { frameAncestors, originAllowed } from './origins.js';

describe('originAllowed', () => {
  const shop = ['https://shop.example.com'];
  it('takes the platform itself and the allowed origins', () => {
    expect(originAllowed('http://chat.example.com:8080', 'chat.example.com:8080', shop)).toBe(true);
    expect(originAllowed('https://shop.example.com', 'chat.example.com', shop)).toBe(true);
  });
  it('refuses any other page, a null origin and a look-alike', () => {
    expect(originAllowed('https://evil.example', 'chat.example.com', shop)).toBe(false);
    expect(originAllowed('null', 'chat.example.com', shop)).toBe(false);
    expect(originAllowed('https://shop.example.com.evil.example', 'chat.example.com', shop)).toBe(false);
    expect(originAllowed('http://chat.example.com:8081', 'chat.example.com:8080', shop)).toBe(false);
  });
  it('judges a call without Origin by its token alone', () => {
    expect(originAllowed(undefined, 'chat.example.com', [])).toBe(true);
  });
});

describe('frameAncestors', () => {
  it('lists the platform and the allowed origins, and nothing that would change the policy', () => {
    expect(frameAncestors(['https://shop.example.com', 'http://127.0.0.1:9000'])).toBe("'self' https://shop.example.com http://127.0.0.1:9000");
    expect(frameAncestors(["https://a.example; script-src 'unsafe-inline'", 'https://b.example *'])).toBe("'self'");
  });
});
