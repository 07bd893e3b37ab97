/**
 * Presence across nodes, on the real Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379):
 * an agent with a live feed on any node is never set away; one whose only feeds were on a node
 * that died is set away by the survivors, once, within AGENT_AWAY_AFTER_SECONDS + 5 s (issue 12).
 *
 * First the store alone: RedisPresenceStores on their own connections, as nodes would have.
 * Then whole platforms on one database (sharedStore), each with its own redisCluster() on one
 * prefix, and one InMemoryEventBus given to all of them as a distributed bus would be. A node
 * "dies" as a kill -9 looks from Redis and from the other nodes: its Redis connections drop
 * without a word (no release, no more renewals), then its sockets end; the platform object is
 * closed afterwards only to free the port, and its goodbye cannot reach Redis.
 *
 * Each test uses a random prefix and deletes its keys afterwards.
 */
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { TEST_REDIS_URL as REDIS_URL, TestRedis } from '../test-support/redis.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Platform } from '../app.js';
import { connectAgent, type AgentFeed } from '../test-support/agent-client.js';
import { testConfig } from '../test-support/platform.js';
import { freshStore, type TestStore } from '../test-support/stores.js';
import type { Provisioning } from '../provisioning/schema.js';
import { InMemoryEventBus, type ChatEvent } from './event-bus.js';
import type { Absence, PresenceStore } from './presence-store.js';
import { redisCluster, type RedisCluster } from './redis-cluster.js';
import { DEFAULT_PRESENCE_LEASE_MS, RedisPresenceStore } from './redis-presence.js';
import { closeRedis, connectRedis } from './redis.js';

const RATES = {
  tpiRate: { channel: { perSecond: 1_000, burst: 1_000 }, client: { perSecond: 1_000, burst: 1_000 } },
  webchatRate: { visitor: { perSecond: 1_000, burst: 1_000 }, address: { perSecond: 1_000, burst: 1_000 } },
};

const testRedis = new TestRedis();
const connections: Redis[] = [];
const stores: RedisPresenceStore[] = [];
/** Background errors of nodes that are meant to be alive. */
const errors: string[] = [];

beforeAll(async () => {
  await testRedis.connect();
});
afterAll(async () => {
  await testRedis.quit();
});
afterEach(async () => {
  for (const s of stores.splice(0)) s.stop();
  for (const c of connections.splice(0)) await closeRedis(c);
  await testRedis.cleanUp();
  expect(errors.splice(0)).toEqual([]);
});

const newPrefix = (): string => testRedis.newPrefix();
const keysOf = (prefix: string): Promise<string[]> => testRedis.keysOf(prefix);
const admin = testRedis.admin;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` is true; returns ms since `from` (performance.now()) when it was. */
async function until(probe: () => Promise<boolean> | boolean, what: string, from = performance.now(), timeoutMs = 15_000): Promise<number> {
  for (;;) {
    if (await probe()) return performance.now() - from;
    if (performance.now() - from > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** For `ms`, `probe` stays true (checked every 10 ms). */
async function throughout(ms: number, probe: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    expect(await probe(), what).toBe(true);
    await sleep(10);
  }
}

describe('RedisPresenceStore: nodes sharing presence', () => {
  const LEASE = 300;

  /** One node: its own connection and store. */
  async function node(prefix: string, name: string, redisOptions = {}): Promise<{ store: RedisPresenceStore; redis: Redis }> {
    const redis = await connectRedis(REDIS_URL, { redis: redisOptions });
    connections.push(redis);
    const store = new RedisPresenceStore(redis, prefix, { node: name, leaseMs: LEASE, onError: (e, what) => errors.push(`${name} ${what}: ${e.message}`) });
    stores.push(store);
    return { store, redis };
  }
  const agentsOf = (due: Absence[]) => due.map((d) => d.agentId);

  it("keeps an agent held on node A present for node B while A renews; once A stops (dies), absent from its last lease's end", async () => {
    const prefix = newPrefix();
    const a = await node(prefix, 'A');
    const b = await node(prefix, 'B');
    await a.store.hold('X');
    // Three leases long: only A's renewals keep X present.
    await throughout(LEASE * 3, async () => (await b.store.due(0)).length === 0, 'X present for B while A renews');

    // A dies: no more renewals, no release; its connection drops without a word.
    a.store.stop();
    a.redis.disconnect();
    const died = performance.now();
    const absentAfter = await until(async () => agentsOf(await b.store.due(0)).includes('X'), 'X absent for B', died);
    console.log(`presence store: a dead node's agent absent ${absentAfter.toFixed(0)} ms after the death (lease ${LEASE} ms, renewed every ${LEASE / 3} ms)`);
    // Its last renewal was at most a third of a lease before the death, so its lease ended
    // between two thirds of a lease and a lease after it.
    expect(absentAfter).toBeGreaterThanOrEqual((LEASE * 2) / 3 - 20);
    expect(absentAfter).toBeLessThanOrEqual(LEASE + 100);

    // due(ms) counts from the lease's end; settling forgets it, for every node.
    const [absence] = await b.store.due(0);
    expect(await b.store.due(10_000)).toEqual([]);
    const c = await node(prefix, 'C');
    expect(await c.store.due(0)).toEqual([absence]);
    await c.store.settle(absence!);
    expect(await b.store.due(0)).toEqual([]);
  });

  it('keeps an agent held by two nodes present until both let go; a clean release counts from then', async () => {
    const prefix = newPrefix();
    const a = await node(prefix, 'A');
    const b = await node(prefix, 'B');
    await a.store.hold('X');
    await b.store.hold('X');
    await a.store.release('X');
    await throughout(LEASE * 2, async () => (await a.store.due(0)).length === 0, 'X present while B holds it');
    await b.store.release('X');
    const released = performance.now();
    expect(agentsOf(await a.store.due(0))).toEqual(['X']);
    expect(await a.store.due(LEASE)).toEqual([]);
    const dueAfter = await until(async () => (await a.store.due(LEASE)).length === 1, 'X absent a lease', released);
    expect(dueAfter).toBeGreaterThanOrEqual(LEASE - 20);
    // Held again, on any node: no longer absent; and nothing stale to settle.
    const [absence] = await b.store.due(0);
    await a.store.hold('X');
    await b.store.settle(absence!);
    expect(await b.store.due(0)).toEqual([]);
    await a.store.release('X');
    expect(agentsOf(await b.store.due(0))).toEqual(['X']);
    // The agent's lease set went with the last holder; the index keeps the absence.
    expect(await keysOf(prefix)).toEqual([`${prefix}presence:until`]);
  });

  it('counts a start from now: held agents untouched, absences nobody counted (already due) from now; settle forgets only what it was given', async () => {
    const prefix = newPrefix();
    const a = await node(prefix, 'A');
    const b = await node(prefix, 'B');
    await b.store.hold('Z');
    await a.store.hold('Y');
    await a.store.release('Y');
    await sleep(100);
    const [old] = await a.store.due(50);
    expect(old?.agentId).toBe('Y');
    // Y's absence is older than the 50 ms it is due after: counted by nobody, so from now.
    await a.store.absentFromNow(['Y', 'Z', 'W'], 50);
    expect(await a.store.due(50)).toEqual([]);
    const due = await a.store.due(0);
    expect(agentsOf(due).sort()).toEqual(['W', 'Y']);
    expect(due.find((d) => d.agentId === 'Y')!.since).toBeGreaterThan(old!.since);
    // Settling the older absence of Y changes nothing: it was renewed.
    await a.store.settle(old!);
    expect(agentsOf(await a.store.due(0)).sort()).toEqual(['W', 'Y']);
    for (const d of due) await b.store.settle(d);
    expect(await a.store.due(0)).toEqual([]);
    // Z is still B's: its lease set expires by itself soon after B's last lease.
    const ttl = await admin.pttl(`${prefix}presence:agent:Z`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2 * LEASE);
  });

  it('keeps the time of an absence being counted when a node starts (a restart does not push back the away of a dead node\u2019s agents)', async () => {
    const prefix = newPrefix();
    const dead = await node(prefix, 'dead');
    await dead.store.hold('P');
    dead.store.stop();
    // Its lease ends: P is absent since then, counted by the running nodes.
    await sleep(LEASE + 100);
    const restarted = await node(prefix, 'restarted');
    const [counted] = await restarted.store.due(0);
    expect(counted?.agentId).toBe('P');
    await restarted.store.absentFromNow(['P'], 60_000);
    expect(await restarted.store.due(0)).toEqual([counted]);
    // Due already (nobody counted it): from now.
    await restarted.store.absentFromNow(['P'], 50);
    const [renewed] = await restarted.store.due(0);
    expect(renewed!.since).toBeGreaterThan(counted!.since);
  });

  it('forgets the absence of an agent nobody holds (an API choice of online), never one some node holds', async () => {
    const prefix = newPrefix();
    const a = await node(prefix, 'A');
    const b = await node(prefix, 'B');
    await a.store.hold('X');
    expect(await b.store.forget('X')).toBe(false);
    await a.store.release('X');
    expect(agentsOf(await b.store.due(0))).toEqual(['X']);
    expect(await b.store.forget('X')).toBe(true);
    expect(await a.store.due(0)).toEqual([]);
    // A node that died: once its lease ends, nobody holds X.
    await a.store.hold('X');
    a.store.stop();
    expect(await b.store.forget('X')).toBe(false);
    await until(async () => agentsOf(await b.store.due(0)).includes('X'), 'X absent after the lease');
    expect(await b.store.forget('X')).toBe(true);
    expect(await b.store.due(0)).toEqual([]);
    // Never held at all: nothing to forget, and nobody holds it.
    expect(await b.store.forget('W')).toBe(true);
  });

  it('reports nothing due for a lease after one of its commands failed: the other nodes, cut off too, may not have renewed yet', async () => {
    const prefix = newPrefix();
    const a = await node(prefix, 'A');
    // A node whose commands fail at once while it reconnects.
    const b = await node(prefix, 'B', { enableOfflineQueue: false });
    await a.store.hold('Y');
    await a.store.release('Y');
    expect(agentsOf(await b.store.due(0))).toEqual(['Y']);
    b.redis.disconnect(true);
    await expect(b.store.due(0)).rejects.toThrow();
    const failed = performance.now();
    await until(async () => (await b.redis.ping().catch(() => undefined)) === 'PONG', 'B reconnected', failed);
    expect(await b.store.due(0)).toEqual([]);
    const back = await until(async () => (await b.store.due(0)).length === 1, 'Y due for B again', failed);
    expect(back).toBeGreaterThanOrEqual(LEASE - 20);
  });
});

describe('presence across platforms on one store and one Redis', { timeout: 60_000 }, () => {
  let store: TestStore | undefined;
  const nodes: { platform: Platform; redis: RedisCluster; url: string; closed: boolean }[] = [];
  const feeds: AgentFeed[] = [];
  afterEach(async () => {
    for (const f of feeds.splice(0)) f.close();
    for (const n of nodes.splice(0)) {
      if (!n.closed) await n.platform.close();
      await n.redis.close();
    }
    await store?.drop();
    store = undefined;
  });

  const provisioning: Provisioning = {
    queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }],
    agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }],
  };

  /**
   * n2 and n3 decide at once: each one's check, having found agents due, waits (up to 2 s) until
   * the other's has found them too, so both set them away unless the store's update decides.
   */
  function decidingTogether(): (store: PresenceStore) => PresenceStore {
    let arrived = 0;
    let all!: () => void;
    const together = new Promise<void>((resolve) => (all = resolve));
    return (store) => ({
      hold: (agentId) => store.hold(agentId),
      release: (agentId) => store.release(agentId),
      absentFromNow: (agentIds, dueMs) => store.absentFromNow(agentIds, dueMs),
      settle: (absence) => store.settle(absence),
      forget: (agentId) => store.forget(agentId),
      async due(ms) {
        const due = await store.due(ms);
        if (due.length > 0) {
          if (++arrived === 2) all();
          await Promise.race([together, sleep(2_000)]);
        }
        return due;
      },
    });
  }

  /** Three nodes (n1 applies the provisioning), one bus; `aways` has when any node set the agent away. */
  async function cluster(awayAfterMs: number, leaseMs: number, survivors?: (store: PresenceStore) => PresenceStore) {
    store = await freshStore();
    const prefix = newPrefix();
    const bus = new InMemoryEventBus();
    const aways: number[] = [];
    const dead = new Set<string>();
    bus.on((e: ChatEvent) => {
      if (e.type === 'agent-status' && e.status === 'away') aways.push(performance.now());
    });
    for (const name of ['n1', 'n2', 'n3']) {
      // A dead node's errors (renewals on a dropped connection) are expected; the others' not.
      const onError = (e: Error, what: string) => void (dead.has(name) || errors.push(`${name} ${what}: ${e.message}`));
      const redis = await redisCluster({ url: REDIS_URL, prefix, rates: RATES, node: name, presenceLeaseMs: leaseMs, onError });
      const platform = await buildApp(testConfig(store, { awayAfterMs }), {
        ...(name === 'n1' ? { provisioning } : {}),
        sharedStore: true,
        cluster: { events: bus, presence: name !== 'n1' && survivors ? survivors(redis.state.presence) : redis.state.presence },
      });
      await platform.start();
      await platform.app.listen({ host: '127.0.0.1', port: 0 });
      nodes.push({ platform, redis, url: `http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}`, closed: false });
    }
    const url = (i: number) => nodes[i]!.url;
    const api = async (i: number, method: string, path: string, token?: string, body?: unknown) =>
      fetch(`${url(i)}${path}`, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const token = ((await (await api(1, 'POST', '/api/v1/agent/login', undefined, { username: 'a', password: 'pw' })).json()) as { token: string }).token;
    expect((await api(2, 'PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    const statusOn = async (i: number) => ((await (await api(i, 'GET', '/api/v1/agent/me', token)).json()) as { status: string }).status;
    const feedOn = async (i: number) => {
      const feed = await connectAgent(url(i), token);
      feeds.push(feed);
      // Held in Redis (the hold is sent as the feed is accepted).
      await until(async () => (await admin.zscore(`${prefix}presence:agent:A`, `n${i + 1}`)) !== null, `the feed on n${i + 1} held`);
      return feed;
    };
    /** As a kill -9 looks from outside: its Redis connections drop (no release, no renewals), then its sockets end. */
    const kill = async (i: number) => {
      const n = nodes[i]!;
      n.closed = true;
      dead.add(`n${i + 1}`);
      n.redis.redis.disconnect();
      n.redis.subscriber.disconnect();
      const died = performance.now();
      await n.platform.close();
      return died;
    };
    return { aways, statusOn, feedOn, kill, token };
  }

  it('sets away, once, an agent whose only feed was on a node that died, within AGENT_AWAY_AFTER_SECONDS + 5 s (the default lease)', async () => {
    const AWAY = 1_000;
    const c = await cluster(AWAY, DEFAULT_PRESENCE_LEASE_MS, decidingTogether());
    await c.feedOn(0);
    const died = await c.kill(0);
    // n2 and n3 both find the agent due and both set them away: the conditional update decides.
    const awayAfter = await until(() => c.aways.length > 0, 'the agent set away', died);
    console.log(`presence: an agent whose node died set away ${awayAfter.toFixed(0)} ms after the death (AGENT_AWAY_AFTER_SECONDS ${AWAY / 1000} s, lease ${DEFAULT_PRESENCE_LEASE_MS} ms)`);
    expect(await c.statusOn(1)).toBe('away');
    expect(awayAfter).toBeLessThanOrEqual(AWAY + 5_000);
    // Not before the dead node's last lease ended (renewed every third of it) plus the window.
    expect(awayAfter).toBeGreaterThanOrEqual(AWAY + (DEFAULT_PRESENCE_LEASE_MS * 2) / 3 - 50);
    await sleep(500);
    expect(c.aways).toHaveLength(1);
  });

  it('never sets away an agent with a live feed on some node: renewals keep it, a feed elsewhere outlives one that ends or a dead node', async () => {
    const AWAY = 300;
    // Renewed every 400 ms, longer than the window: a renewal cannot hide a wrong absence.
    const LEASE = 1_200;
    const c = await cluster(AWAY, LEASE);
    const first = await c.feedOn(0);
    // Several leases and windows: n1's renewals alone keep the agent online for n2 and n3.
    await throughout(AWAY + 1.5 * LEASE, async () => (await c.statusOn(2)) === 'online', 'online while n1 renews');
    const onSurvivor = await c.feedOn(1);
    // A feed that ends on one node while another lives elsewhere changes nothing.
    first.close();
    await throughout(AWAY + 1.5 * LEASE, async () => (await c.statusOn(2)) === 'online', 'online while the feed on n2 lives');
    await c.feedOn(0);
    await c.kill(0);
    await throughout(AWAY + 1.5 * LEASE, async () => (await c.statusOn(2)) === 'online', 'online while the feed on n2 lives');
    expect(c.aways).toEqual([]);

    onSurvivor.close();
    const closed = performance.now();
    const awayAfter = await until(() => c.aways.length > 0, 'the agent set away', closed);
    console.log(`presence: set away ${awayAfter.toFixed(0)} ms after the last feed (on a survivor) closed (window ${AWAY} ms)`);
    expect(awayAfter).toBeGreaterThanOrEqual(AWAY - 20);
    expect(awayAfter).toBeLessThanOrEqual(AWAY + 500);
    expect(await c.statusOn(2)).toBe('away');
    await sleep(300);
    expect(c.aways).toHaveLength(1);
  });
});
