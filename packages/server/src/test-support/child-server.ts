/**
 * The real server as a child process (`node dist/main.js`), for tests that must kill it the
 * hard way. The vitest globalSetup builds dist before any test runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';

export const MAIN_JS = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ChildServer {
  url: string;
  proc: ChildProcess;
  /** The end of what the process wrote to stdout and stderr. */
  output(): string;
  /** SIGKILL: no shutdown code runs. Resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (a graceful stop), SIGKILL if it takes longer than graceMs. */
  stop(graceMs?: number): Promise<void>;
  readonly exited: boolean;
}

export interface ChildServerOptions {
  /** Added to a minimal environment (PATH, HOME…); the test's own environment is not passed on. */
  env: Record<string, string>;
  port: number;
  readyTimeoutMs?: number;
}

const OUTPUT_KEEP = 64 * 1024;

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  const proc = spawn(process.execPath, [MAIN_JS], {
    env: { ...base, HOST: '127.0.0.1', PORT: String(options.port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > OUTPUT_KEEP) out = out.slice(-OUTPUT_KEEP);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  let exited = false;
  const gone = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      exited = true;
      resolve();
    });
  });

  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildServer = {
    url,
    proc,
    output: () => out,
    async kill9() {
      if (!exited) proc.kill('SIGKILL');
      await gone;
    },
    async stop(graceMs = 10_000) {
      if (exited) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
    get exited() {
      return exited;
    },
  };

  // Ready once /readyz answers 200; a process that dies first fails at once, with its output.
  const dispatcher = new Agent({ connections: 1 });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  try {
    for (;;) {
      if (exited) throw new Error(`server exited before it was ready (code ${proc.exitCode}, signal ${proc.signalCode}):\n${out}`);
      try {
        const res = await request(`${url}/readyz`, { dispatcher, signal: AbortSignal.timeout(1_000) });
        await res.body.text();
        if (res.statusCode === 200) return child;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await child.kill9();
        throw new Error(`server was not ready within ${options.readyTimeoutMs ?? 20_000} ms:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await dispatcher.destroy();
  }
}

/**
 * Calls a server over its own connection pool, so that closing it after a kill leaves no dead
 * keep-alive socket behind for the next server on the same port.
 */
export class HttpClient {
  private readonly dispatcher = new Agent({ connections: 128 });

  constructor(
    readonly url: string,
    private readonly tpiHeaders: Record<string, string> = {},
  ) {}

  /** A TPI call; throws when no answer came back (refused, reset, timed out). */
  async tpi(body: unknown): Promise<Record<string, unknown> & { result: number; message: string }> {
    const res = await request(`${this.url}/EliteWebChat/tpi`, {
      method: 'POST',
      dispatcher: this.dispatcher,
      headers: { 'content-type': 'application/json', ...this.tpiHeaders },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`TPI answered HTTP ${res.statusCode}: ${text}`);
    return JSON.parse(text) as Record<string, unknown> & { result: number; message: string };
  }

  /** An agent API call; throws when no answer came back. */
  async api<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT', path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(this.url + path, {
      method,
      dispatcher: this.dispatcher,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: (text ? JSON.parse(text) : null) as T };
  }

  async login(username: string, password: string): Promise<string> {
    const res = await this.api<{ token: string }>('POST', '/api/v1/agent/login', undefined, { username, password });
    if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
    return res.body.token;
  }

  async close(): Promise<void> {
    await this.dispatcher.destroy();
  }
}
