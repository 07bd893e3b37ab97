/**
 * Settings, read once from the environment in main.ts and passed in everywhere else.
 * Every variable is documented in docs/configuration.md.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRedisPrefix, DEFAULT_REDIS_PREFIX, redactRedisUrl } from './cluster/redis.js';
import { parseCidr } from './common/cidr.js';
import { isValidTimeZone } from './routing/hours.js';

/** Where `npm run build` puts the console, seen from this file (src/ or dist/ alike). */
export const DEFAULT_CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../console/dist');
/** Where `npm run build` puts the customer web chat. */
export const DEFAULT_WIDGET_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../widget/dist');

export type StoreConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema?: string | undefined };

export interface Config {
  host: string;
  port: number;
  /**
   * Which proxies' X-Forwarded-For to believe (TRUST_PROXY): none, or their addresses/CIDRs.
   * Decides the caller's address (TPI allowFrom, web chat limits, logs).
   */
  trustProxy: false | string[];
  /** This process's name in logs, metrics and the store's list of processes (NODE_NAME; default host:port). */
  nodeName: string;
  store: StoreConfig;
  /** Cluster mode (REDIS_URL, PostgreSQL only): what the processes of one platform share besides the store. */
  redis?: RedisConfig | undefined;
  dataDir: string;
  /** The provisioning YAML applied at start, if any. */
  provisioningFile?: string | undefined;
  logLevel: string;
  /** Largest decoded 2002 image, in bytes. */
  maxImageBytes: number;
  /** Largest tpiu upload body the platform reads (a channel's uploads.maxBytes applies within it). */
  maxUploadBytes: number;
  /** The platform's public origin (https://chat.example.com), for links to files agents send; unset: the origin the agent's console uses. */
  publicUrl?: string | undefined;
  /** Agent tokens live this long. */
  tokenTtlMs: number;
  /** Customer tokens of the later TPI (types 1, 3, 4) live this long. */
  customerTokenTtlMs: number;
  /** How often waiting requests are checked for timeout and closed hours. */
  sweepIntervalMs: number;
  /** An online agent whose every live feed has been gone this long is set away; 0: never. */
  awayAfterMs: number;
  /** Offers in a row an agent may let run out before being set away (not responding). */
  offerMissesBeforeAway: number;
  /** How often live feeds' tokens are checked again, for revocations made by another process. */
  feedRecheckMs: number;
  delivery: DeliveryConfig;
  /** TPI calls a second per channel, and per customer of a channel. */
  tpiRate: { channel: Rate; client: Rate };
  /** Allow `/docs` (OpenAPI UI). */
  docs: boolean;
  /** The built console served at `/`. */
  consoleDir: string;
  /** The built web chat, served at /chat/{channelId} and /widget.js. */
  widgetDir: string;
  /** Web chat calls a second per visitor; new visitors and left messages per address. */
  webchatRate: { visitor: Rate; address: Rate };
  /** Where "today" starts on the supervisor board. */
  reportTimeZone: string;
  /** Create an administrator (one-time password in the log) and a queue when there are none. */
  firstRun: boolean;
  /** Check every HTTP answer against its route's declared schema, and fail the request if it differs (tests). */
  checkResponses: boolean;
}

export interface RedisConfig {
  /** redis:// or rediss:// (TLS). */
  url: string;
  /** Starts every key and channel of this platform (REDIS_PREFIX, default `ewc:`). */
  prefix: string;
}

export interface DeliveryConfig {
  /** How often the worker looks for due callbacks besides being woken by new ones. */
  pollIntervalMs: number;
  /** First retry delay; doubles each attempt up to maxBackoffMs, with ±20% jitter. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** One attempt, connect to last byte. */
  timeoutMs: number;
  /** Callbacks in flight at once (different sessions; one session is always one at a time). */
  concurrency: number;
  /** In flight at once for one channel, so that a slow third party cannot take every slot. */
  perChannel: number;
  /** A callback still failing this long after it was written becomes a dead letter. */
  windowMs: number;
}

export const DEFAULT_DELIVERY: DeliveryConfig = {
  pollIntervalMs: 1_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
  timeoutMs: 10_000,
  concurrency: 16,
  perChannel: 4,
  windowMs: 24 * 3600_000,
};

export class ConfigError extends Error {}

export interface Rate {
  perSecond: number;
  burst: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

/** NODE_NAME, or this machine's name and the port. */
function nodeName(raw: string | undefined, port: string | undefined): string {
  if (raw === undefined || raw === '') return `${os.hostname()}:${port || '8080'}`;
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) throw new ConfigError(`NODE_NAME must be 1 to 64 letters, digits, _ . : or -, got "${raw}"`);
  return raw;
}

/**
 * REDIS_URL turns on cluster mode, which shares the store among processes: PostgreSQL only. A
 * callback's claim is a lease of at most 30 s that must outlast one attempt.
 */
function redis(env: NodeJS.ProcessEnv, store: StoreConfig, callbackTimeoutMs: number): RedisConfig | undefined {
  const url = env.REDIS_URL;
  if (url === undefined || url === '') {
    if (env.REDIS_PREFIX) throw new ConfigError('REDIS_PREFIX is set but REDIS_URL is not: cluster mode needs both DATABASE_URL (PostgreSQL) and REDIS_URL');
    return undefined;
  }
  if (!/^rediss?:\/\/[^\s]+$/.test(url)) throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${redactRedisUrl(url)}"`);
  if (store.kind !== 'postgres') {
    throw new ConfigError('REDIS_URL turns on cluster mode, which needs PostgreSQL: set DATABASE_URL too (the embedded SQLite store serves one process; leave REDIS_URL unset for it)');
  }
  if (callbackTimeoutMs > 25_000) throw new ConfigError(`CALLBACK_TIMEOUT_MS must be at most 25000 in cluster mode (a callback's claim lasts its timeout plus 5 s, at most 30 s), got ${callbackTimeoutMs}`);
  let prefix: string;
  try {
    prefix = checkRedisPrefix(env.REDIS_PREFIX || DEFAULT_REDIS_PREFIX);
  } catch (error) {
    throw new ConfigError(`REDIS_PREFIX: ${(error as Error).message}`);
  }
  return { url, prefix };
}

function trustProxy(raw: string | undefined): false | string[] {
  if (raw === undefined || raw === '') return false;
  const list = raw.split(',').map((a) => a.trim()).filter((a) => a !== '');
  const bad = list.filter((a) => parseCidr(a) === undefined);
  if (list.length === 0 || bad.length > 0) throw new ConfigError(`TRUST_PROXY must be a comma-separated list of the proxies' addresses or CIDRs (10.0.0.0/8, 127.0.0.1), got "${bad.join(', ') || raw}"`);
  return list;
}

/** An http(s) origin (no path), or undefined when unset. */
function origin(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) origin such as https://chat.example.com, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new ConfigError(`${name} must be an http(s) origin such as https://chat.example.com (no path), got "${raw}"`);
  }
  return url.origin;
}

function timeZone(name: string): string {
  if (!isValidTimeZone(name)) throw new ConfigError(`REPORT_TIMEZONE: unknown time zone "${name}"`);
  return name;
}

export function configFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const dataDir = path.resolve(cwd, env.DATA_DIR || 'data');
  const url = env.DATABASE_URL;
  let store: StoreConfig;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded SQLite store)');
    const schema = env.DATABASE_SCHEMA || undefined;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError(`DATABASE_SCHEMA must be a lower-case SQL identifier (letters, digits, _), got "${schema}"`);
    }
    store = { kind: 'postgres', url, schema };
  } else {
    store = { kind: 'sqlite', file: path.join(dataDir, 'webchat.db') };
  }
  const callbackTimeoutMs = int(env, 'CALLBACK_TIMEOUT_MS', DEFAULT_DELIVERY.timeoutMs, 100);
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 8080),
    trustProxy: trustProxy(env.TRUST_PROXY),
    nodeName: nodeName(env.NODE_NAME, env.PORT),
    store,
    redis: redis(env, store, callbackTimeoutMs),
    dataDir,
    provisioningFile: env.WEBCHAT_CONFIG ? path.resolve(cwd, env.WEBCHAT_CONFIG) : undefined,
    logLevel: env.LOG_LEVEL || 'info',
    maxImageBytes: int(env, 'MAX_IMAGE_BYTES', 5 * 1024 * 1024, 1),
    maxUploadBytes: int(env, 'MAX_UPLOAD_BYTES', 20 * 1024 * 1024, 1),
    publicUrl: origin('PUBLIC_URL', env.PUBLIC_URL),
    tokenTtlMs: int(env, 'TOKEN_TTL_SECONDS', 12 * 3600, 60) * 1000,
    customerTokenTtlMs: int(env, 'CUSTOMER_TOKEN_TTL_SECONDS', 24 * 3600, 60) * 1000,
    sweepIntervalMs: int(env, 'SWEEP_INTERVAL_MS', 1_000, 10),
    awayAfterMs: int(env, 'AGENT_AWAY_AFTER_SECONDS', 60, 0) * 1000,
    offerMissesBeforeAway: int(env, 'OFFER_MISSES_BEFORE_AWAY', 2, 1),
    feedRecheckMs: 30_000,
    delivery: {
      pollIntervalMs: int(env, 'CALLBACK_POLL_MS', DEFAULT_DELIVERY.pollIntervalMs, 10),
      baseBackoffMs: int(env, 'CALLBACK_BACKOFF_MS', DEFAULT_DELIVERY.baseBackoffMs, 1),
      maxBackoffMs: int(env, 'CALLBACK_MAX_BACKOFF_MS', DEFAULT_DELIVERY.maxBackoffMs, 1),
      timeoutMs: callbackTimeoutMs,
      concurrency: int(env, 'CALLBACK_CONCURRENCY', DEFAULT_DELIVERY.concurrency, 1),
      perChannel: int(env, 'CALLBACK_CHANNEL_CONCURRENCY', DEFAULT_DELIVERY.perChannel, 1),
      windowMs: int(env, 'CALLBACK_RETRY_WINDOW_SECONDS', DEFAULT_DELIVERY.windowMs / 1000, 1) * 1000,
    },
    tpiRate: {
      channel: { perSecond: int(env, 'TPI_RATE_PER_CHANNEL', 1000, 1), burst: 2 * int(env, 'TPI_RATE_PER_CHANNEL', 1000, 1) },
      client: { perSecond: int(env, 'TPI_RATE_PER_CLIENT', 20, 1), burst: 2 * int(env, 'TPI_RATE_PER_CLIENT', 20, 1) },
    },
    docs: env.DOCS !== 'off',
    consoleDir: env.CONSOLE_DIR ? path.resolve(cwd, env.CONSOLE_DIR) : DEFAULT_CONSOLE_DIR,
    widgetDir: env.WIDGET_DIR ? path.resolve(cwd, env.WIDGET_DIR) : DEFAULT_WIDGET_DIR,
    webchatRate: {
      visitor: { perSecond: int(env, 'WEBCHAT_RATE_PER_VISITOR', 10, 1), burst: 3 * int(env, 'WEBCHAT_RATE_PER_VISITOR', 10, 1) },
      address: { perSecond: int(env, 'WEBCHAT_RATE_PER_ADDRESS', 2, 1), burst: 30 * int(env, 'WEBCHAT_RATE_PER_ADDRESS', 2, 1) },
    },
    reportTimeZone: timeZone(env.REPORT_TIMEZONE || 'Asia/Shanghai'),
    firstRun: true,
    checkResponses: false,
  };
}
