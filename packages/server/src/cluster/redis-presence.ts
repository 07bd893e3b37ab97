/**
 * Presence shared by every node (the PresenceStore of presence-store.ts, in Redis): an agent
 * whose feeds are on any node is present for all of them, and an agent whose only feeds were on
 * a node that died becomes absent when that node's leases run out, so the surviving nodes set
 * them away AGENT_AWAY_AFTER_SECONDS later.
 *
 * Two kinds of keys:
 * - `<prefix>presence:agent:<agentId>`, a sorted set per agent: the nodes holding a feed of it,
 *   each scored by the end of its lease (ms). A node renews the leases of the agents it holds
 *   every `leaseMs / 3` (default lease 3 s, renewed every second); a node that dies stops
 *   renewing, and its members end with their leases. The key expires by itself soon after its
 *   last lease.
 * - `<prefix>presence:until`, one sorted set for the platform: per agent, until when some node
 *   vouches for it (the latest lease of its set) and, once that is past, since when it has been
 *   absent: a node that lets go cleanly writes "now", a node that died leaves its last lease's
 *   end. Agents whose time is `ms` in the past are due(ms); an entry goes when settled (or the
 *   agent is held again), so the index holds at most one entry per agent.
 * Every write is one Lua script (atomic): holds, renewals and releases from several nodes never
 * lose each other's members, and the index always shows the latest lease of the agent's set.
 *
 * Time: Redis's clock (TIME, inside the scripts), not the nodes'. A lease is written by one node
 * and judged by the others: on the nodes' own clocks, a node whose clock is a few seconds behind
 * would write leases that the others already see as ended, and its agents, feeds live, would be
 * set away; one ahead would keep a dead node's agents online for longer than promised. On one
 * clock, skew between nodes plays no part; only Redis's host clock stepping forward by more than
 * a lease plus AGENT_AWAY_AFTER_SECONDS at once (NTP) would make live agents due (set away once).
 * The `since` of an Absence is that clock's, handed back to settle() as it came.
 *
 * How late: a node that dies right after renewing leaves leases of up to `leaseMs`; its agents
 * are due `leaseMs + awayAfterMs` after the death at the latest, and presence.ts checks at least
 * once a second, so the default lease keeps within AGENT_AWAY_AFTER_SECONDS + 5 s (the issue's
 * bound) with a second to spare. How early: never before the last renewal's lease ends, so a
 * node whose event loop or connection stalls for less than a lease plus AGENT_AWAY_AFTER_SECONDS
 * sets nobody away.
 *
 * After a failure (Redis away, a lost connection) this node reports nothing due for one lease:
 * the others, cut off too, may not have renewed yet, and their agents must not look dead.
 *
 * One instance per node (it is this node's leases); the two keys of a script are on one Redis
 * (a sharded Redis would need them in one hash slot; standalone Redis, the supported one, does
 * not care).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Absence, PresenceStore } from './presence-store.js';
import { defineScript, type RedisErrorHandler } from './redis.js';

export const DEFAULT_PRESENCE_LEASE_MS = 3_000;

// Shared by the scripts: the time in whole ms on Redis's clock. Scripts that read TIME and then
// write are replicated by their effects (Redis >= 5 always).
const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// KEYS[1] the agent's leases; KEYS[2] the index; ARGV[1] node; ARGV[2] lease (ms); ARGV[3] agent
const HOLD = `${NOW}
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
redis.call('ZADD', KEYS[2], top[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(top[2]) - now + lease)
return 1
`;

// KEYS[1] the agent's leases; KEYS[2] the index; ARGV[1] node; ARGV[2] agent
const RELEASE = `${NOW}
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if top[1] then
  redis.call('ZADD', KEYS[2], top[2], ARGV[2])
else
  redis.call('DEL', KEYS[1])
  redis.call('ZADD', KEYS[2], now, ARGV[2])
end
return 1
`;

// KEYS[1] the index; ARGV[1] due (ms), then agents. An entry at now or later is a holder's lease,
// one after now - due an absence being counted: both left alone.
const ABSENT = `${NOW}
local due = tonumber(ARGV[1])
for i = 2, #ARGV do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if not s or tonumber(s) <= now - due then redis.call('ZADD', KEYS[1], now, ARGV[i]) end
end
return #ARGV - 1
`;

// KEYS[1] the index; ARGV[1] ms; ARGV[2] at most this many
const DUE = `${NOW}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
`;

// KEYS[1] the index; ARGV[1] agent. An entry after now is a holder's lease: held, kept (0). (A
// release writes now itself: forgotten at once.)
const FORGET = `${NOW}
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) > now then return 0 end
if s then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 1
`;

// KEYS[1] the index; ARGV[1] agent; ARGV[2] since
const SETTLE = `
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
`;

/** How many agents one due() returns, and one absentFromNow script takes. */
const BATCH = 500;

type Script = (keys: string[], args: (string | number)[]) => Promise<unknown>;

export interface RedisPresenceOptions {
  /** This node's name in the leases; unique per process by default (host:pid:random). */
  node?: string;
  /** How long a renewal vouches for an agent; renewed every third of it. Default 3 s. */
  leaseMs?: number;
  /** Told when renewing leases failed (the next renewal tries again). */
  onError?: RedisErrorHandler;
}

export class RedisPresenceStore implements PresenceStore {
  readonly node: string;
  readonly leaseMs: number;
  /** The agents this node holds: their leases are renewed. */
  private readonly held = new Set<string>();
  private renewing: NodeJS.Timeout | undefined;
  private renewal: Promise<unknown> | undefined;
  /** performance.now() of the last command that failed. */
  private failedAt = Number.NEGATIVE_INFINITY;
  private readonly hold$: Script;
  private readonly release$: Script;
  private readonly absent$: Script;
  private readonly due$: Script;
  private readonly settle$: Script;
  private readonly forget$: Script;
  private readonly agentPrefix: string;
  private readonly index: string;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly options: RedisPresenceOptions = {},
  ) {
    this.node = options.node ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.leaseMs = Math.round(options.leaseMs ?? DEFAULT_PRESENCE_LEASE_MS);
    if (!(this.leaseMs >= 30)) throw new Error(`presence lease ${options.leaseMs} ms: at least 30 ms`);
    this.hold$ = defineScript(redis, 'ewcPresenceHold', 2, HOLD);
    this.release$ = defineScript(redis, 'ewcPresenceRelease', 2, RELEASE);
    this.absent$ = defineScript(redis, 'ewcPresenceAbsent', 1, ABSENT);
    this.due$ = defineScript(redis, 'ewcPresenceDue', 1, DUE);
    this.settle$ = defineScript(redis, 'ewcPresenceSettle', 1, SETTLE);
    this.forget$ = defineScript(redis, 'ewcPresenceForget', 1, FORGET);
    this.agentPrefix = `${prefix}presence:agent:`;
    this.index = `${prefix}presence:until`;
  }

  async hold(agentId: string): Promise<void> {
    this.held.add(agentId);
    this.renewing ??= setInterval(() => this.renew(), Math.max(10, Math.floor(this.leaseMs / 3))).unref();
    await this.watch(this.hold$([this.agentPrefix + agentId, this.index], [this.node, this.leaseMs, agentId]));
  }

  async release(agentId: string): Promise<void> {
    this.held.delete(agentId);
    if (this.held.size === 0) this.stop();
    await this.watch(this.release$([this.agentPrefix + agentId, this.index], [this.node, agentId]));
  }

  async absentFromNow(agentIds: readonly string[], dueMs: number): Promise<void> {
    for (let i = 0; i < agentIds.length; i += BATCH) await this.watch(this.absent$([this.index], [Math.max(0, Math.round(dueMs)), ...agentIds.slice(i, i + BATCH)]));
  }

  async due(ms: number): Promise<Absence[]> {
    if (performance.now() - this.failedAt < this.leaseMs) return [];
    const flat = (await this.watch(this.due$([this.index], [Math.max(0, Math.round(ms)), BATCH]))) as string[];
    const due: Absence[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) due.push({ agentId: flat[i]!, since: Number(flat[i + 1]) });
    return due;
  }

  async settle({ agentId, since }: Absence): Promise<void> {
    await this.watch(this.settle$([this.index], [agentId, since]));
  }

  async forget(agentId: string): Promise<boolean> {
    return (await this.watch(this.forget$([this.index], [agentId]))) === 1;
  }

  /**
   * Stops renewing (the platform closing its connections; or, in tests, a node dying): what
   * this node held stays until its leases end. Holding again starts renewing again.
   */
  stop(): void {
    clearInterval(this.renewing);
    this.renewing = undefined;
  }

  /** Renews the lease of every agent this node holds, all sent at once; skipped while one is under way. */
  private renew(): void {
    if (this.renewal || this.held.size === 0) return;
    const work = Promise.all([...this.held].map((agentId) => this.watch(this.hold$([this.agentPrefix + agentId, this.index], [this.node, this.leaseMs, agentId]))));
    this.renewal = work
      .catch((error: unknown) => this.options.onError?.(error as Error, 'renewing presence leases'))
      .finally(() => (this.renewal = undefined));
  }

  /** Notes when a command failed (see due()). */
  private async watch<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (error) {
      this.failedAt = performance.now();
      throw error;
    }
  }
}
