/** What the environment sets of agents' links, uploads and the process's name. */
import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';

describe('config: files', () => {
  it('takes PUBLIC_URL as an origin and refuses anything with a path or another scheme', () => {
    expect(configFromEnv({}).publicUrl).toBeUndefined();
    expect(configFromEnv({ PUBLIC_URL: 'https://Chat.Example.com/' }).publicUrl).toBe('https://chat.example.com');
    expect(configFromEnv({ PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    for (const bad of ['chat.example.com', 'https://chat.example.com/webchat', 'javascript:alert(1)', 'https://chat.example.com/?a=1']) {
      expect(() => configFromEnv({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL must be an http\(s\) origin/);
    }
  });

  it('bounds uploads at 20 MiB unless MAX_UPLOAD_BYTES says otherwise', () => {
    expect(configFromEnv({}).maxUploadBytes).toBe(20 * 1024 * 1024);
    expect(configFromEnv({ MAX_UPLOAD_BYTES: '1048576' }).maxUploadBytes).toBe(1_048_576);
    expect(() => configFromEnv({ MAX_UPLOAD_BYTES: '0' })).toThrow(/MAX_UPLOAD_BYTES must be an integer ≥ 1/);
  });
});

describe('config: the node', () => {
  it('names the process NODE_NAME, or host:port, and refuses a name metrics and logs could not carry', async () => {
    const os = await import('node:os');
    expect(configFromEnv({ NODE_NAME: 'chat-1' }).nodeName).toBe('chat-1');
    expect(configFromEnv({ PORT: '9000' }).nodeName).toBe(`${os.hostname()}:9000`);
    expect(configFromEnv({}).nodeName).toBe(`${os.hostname()}:8080`);
    for (const bad of ['a b', 'x'.repeat(65), 'node"1']) expect(() => configFromEnv({ NODE_NAME: bad }), bad).toThrow(/NODE_NAME must be/);
  });
});

describe('config: cluster mode', () => {
  const pg = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };

  it('is off without REDIS_URL, and on with REDIS_URL and PostgreSQL, under the prefix ewc: unless REDIS_PREFIX says otherwise', () => {
    expect(configFromEnv(pg).redis).toBeUndefined();
    expect(configFromEnv({ ...pg, REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'ewc:' });
    expect(configFromEnv({ ...pg, REDIS_URL: 'rediss://u:p@redis.internal:6380/2', REDIS_PREFIX: 'ewc-staging:' }).redis).toEqual({ url: 'rediss://u:p@redis.internal:6380/2', prefix: 'ewc-staging:' });
  });

  it('refuses REDIS_URL on the embedded store, a URL that is not Redis (without repeating its password), a prefix without REDIS_URL, and a callback timeout longer than a claim', () => {
    expect(() => configFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/cluster mode, which needs PostgreSQL: set DATABASE_URL/);
    expect(() => configFromEnv({ ...pg, REDIS_URL: 'http://u:hunter2@127.0.0.1:6379' })).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/u:\*\*\*@127\.0\.0\.1:6379\/?"/);
    expect(() => configFromEnv({ ...pg, REDIS_PREFIX: 'x:' })).toThrow(/REDIS_PREFIX is set but REDIS_URL is not/);
    expect(() => configFromEnv({ ...pg, REDIS_URL: 'redis://127.0.0.1', REDIS_PREFIX: 'a b' })).toThrow(/REDIS_PREFIX: .*without spaces/);
    expect(() => configFromEnv({ ...pg, REDIS_URL: 'redis://127.0.0.1', CALLBACK_TIMEOUT_MS: '26000' })).toThrow(/CALLBACK_TIMEOUT_MS must be at most 25000 in cluster mode/);
    expect(configFromEnv({ CALLBACK_TIMEOUT_MS: '26000' }).delivery.timeoutMs).toBe(26_000);
  });
});

describe('config: TRUST_PROXY', () => {
  it('believes no proxy unless told, and takes a list of addresses or CIDRs', () => {
    expect(configFromEnv({}).trustProxy).toBe(false);
    expect(configFromEnv({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    for (const bad of ['true', '2', '10.0.0.0/33', 'proxy.internal']) expect(() => configFromEnv({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY must be a comma-separated list/);
  });
});
