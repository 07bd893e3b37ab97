/** Starts the real platform on a loopback port for a test, with a fresh store. */
import type { AddressInfo } from 'node:net';
import { buildApp, type Platform } from '../app.js';
import { DEFAULT_CONSOLE_DIR, DEFAULT_WIDGET_DIR, DEFAULT_DELIVERY, type Config, type DeliveryConfig } from '../config.js';
import type { Provisioning } from '../provisioning/schema.js';
import { freshStore, type TestStore } from './stores.js';

export interface TestPlatform {
  url: string;
  platform: Platform;
  store: TestStore;
  /** POSTs a TPI body (an object, or raw text) and returns the parsed answer. */
  tpi(body: unknown, headers?: Record<string, string>): Promise<Record<string, unknown> & { result: number; message: string }>;
  /** Calls the agent API. */
  api<T = Record<string, unknown>>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }>;
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestPlatformOptions {
  provisioning: Provisioning;
  clock?: () => number;
  config?: Partial<Omit<Config, 'delivery'>> & { delivery?: Partial<DeliveryConfig> };
  /** Default headers of tpi() calls, e.g. the channel key. */
  tpiHeaders?: Record<string, string>;
}

export const FAST_DELIVERY: DeliveryConfig = { ...DEFAULT_DELIVERY, pollIntervalMs: 50, baseBackoffMs: 20, maxBackoffMs: 200, timeoutMs: 2_000 };

/** The settings tests run with: quick sweeps and retries, a quiet log. */
export function testConfig(store: TestStore, overrides: TestPlatformOptions['config'] = {}): Config {
  return {
    host: '127.0.0.1',
    port: 0,
    nodeName: 'test',
    trustProxy: false,
    store: store.config,
    dataDir: store.dataDir,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    maxImageBytes: 5 * 1024 * 1024,
    maxUploadBytes: 20 * 1024 * 1024,
    tokenTtlMs: 3600_000,
    customerTokenTtlMs: 24 * 3600_000,
    sweepIntervalMs: 50,
    awayAfterMs: 60_000,
    offerMissesBeforeAway: 2,
    feedRecheckMs: 30_000,
    docs: true,
    consoleDir: DEFAULT_CONSOLE_DIR,
    widgetDir: DEFAULT_WIDGET_DIR,
    webchatRate: { visitor: { perSecond: 1_000, burst: 1_000 }, address: { perSecond: 1_000, burst: 1_000 } },
    reportTimeZone: 'Asia/Shanghai',
    // Tests set up their own world; the first run is tested on its own (first-run.test.ts).
    firstRun: false,
    // Every answer a test receives matches the schema its route declares.
    checkResponses: true,
    tpiRate: { channel: { perSecond: 100_000, burst: 100_000 }, client: { perSecond: 10_000, burst: 10_000 } },
    ...overrides,
    delivery: { ...FAST_DELIVERY, ...overrides.delivery },
  };
}

export async function startTestPlatform(options: TestPlatformOptions): Promise<TestPlatform> {
  const store = await freshStore();
  const config = testConfig(store, options.config);
  let platform: Platform | undefined;
  try {
    platform = await buildApp(config, { provisioning: options.provisioning, ...(options.clock ? { clock: options.clock } : {}) });
    await platform.start();
    await platform.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await platform?.close().catch(() => undefined);
    await store.drop();
    throw error;
  }
  const url = `http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}`;

  const api = async <T>(method: string, path: string, token?: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };

  return {
    url,
    platform,
    store,
    async tpi(body, headers) {
      const res = await fetch(`${url}/EliteWebChat/tpi`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.tpiHeaders, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`TPI answered HTTP ${res.status}: ${await res.text()}`);
      return (await res.json()) as Record<string, unknown> & { result: number; message: string };
    },
    api,
    async login(username, password) {
      const res = await api<{ token: string }>('POST', '/api/v1/agent/login', undefined, { username, password });
      if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
    async close() {
      await platform.close();
      await store.drop();
    },
  };
}

/** A clock a test moves by hand. */
export function manualClock(start: number): { now: () => number; set(t: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set(value) {
      t = value;
    },
    advance(ms) {
      t += ms;
    },
  };
}

/** Polls until probe returns something other than undefined or false (0 and "" count as answers). */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
