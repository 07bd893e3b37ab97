/** What the environment sets of the later wire's files: the public origin of agents' links and the upload limit. */
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
