/**
 * The shared state of a cluster in Redis: the pieces of ClusterState (index.ts) that Redis
 * gives. NOT switched on yet: nothing calls this at start; cluster mode comes once routing and
 * callbacks are cluster-safe (issue 12). Then a server with REDIS_URL would build its state as
 * `{ ...singleProcess(config, clock), ...cluster.state, routingLock, outbox }`.
 *
 * Not here, on purpose (other steps of issue 12):
 * - routingLock and outbox (callback claims): they guard rows of the store, so they belong in
 *   the store (an advisory lock; leased claims that other nodes take over when a node dies),
 *   not in Redis; RedisSharedState leaves them out, and the single-process ones stay until then;
 * - cache invalidation across nodes (admin changes), Socket.IO's Redis adapter, and what a node
 *   does while Redis is away (readiness).
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { ClusterState } from './index.js';
import { RedisEventBus } from './redis-event-bus.js';
import { RedisLoginLimiter } from './redis-login-limiter.js';
import { RedisPresenceStore } from './redis-presence.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { RedisReplayCache } from './redis-replay-cache.js';
import { checkRedisPrefix, closeRedis, connectRedis, DEFAULT_REDIS_PREFIX, type RedisConnectOptions } from './redis.js';

/** What Redis shares today; routingLock and outbox still come from singleProcess. */
export type RedisSharedState = Omit<ClusterState, 'routingLock' | 'outbox'>;

export interface RedisClusterOptions extends RedisConnectOptions {
  /** redis://[user:password@]host[:port][/db] (rediss:// for TLS). */
  url: string;
  /** Starts every key and channel of this platform; default `ewc:`. */
  prefix?: string;
  /** The same rates as singleProcess takes, now for the whole cluster. */
  rates: Pick<Config, 'tpiRate' | 'webchatRate'>;
  /** Names this node's presence leases; default unique per process (host:pid:random). */
  node?: string;
  /** How long a node vouches for its agents' feeds without renewing; default 3 s (redis-presence.ts). */
  presenceLeaseMs?: number;
}

export interface RedisCluster {
  state: RedisSharedState;
  /** Commands (rate limits, replay cache, login counters, publishing). */
  redis: Redis;
  /** The event bus's subscription (a subscribed connection can do nothing else). */
  subscriber: Redis;
  prefix: string;
  /** Stops listening and closes both connections; commands already sent are answered first. */
  close(): Promise<void>;
}

/** Connects (rejecting when Redis does not answer) and subscribes to the events channel. */
export async function redisCluster(options: RedisClusterOptions): Promise<RedisCluster> {
  const prefix = checkRedisPrefix(options.prefix ?? DEFAULT_REDIS_PREFIX);
  const redis = await connectRedis(options.url, options);
  let subscriber: Redis | undefined;
  try {
    subscriber = await connectRedis(options.url, options);
    const events = new RedisEventBus(redis, subscriber, prefix, options.onError);
    await events.subscribe();
    const { tpiRate, webchatRate } = options.rates;
    const presence = new RedisPresenceStore(redis, prefix, { node: options.node, leaseMs: options.presenceLeaseMs, onError: options.onError });
    const state: RedisSharedState = {
      events,
      channelRate: new RedisRateLimiter(redis, prefix, 'channel', tpiRate.channel),
      clientRate: new RedisRateLimiter(redis, prefix, 'client', tpiRate.client),
      visitorRate: new RedisRateLimiter(redis, prefix, 'visitor', webchatRate.visitor),
      addressRate: new RedisRateLimiter(redis, prefix, 'address', webchatRate.address),
      logins: new RedisLoginLimiter(redis, prefix),
      replays: new RedisReplayCache(redis, prefix),
      presence,
    };
    const sub = subscriber;
    let closing: Promise<void> | undefined;
    return {
      state,
      redis,
      subscriber: sub,
      prefix,
      close() {
        closing ??= (async () => {
          presence.stop();
          await events.unsubscribe().catch(() => undefined);
          await Promise.all([closeRedis(sub), closeRedis(redis)]);
        })();
        return closing;
      },
    };
  } catch (error) {
    subscriber?.disconnect();
    redis.disconnect();
    throw error;
  }
}
