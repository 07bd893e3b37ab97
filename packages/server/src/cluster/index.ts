/**
 * Everything a server process would have to share with the others if several ran on one
 * store: one interface each, passed in, never reached for. `singleProcess` gives today's
 * in-memory implementations; a cluster gives shared ones.
 */
import type { Config } from '../config.js';
import { InMemoryLoginLimiter, type LoginLimiter } from '../auth/login-limiter.js';
import { InMemoryEventBus, type EventBus } from './event-bus.js';
import { InMemoryOutboxClaims, type OutboxClaims } from './outbox-claims.js';
import { InMemoryPresenceStore, type PresenceStore } from './presence-store.js';
import { InMemoryRateLimiter, type RateLimiter } from './rate-limiter.js';
import { InMemoryReplayCache, type ReplayCache } from './replay-cache.js';
import { LocalRoutingLock, type RoutingLock } from './routing-lock.js';

export interface ClusterState {
  events: EventBus;
  /** TPI calls per channel. */
  channelRate: RateLimiter;
  /** TPI calls per customer of a channel. */
  clientRate: RateLimiter;
  /** Web chat calls per visitor. */
  visitorRate: RateLimiter;
  /** New web chat visitors and left messages per address. */
  addressRate: RateLimiter;
  logins: LoginLimiter;
  replays: ReplayCache;
  routingLock: RoutingLock;
  outbox: OutboxClaims;
  /** Which agents have a live feed on some node, and since when none (the away timer). */
  presence: PresenceStore;
}

export function singleProcess(config: Pick<Config, 'tpiRate' | 'webchatRate'>, clock: () => number): ClusterState {
  return {
    events: new InMemoryEventBus(),
    channelRate: new InMemoryRateLimiter(config.tpiRate.channel, clock),
    clientRate: new InMemoryRateLimiter(config.tpiRate.client, clock),
    visitorRate: new InMemoryRateLimiter(config.webchatRate.visitor, clock),
    addressRate: new InMemoryRateLimiter(config.webchatRate.address, clock),
    logins: new InMemoryLoginLimiter(),
    replays: new InMemoryReplayCache(),
    routingLock: new LocalRoutingLock(),
    outbox: new InMemoryOutboxClaims(),
    presence: new InMemoryPresenceStore(),
  };
}
