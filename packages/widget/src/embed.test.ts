import { describe, expect, it } from 'vitest';
import { parseContext, parseVisible } from './embed';
import { channelFromPath, originOf, readEnv } from './env';

const HASH = 'a'.repeat(64);

describe('parseContext', () => {
  it('takes the page and a well-formed identity', () => {
    expect(parseContext({ type: 'ewc:context', page: { url: 'https://shop.example.com/p?x=1', title: 'Shop' }, identity: { userId: 'u1', hash: HASH } })).toEqual({
      page: { url: 'https://shop.example.com/p?x=1', title: 'Shop' },
      identity: { userId: 'u1', hash: HASH },
    });
  });
  it('drops what does not fit, and refuses other messages', () => {
    expect(parseContext({ type: 'ewc:context', page: { url: 'javascript:alert(1)', title: 5 }, identity: { userId: 'u1', hash: 'short' } })).toEqual({ page: {} });
    expect(parseContext({ type: 'ewc:context', identity: { userId: 'x'.repeat(65), hash: HASH } })).toEqual({});
    expect(parseContext({ type: 'ewc:other' })).toBeNull();
    expect(parseContext('ewc:context')).toBeNull();
    expect(parseContext(null)).toBeNull();
  });
  it('reads visibility', () => {
    expect(parseVisible({ type: 'ewc:visible', visible: false })).toBe(false);
    expect(parseVisible({ type: 'ewc:visible', visible: 'no' })).toBeNull();
  });
});

describe('env', () => {
  it('reads the channel from /chat/<channelId>', () => {
    expect(channelFromPath('/chat/web')).toBe('web');
    expect(channelFromPath('/chat/web/')).toBe('web');
    expect(channelFromPath('/chat/my%20shop')).toBe('my shop');
    expect(channelFromPath('/chat/')).toBeNull();
    expect(channelFromPath('/chat/a/b')).toBeNull();
    expect(channelFromPath('/other/web')).toBeNull();
    expect(channelFromPath('/chat/%E0%A4%A')).toBeNull();
  });
  it('is embedded only with ?embed=1 inside a frame, and knows its parent', () => {
    const loc = { pathname: '/chat/web', search: '?embed=1' } as Location;
    expect(readEnv(loc, true, undefined, 'https://shop.example.com/')).toEqual({ channelId: 'web', embed: true, parentOrigin: 'https://shop.example.com' });
    expect(readEnv(loc, false, undefined, 'https://shop.example.com/').embed).toBe(false);
    expect(readEnv({ ...loc, search: '' }, true, undefined, '').embed).toBe(false);
    const ancestors = Object.assign(['https://a.example'], { contains: () => true, item: () => 'https://a.example' }) as unknown as DOMStringList;
    expect(readEnv(loc, true, ancestors, 'https://b.example/').parentOrigin).toBe('https://a.example');
  });
  it('takes http(s) origins only', () => {
    expect(originOf('https://x.example:8443/a')).toBe('https://x.example:8443');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('')).toBeNull();
  });
});
