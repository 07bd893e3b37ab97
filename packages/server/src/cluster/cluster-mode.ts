/**
 * Cluster mode (REDIS_URL, with PostgreSQL): the parts of ClusterState that the nodes of one
 * platform share, and whether this node can serve correctly right now.
 *
 * Redis gives the event bus, rate limits, replay cache, login limiter and presence; the store
 * gives the routing lock and the callback claims (they guard its rows). A node that loses Redis
 * cannot hold the cluster-wide limits nor hear the others' events, so until Redis answers again
 * it says so: `/readyz` answers 503 (a load balancer sends traffic elsewhere), calls that reach
 * it anyway are refused with a reason, and its realtime feeds are ended so that they reconnect
 * where events flow. When Redis is back, feeds reconnect and catch up (the console and web chat
 * fetch what they missed on every connect), and the node's routing, sweeps and callbacks are
 * woken. ioredis reconnects by itself; nothing here retries.
 */
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { Config, RedisConfig } from '../config.js';
import type { Db } from '../db/database.js';
import type { ClusterState } from './index.js';
import { redisCluster, type RedisCluster } from './redis-cluster.js';
import { redactRedisUrl } from './redis.js';
import { StoreOutboxClaims } from './store-outbox-claims.js';
import { PgRoutingLock } from './store-routing-lock.js';

/** A callback claim outlasts one attempt by this much, and never lasts longer than MAX_CLAIM_MS. */
const CLAIM_MARGIN_MS = 5_000;
export const MAX_CLAIM_MS = 30_000;
/** How long /readyz waits for Redis's PONG. */
const PING_TIMEOUT_MS = 1_000;
/**
 * Each connection is PINGed this often; one whose PONG has not come within HEARTBEAT_TIMEOUT_MS
 * is dropped (ioredis reconnects), so that a Redis that went silent without closing anything
 * (a frozen host, a firewall dropping packets) counts as lost within seconds, not after the
 * operating system's keep-alive gives up (minutes to hours).
 */
const HEARTBEAT_MS = 1_000;
const HEARTBEAT_TIMEOUT_MS = 2_000;

export interface ClusterMode {
  state: ClusterState;
  /** Why this node cannot serve now (it has lost Redis), or undefined when it can. */
  unavailable(): string | undefined;
  /** Resolves when Redis answers a PING within a second; rejects with the reason otherwise. */
  ping(): Promise<void>;
  /** Told once Redis is lost, and once it is back (after a loss, not at start). */
  onChange(listener: (up: boolean) => void): void;
  close(): Promise<void>;
}

export interface ClusterModeOptions {
  config: Pick<Config, 'tpiRate' | 'webchatRate' | 'delivery' | 'nodeName'> & { redis: RedisConfig };
  db: Db;
  /** This node's id in the store's `nodes` (and in its callback claims). */
  nodeId: string;
  log: Logger;
}

export async function startClusterMode(options: ClusterModeOptions): Promise<ClusterMode> {
  const { config, db, log } = options;
  const where = redactRedisUrl(config.redis.url);
  let lastError: string | undefined;
  const redis: RedisCluster = await redisCluster({
    url: config.redis.url,
    prefix: config.redis.prefix,
    rates: config,
    node: `${config.nodeName}/${options.nodeId}`,
    onError(error, what) {
      lastError = error.message;
      log.warn({ err: error, what }, 'redis');
    },
  });

  const listeners: ((up: boolean) => void)[] = [];
  let closing = false;
  // Set while a connection is down: the reason this node gives.
  let lost: string | undefined;
  const connections: [Redis, string][] = [
    [redis.redis, 'commands'],
    [redis.subscriber, 'events'],
  ];
  const tell = (up: boolean) => {
    for (const listener of listeners) {
      try {
        listener(up);
      } catch (error) {
        log.error({ err: error }, 'a listener of Redis going ' + (up ? 'up' : 'down') + ' failed');
      }
    }
  };
  const check = () => {
    if (closing) return;
    const down = connections.filter(([c]) => c.status !== 'ready').map(([, what]) => what);
    if (down.length > 0 && lost === undefined) {
      lost = `this node has lost Redis at ${where} (${down.join(', ')}${lastError ? `: ${lastError}` : ''}); it takes no calls until Redis answers again`;
      log.error({ redis: where, connections: down }, 'lost Redis: not ready, refusing calls and ending realtime feeds until it is back');
      tell(false);
    } else if (down.length === 0 && lost !== undefined) {
      // Heard nothing while away: subscribe again (ioredis does too; this waits for Redis's word).
      redis.subscriber
        .subscribe(`${redis.prefix}events`)
        .then(() => {
          if (closing || lost === undefined || connections.some(([c]) => c.status !== 'ready')) return;
          lost = undefined;
          lastError = undefined;
          log.info({ redis: where }, 'Redis is back: taking calls again');
          tell(true);
        })
        .catch((error: unknown) => log.warn({ err: error }, 'subscribing again after Redis came back failed'));
    }
  };
  for (const [connection] of connections) {
    connection.on('close', check);
    connection.on('end', check);
    connection.on('reconnecting', check);
    connection.on('ready', check);
  }

  /** Connection → when its unanswered PING was sent (performance.now()). */
  const pinged = new Map<Redis, number>();
  const heartbeat = setInterval(() => {
    for (const [connection, what] of connections) {
      if (closing || connection.status !== 'ready') {
        pinged.delete(connection);
        continue;
      }
      const since = pinged.get(connection);
      if (since === undefined) {
        const sent = performance.now();
        pinged.set(connection, sent);
        connection.ping().then(
          () => pinged.get(connection) === sent && pinged.delete(connection),
          () => pinged.get(connection) === sent && pinged.delete(connection),
        );
      } else if (performance.now() - since > HEARTBEAT_TIMEOUT_MS) {
        pinged.delete(connection);
        lastError = `no answer to a PING for ${HEARTBEAT_TIMEOUT_MS} ms`;
        log.warn({ redis: where, connection: what }, 'Redis went silent: dropping the connection (it reconnects by itself)');
        connection.disconnect(true);
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const leaseMs = Math.min(MAX_CLAIM_MS, config.delivery.timeoutMs + CLAIM_MARGIN_MS);
  const state: ClusterState = {
    ...redis.state,
    routingLock: new PgRoutingLock(db),
    outbox: new StoreOutboxClaims(db, options.nodeId, leaseMs, 'postgres'),
  };
  log.info({ redis: where, prefix: redis.prefix }, 'cluster mode: sharing the store and Redis with the other nodes');

  return {
    state,
    unavailable: () => lost,
    async ping() {
      if (lost !== undefined) throw new Error(lost);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          redis.redis.ping(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis at ${where} did not answer a PING within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS))),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      await redis.close();
    },
  };
}
