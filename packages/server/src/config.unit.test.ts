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
