/**
 * The cluster's shared state against the real Redis (TEST_REDIS_URL, default
 * redis://127.0.0.1:6379): two independent redisCluster() instances on one Redis, as two nodes
 * would have, each with its own connections. Each test names its platform with a random prefix
 * and deletes that prefix's keys afterwards, so runs side by side (both store projects) and
 * other users of the Redis do not meet.
 */
import { TEST_REDIS_URL as REDIS_URL, TestRedis } from '../test-support/redis.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryLoginLimiter, type LoginVerdict } from '../auth/login-limiter.js';
import { TINY_PNG } from '../test-support/chat.js';
import { startWorld } from '../test-support/world.js';
import type { ChatEvent } from './event-bus.js';
import { redisCluster, type RedisCluster } from './redis-cluster.js';

/** 20 a second, bursts of 40: the per-customer example. */
const RATES = {
  tpiRate: { channel: { perSecond: 1_000, burst: 2_000 }, client: { perSecond: 20, burst: 40 } },
  webchatRate: { visitor: { perSecond: 10, burst: 30 }, address: { perSecond: 2, burst: 60 } },
};

const testRedis = new TestRedis();
const opened: RedisCluster[] = [];
const errors: string[] = [];

beforeAll(async () => {
  await testRedis.connect();
});
afterAll(async () => {
  await testRedis.quit();
});
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  await testRedis.cleanUp();
  expect(errors.splice(0)).toEqual([]);
});

const newPrefix = (): string => testRedis.newPrefix();
const keysOf = (prefix: string): Promise<string[]> => testRedis.keysOf(prefix);
const admin = testRedis.admin;

/** One node of the platform named by `prefix`. */
async function node(prefix: string): Promise<RedisCluster> {
  const c = await redisCluster({ url: REDIS_URL, prefix, rates: RATES, onError: (error, what) => errors.push(`${what}: ${error.message}`) });
  opened.push(c);
  return c;
}

/** Two nodes of one platform. */
async function twoNodes(prefix = newPrefix()): Promise<[RedisCluster, RedisCluster]> {
  return [await node(prefix), await node(prefix)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('RedisRateLimiter across nodes', () => {
  it('holds a burst of 100 takes spread over two nodes to burst + rate × time, not twice the burst, and refills', async () => {
    const [a, b] = await twoNodes();
    const burst = async (n: number) => {
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : b).state.clientRate.take('ch\u0000c:alice')));
      return { taken: answers.filter(Boolean).length, ms: performance.now() - started };
    };
    const first = await burst(100);
    console.log(`rate limit: first burst of 100 over 2 nodes took ${first.taken} in ${first.ms.toFixed(1)} ms (burst 40, 20/s)`);
    // Two per-node buckets would take 80; one bucket takes its 40 and what refilled meanwhile.
    expect(first.taken).toBeGreaterThanOrEqual(40);
    expect(first.taken).toBeLessThanOrEqual(40 + Math.ceil((20 * first.ms) / 1000));

    // A second later about 20 tokens are back, for both nodes together.
    const sleptFrom = performance.now();
    await sleep(1_000);
    const second = await burst(100);
    const sinceFirst = performance.now() - sleptFrom;
    console.log(`rate limit: after ${sinceFirst.toFixed(0)} ms, a second burst of 100 took ${second.taken}`);
    expect(second.taken).toBeGreaterThanOrEqual(19);
    expect(second.taken).toBeLessThanOrEqual(Math.ceil((20 * (sinceFirst + first.ms)) / 1000) + 1);

    // Another customer, and another limiter with the same key, have buckets of their own.
    expect(await a.state.clientRate.take('ch\u0000c:bob')).toBe(true);
    expect(await b.state.visitorRate.take('ch\u0000c:alice')).toBe(true);
    // A bucket expires once it would be full again: 40 / 20 s + 1 s.
    const ttl = await admin.pttl(`${a.prefix}rate:client:ch\u0000c:alice`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_000);
  });

  it('counts concurrent takes from two nodes exactly (a slow rate: nothing refills during the run)', async () => {
    const prefix = newPrefix();
    const slow = { ...RATES, webchatRate: { ...RATES.webchatRate, address: { perSecond: 0.001, burst: 60 } } };
    const [a, b] = [await redisCluster({ url: REDIS_URL, prefix, rates: slow }), await redisCluster({ url: REDIS_URL, prefix, rates: slow })];
    opened.push(a, b);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? a : b).state.addressRate.take('10.0.0.1')));
    expect(answers.filter(Boolean).length).toBe(60);
  });
});

describe('RedisReplayCache across nodes', () => {
  it('refuses on node B a signed call seen on node A, within its window only', async () => {
    const [a, b] = await twoNodes();
    const now = Math.floor(Date.now() / 1000);
    expect(await a.state.replays.remember('sig-1', now + 300, now)).toBe(true);
    expect(await b.state.replays.remember('sig-1', now + 300, now)).toBe(false);
    expect(await a.state.replays.remember('sig-1', now + 300, now)).toBe(false);
    expect(await b.state.replays.remember('sig-2', now + 300, now)).toBe(true);
    // Kept through the whole second until (301 s from now), then forgotten by Redis.
    const ttl = await admin.pttl(`${a.prefix}replay:sig-1`);
    expect(ttl).toBeGreaterThan(300_000);
    expect(ttl).toBeLessThanOrEqual(301_000);
    // A window already over is new every time, as in memory.
    expect(await a.state.replays.remember('sig-old', now - 1, now)).toBe(true);
    expect(await b.state.replays.remember('sig-old', now - 1, now)).toBe(true);
    // A window ending this second: refused now, new again once that second is over.
    expect(await a.state.replays.remember('sig-3', now, now)).toBe(true);
    expect(await b.state.replays.remember('sig-3', now, now)).toBe(false);
    await sleep(1_100);
    expect(await b.state.replays.remember('sig-3', now + 1, now + 1)).toBe(true);
  });

  it('lets exactly one of 50 concurrent copies of a call through, across nodes', async () => {
    const [a, b] = await twoNodes();
    const now = Math.floor(Date.now() / 1000);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).state.replays.remember('sig-race', now + 300, now)));
    expect(answers.filter(Boolean).length).toBe(1);
  });
});

describe('RedisLoginLimiter across nodes', () => {
  it('locks a username out after 5 failures spread over two nodes, on both; a success on either clears it', async () => {
    const [a, b] = await twoNodes();
    const now = 1_800_000_000_000;
    for (let i = 0; i < 3; i++) await a.state.logins.failed('Alice', '10.0.0.1', now);
    expect(await b.state.logins.check('alice', '10.0.0.2', now)).toEqual({ allowed: true, retryAfterMs: 0 });
    for (let i = 0; i < 2; i++) await b.state.logins.failed('ALICE', '10.0.0.2', now);
    expect(await b.state.logins.check('alice', '10.0.0.3', now)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(await a.state.logins.check('Alice', '10.0.0.1', now + 400)).toEqual({ allowed: false, retryAfterMs: 600 });
    expect(await a.state.logins.check('bob', '10.0.0.1', now)).toEqual({ allowed: true, retryAfterMs: 0 });
    await b.state.logins.succeeded('aLiCe');
    expect(await a.state.logins.check('alice', '10.0.0.1', now)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('counts failures arriving on two nodes at once: 7 concurrent failures delay 4 s', async () => {
    const [a, b] = await twoNodes();
    const now = 1_800_000_000_000;
    await Promise.all(Array.from({ length: 7 }, (_, i) => (i % 2 === 0 ? a : b).state.logins.failed('carol', `10.0.1.${i}`, now)));
    expect(await a.state.logins.check('carol', '10.9.9.9', now)).toEqual({ allowed: false, retryAfterMs: 4_000 });
  });

  it('answers as InMemoryLoginLimiter does, step by step: doubling, the cap, addresses, forgetting after an hour', async () => {
    const [a, b] = await twoNodes();
    const memory = new InMemoryLoginLimiter();
    let now = 1_800_000_000_000;
    const both = async (step: string, redisAnswer: LoginVerdict | void | Promise<LoginVerdict | void>, memoryAnswer: LoginVerdict | void) => {
      expect(await redisAnswer, step).toEqual(memoryAnswer);
    };
    const fail = (node: RedisCluster, user: string, address: string) => both(`fail ${user} ${address} at ${now}`, node.state.logins.failed(user, address, now), memory.failed(user, address, now));
    const check = (node: RedisCluster, user: string, address: string) => both(`check ${user} ${address} at ${now}`, node.state.logins.check(user, address, now), memory.check(user, address, now));
    const nodes = [a, b];
    // One user: 12 failures, 30 s apart, checked in between on the other node (1, 2, 4, … 128 s).
    for (let i = 0; i < 12; i++) {
      await fail(nodes[i % 2]!, 'dave', '10.0.0.1');
      await check(nodes[(i + 1) % 2]!, 'Dave', '10.0.0.9');
      now += 30_000;
    }
    // Up to the 5-minute cap.
    for (let i = 0; i < 6; i++) await fail(nodes[i % 2]!, 'dave', '10.0.0.1');
    await check(a, 'dave', '10.0.0.9');
    now += 299_000;
    await check(b, 'dave', '10.0.0.9');
    // An hour after the last failure, the count starts again: one failure is free.
    now += 3600_001;
    await fail(a, 'dave', '10.0.0.1');
    await check(b, 'dave', '10.0.0.9');
    // One address trying many usernames: from 20 failures it waits, whoever it tries.
    for (let i = 0; i < 22; i++) {
      await fail(nodes[i % 2]!, `user${i}`, '192.0.2.7');
      await check(nodes[(i + 1) % 2]!, 'someone-new', '192.0.2.7');
    }
    // A success clears the username's count, not the address's.
    await both('succeeded', b.state.logins.succeeded('user21'), memory.succeeded('user21'));
    await check(a, 'user21', '192.0.2.8');
    await check(a, 'user21', '192.0.2.7');
    now += 10 * 60_000;
    await check(b, 'user21', '192.0.2.7');
  });
});

describe('RedisEventBus across nodes', () => {
  it('delivers 1,000 events from each of two nodes to both, once each, in each publisher\u2019s order', async () => {
    const [a, b] = await twoNodes();
    const seen = { a: [] as ChatEvent[], b: [] as ChatEvent[] };
    a.state.events.on((e) => seen.a.push(e));
    b.state.events.on((e) => seen.b.push(e));
    // What reaches each node's subscription at all, own echoes included: once this has
    // everything, every echo has been read (and had to be dropped).
    let rawA = 0;
    let rawB = 0;
    a.subscriber.on('message', () => rawA++);
    b.subscriber.on('message', () => rawB++);

    const N = 1_000;
    const started = performance.now();
    for (let i = 1; i <= N; i++) {
      a.state.events.emit({ type: 'read', sessionId: 1, upTo: i });
      b.state.events.emit({ type: 'read', sessionId: 2, upTo: i });
      // Now and then let the connections breathe, as a server's event loop would.
      if (i % 100 === 0) await sleep(0);
    }
    await until(() => rawA === 2 * N && rawB === 2 * N, 'every event back from Redis on both nodes');
    console.log(`events: ${2 * N} events over 2 nodes, everywhere in ${(performance.now() - started).toFixed(0)} ms`);
    await sleep(100);

    for (const [name, events] of Object.entries(seen)) {
      const from = (sessionId: number) => events.filter((e) => e.type === 'read' && e.sessionId === sessionId).map((e) => (e as { upTo: number }).upTo);
      const expected = Array.from({ length: N }, (_, i) => i + 1);
      expect(from(1), `node ${name}: node A's events`).toEqual(expected);
      expect(from(2), `node ${name}: node B's events`).toEqual(expected);
      expect(events.length, `node ${name}: nothing else`).toBe(2 * N);
    }
  });

  it('delivers a node\u2019s own events to its listeners synchronously, as in memory; a throwing listener elsewhere harms no other', async () => {
    const [a, b] = await twoNodes();
    const local: ChatEvent[] = [];
    a.state.events.on((e) => local.push(e));
    const stopThrowing = b.state.events.on(() => {
      throw new Error('listener bug');
    });
    const remote: ChatEvent[] = [];
    b.state.events.on((e) => remote.push(e));
    a.state.events.emit({ type: 'capacity' });
    expect(local).toEqual([{ type: 'capacity' }]);
    await until(() => remote.length === 1, 'the event on node B');
    expect(remote).toEqual([{ type: 'capacity' }]);
    expect(errors.splice(0)).toEqual(['a listener of a capacity event from another node: listener bug']);
    stopThrowing();
  });

  it('carries the real events of a real conversation, on this store, unchanged to another node', async () => {
    // The platform runs as today (in-memory bus); what its code emits is recorded, then sent
    // through node A: node B must receive exactly what A's own listeners got.
    const w = await startWorld();
    const emitted: ChatEvent[] = [];
    w.p.platform.events.on((e) => emitted.push(e));
    try {
      const token = await w.online('a');
      const sessionId = await w.openChat('c-real');
      await w.p.tpi({ type: 2001, sessionId, clientId: 'c-real', text: '你好 /::) "quoted" \u0000 \u2028 😀' });
      await w.p.tpi({ type: 2002, sessionId, clientId: 'c-real', imgName: 'dot.png', imgData: TINY_PNG });
      expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, token, { text: 'hello' })).status).toBe(201);
      await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/typing`, token, { typing: true });
      await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/close`, token);
      await w.p.tpi({ type: 1000, clientId: 'c-wait', queueId: 1 });
      await w.p.api('PUT', '/api/v1/agent/status', token, { status: 'offline' });
      await until(() => emitted.some((e) => e.type === 'delivery'), 'a delivery mark');
    } finally {
      await w.close();
    }
    const types = new Set(emitted.map((e) => e.type));
    console.log(`events: a real conversation emitted ${emitted.length} events (${[...types].join(', ')})`);
    expect([...types]).toEqual(expect.arrayContaining(['agent-status', 'assigned', 'message', 'closed', 'capacity', 'outbox', 'request-ended', 'typing', 'delivery']));

    const [a, b] = await twoNodes();
    const onA: ChatEvent[] = [];
    const onB: ChatEvent[] = [];
    a.state.events.on((e) => onA.push(e));
    b.state.events.on((e) => onB.push(e));
    for (const e of emitted) a.state.events.emit(e);
    await until(() => onB.length === emitted.length, 'every event on node B');
    expect(onA).toStrictEqual(emitted);
    // Strictly: the same fields, types and (plain) prototypes; no field left undefined.
    expect(onB).toStrictEqual(emitted);
  });
});

describe('the prefix', () => {
  it('keeps two platforms on one Redis apart: rates, replays, logins and events', async () => {
    const [p1, p1b] = await twoNodes();
    const [p2] = await twoNodes();
    const now = Math.floor(Date.now() / 1000);
    const events2: ChatEvent[] = [];
    p2.state.events.on((e) => events2.push(e));
    const events1b: ChatEvent[] = [];
    p1b.state.events.on((e) => events1b.push(e));

    for (let i = 0; i < 40; i++) await p1.state.clientRate.take('ch\u0000c:x');
    expect(await p1b.state.clientRate.take('ch\u0000c:x')).toBe(false);
    expect(await p2.state.clientRate.take('ch\u0000c:x')).toBe(true);

    expect(await p1.state.replays.remember('sig', now + 300, now)).toBe(true);
    expect(await p2.state.replays.remember('sig', now + 300, now)).toBe(true);

    for (let i = 0; i < 5; i++) await p1.state.logins.failed('erin', '10.0.0.1', now * 1000);
    expect((await p1b.state.logins.check('erin', '10.0.0.2', now * 1000)).allowed).toBe(false);
    expect(await p2.state.logins.check('erin', '10.0.0.1', now * 1000)).toEqual({ allowed: true, retryAfterMs: 0 });

    p1.state.events.emit({ type: 'channels-changed' });
    await until(() => events1b.length === 1, "the event on platform 1's other node");
    await sleep(100);
    expect(events2).toEqual([]);

    // Every key either platform made starts with its own prefix.
    expect(await keysOf(p1.prefix)).toEqual([`${p1.prefix}login:addr:10.0.0.1`, `${p1.prefix}login:user:erin`, `${p1.prefix}rate:client:ch\u0000c:x`, `${p1.prefix}replay:sig`]);
    expect(await keysOf(p2.prefix)).toEqual([`${p2.prefix}rate:client:ch\u0000c:x`, `${p2.prefix}replay:sig`]);
  });
});

describe('redisCluster', () => {
  it('refuses a bad prefix, and a Redis that does not answer, leaving nothing open', async () => {
    await expect(redisCluster({ url: REDIS_URL, prefix: '', rates: RATES })).rejects.toThrow(/prefix/);
    const refused = await redisCluster({ url: 'redis://:secret@127.0.0.1:1', rates: RATES }).catch((error: Error) => error);
    expect((refused as Error).message).toMatch(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 does not answer: connect ECONNREFUSED/);
  });

  it('closes both connections, once however often asked', async () => {
    const [a] = await twoNodes();
    await Promise.all([a.close(), a.close()]);
    expect([a.redis.status, a.subscriber.status]).toEqual(['end', 'end']);
  });
});
