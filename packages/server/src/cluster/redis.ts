/**
 * The Redis connection of the cluster building blocks, and the names they use in it.
 *
 * Every key and pub/sub channel of one platform starts with its prefix (`ewc:` by default), so
 * that two platforms can share one Redis: `<prefix>rate:<limiter>:<key>`,
 * `<prefix>replay:<signature>`, `<prefix>login:user:<name>`, `<prefix>login:addr:<address>`,
 * `<prefix>presence:agent:<id>`, `<prefix>presence:until`, and the channel `<prefix>events`. The prefix is added here, by this code, not by ioredis's
 * `keyPrefix` (which does not apply to pub/sub channels), so the names above are all there is.
 */
import { Redis, type RedisOptions } from 'ioredis';

export const DEFAULT_REDIS_PREFIX = 'ewc:';

/** What went wrong in the background (a lost connection, an event that could not be sent). */
export type RedisErrorHandler = (error: Error, what: string) => void;

export interface RedisConnectOptions {
  /** Told of connection errors; ioredis reconnects by itself. */
  onError?: RedisErrorHandler;
  /** Passed to ioredis as they are (tests, TLS, timeouts). */
  redis?: RedisOptions;
}

/** `redis://user:secret@host` → `redis://user:***@host`, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unreadable Redis URL)';
  }
}

/**
 * Opens a connection and waits until Redis answers; rejects, leaving nothing open, when it
 * does not. After that ioredis reconnects by itself after a loss; a command issued while it is
 * away waits in its queue (in order) through a few reconnection attempts, then fails.
 */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // A caller waiting on a rate limit or a replay check gets an error within a few hundred
    // milliseconds of reconnecting in vain, rather than hanging for many seconds (default 20).
    maxRetriesPerRequest: 3,
    // A command on a connection that went silent (Redis frozen, packets dropped) fails after
    // this long instead of waiting for as long as the silence lasts.
    commandTimeout: 5_000,
    ...options.redis,
  });
  // ioredis tells why a connection failed (ECONNREFUSED, a wrong password) as an event and
  // rejects connect() with a bare "Connection is closed": the first start says the former.
  let why: Error | undefined;
  redis.on('error', (error: Error) => {
    why ??= error;
    options.onError?.(error, 'redis connection');
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis at ${redactRedisUrl(url)} does not answer: ${(why ?? (error as Error)).message}`, { cause: error });
  }
  return redis;
}

/**
 * Closes a connection politely (QUIT: what was sent is answered first) and resolves once it
 * has ended; a connection that cannot say QUIT (Redis away) is dropped.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
  await ended;
}

/** A prefix must end the platform's part of a name: `ewc:` or `ewc-staging:`, not empty. */
export function checkRedisPrefix(prefix: string): string {
  if (prefix.length === 0 || prefix.length > 100 || /[\s*?[\]]/.test(prefix)) {
    throw new Error(`Redis prefix ${JSON.stringify(prefix)} must be 1 to 100 characters without spaces or glob characters (* ? [ ])`);
  }
  return prefix;
}

/**
 * A Lua script run with EVALSHA (ioredis sends the script itself once when Redis does not know
 * it yet, e.g. after a restart): a typed function of its keys and arguments.
 */
export function defineScript<R>(redis: Redis, name: string, numberOfKeys: number, lua: string): (keys: string[], args: (string | number)[]) => Promise<R> {
  redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<R>>)[name]!;
  return (keys, args) => {
    if (keys.length !== numberOfKeys) throw new Error(`script ${name} takes ${numberOfKeys} keys, not ${keys.length}`);
    return command.call(redis, ...keys, ...args);
  };
}
