/**
 * The router reads only the oldest waiting requests of each queue, as many as its agents with
 * room can need (engine.ts, moreNeeded). Here it must route exactly what reading every waiting
 * request would, in worlds made to test that: many queues (auto, offer, manual, disabled),
 * agents in several queues with different free places (open offers holding some), requests
 * held by an open offer, refused by agents (declined, let run out) mostly at the front of the
 * line, and chats transferred to a queue, which never go back to who sent them.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.js';
import { planAssignments, type Assignment } from '../../routing/engine.js';
import { manualClock, startTestPlatform, type TestPlatform } from '../../test-support/platform.js';
import { queueIsOpen } from './queues.js';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);

/** A seeded generator: the same worlds on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes a world straight into the store. */
async function world(db: Db, seed: number): Promise<void> {
  const r = random(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const queueCount = 6 + int(7);
  const queues = Array.from({ length: queueCount }, (_, i) => {
    const roll = r();
    const assignment = roll < 0.55 ? ('auto' as const) : roll < 0.9 ? ('offer' as const) : ('manual' as const);
    return { id: i + 1, name: `q${i + 1}`, timezone: 'UTC', hours: null, max_wait_seconds: 86_400, max_length: 10_000, when_no_agent_online: 'wait' as const, enabled: r() < 0.93 ? 1 : 0, assignment, max_refusals: 100, created_at: NOW, updated_at: NOW };
  });
  await db.insertInto('queues').values(queues).execute();
  const agents = Array.from({ length: 8 + int(13) }, (_, i) => ({
    id: `G${String(i).padStart(2, '0')}`,
    username: `g${i}`,
    password_hash: 'none',
    name: `G${i}`,
    alias: '',
    icon: '',
    comments: '',
    max_chats: 1 + int(5),
    role: 'agent' as const,
    status: r() < 0.85 ? ('online' as const) : ('away' as const),
    // Ties of idle time are common, so the tie by id is exercised too.
    idle_since: NOW - 1_000 * int(4),
    enabled: r() < 0.95 ? 1 : 0,
    created_at: NOW,
    updated_at: NOW,
  }));
  await db.insertInto('agents').values(agents).execute();
  const memberships = agents.flatMap((a) => [...new Set(Array.from({ length: 1 + int(3) }, () => 1 + int(queueCount)))].map((q) => ({ agent_id: a.id, queue_id: q })));
  await db.insertInto('agent_queues').values(memberships).execute();
  const online = agents.filter((a) => a.status === 'online' && a.enabled === 1).map((a) => a.id);

  let client = 0;
  const request = (queueId: number, status: number) => ({ channel_id: 'ch', client_id: `c${client++}`, nickname: 'c', source: 'APP', queue_id: queueId, server_addr: null, status, created_at: NOW - 60_000, continued: 0 });
  const session = (requestId: number, queueId: number, agentId: string, status: 'open' | 'queued', transferredFrom: string | null, clientId: string) => ({
    request_id: requestId,
    channel_id: 'ch',
    client_id: clientId,
    nickname: 'c',
    source: 'APP',
    queue_id: queueId,
    agent_id: agentId,
    transferred_from: transferredFrom,
    callback_base: null,
    status,
    requested_at: NOW - 60_000,
    created_at: NOW - 60_000,
  });

  // Chats the agents already have: from none to past their maxChats.
  for (const a of agents) {
    for (let k = int(a.max_chats + 2); k > 0; k--) {
      const q = 1 + int(queueCount);
      const req = await db.insertInto('chat_requests').values(request(q, RequestStatus.ACCEPTED)).returning(['id', 'client_id']).executeTakeFirstOrThrow();
      await db.insertInto('sessions').values(session(req.id, q, a.id, 'open', null, req.client_id)).execute();
    }
  }

  // The waiting line: arrivals interleaved across queues, some of them transferred chats.
  const waiting = 40 + int(200);
  for (let i = 0; i < waiting; i++) {
    const q = 1 + int(queueCount);
    const req = await db.insertInto('chat_requests').values(request(q, RequestStatus.WAITING)).returning(['id', 'client_id']).executeTakeFirstOrThrow();
    if (r() < 0.12) {
      const s = await db.insertInto('sessions').values(session(req.id, q, '', 'queued', pick(agents).id, req.client_id)).returning('id').executeTakeFirstOrThrow();
      await db.updateTable('chat_requests').set({ session_id: s.id }).where('id', '=', req.id).execute();
    }
    // Refused mostly near the front, where it changes who gets what; an open offer to an online agent now and then.
    if (r() < (i < waiting / 4 ? 0.6 : 0.15)) {
      const refusers = [...new Set(Array.from({ length: 1 + int(4) }, () => pick(agents).id))];
      await db
        .insertInto('offers')
        .values(refusers.map((agentId) => ({ request_id: req.id, agent_id: agentId, offered_at: NOW - 30_000, deadline: NOW - 10_000, status: r() < 0.5 ? ('declined' as const) : ('expired' as const), reason: null, ended_at: NOW - 10_000 })))
        .execute();
    }
    if (online.length > 0 && r() < 0.08) {
      await db.insertInto('offers').values({ request_id: req.id, agent_id: pick(online), offered_at: NOW - 1_000, deadline: NOW + 3_600_000, status: 'open', reason: null, ended_at: null }).execute();
    }
  }
}

/** The plan as the router made it before it read only the front of the line: from every waiting request. */
async function planFromEverything(db: Db, now: number): Promise<Assignment[]> {
  const waiting = await db
    .selectFrom('chat_requests as r')
    .leftJoin('sessions as s', 's.id', 'r.session_id')
    .select(['r.id', 'r.queue_id as queueId', 's.transferred_from'])
    .where('r.status', '=', RequestStatus.WAITING)
    .orderBy('r.id')
    .execute();
  const queues = await db.selectFrom('queues').selectAll().execute();
  const serving = new Set(queues.filter((q) => q.enabled === 1 && q.assignment !== 'manual' && queueIsOpen(q, now)).map((q) => q.id));
  const offering = new Set(queues.filter((q) => q.assignment === 'offer').map((q) => q.id));
  const candidates = waiting.filter((w) => serving.has(w.queueId));
  const offered = candidates.filter((w) => offering.has(w.queueId)).map((w) => w.id);
  const history = offered.length === 0 ? [] : await db.selectFrom('offers').select(['request_id', 'agent_id', 'status']).where('request_id', 'in', offered).where('status', 'in', ['open', 'declined', 'expired']).execute();
  const pending = new Set(history.filter((h) => h.status === 'open').map((h) => h.request_id));
  const refusedBy = new Map<number, Set<string>>();
  for (const w of candidates) if (w.transferred_from) refusedBy.set(w.id, new Set([w.transferred_from]));
  for (const h of history) {
    if (h.status === 'open') continue;
    let set = refusedBy.get(h.request_id);
    if (!set) refusedBy.set(h.request_id, (set = new Set()));
    set.add(h.agent_id);
  }
  const online = await db.selectFrom('agents').select(['id', 'max_chats', 'idle_since']).where('status', '=', 'online').where('enabled', '=', 1).execute();
  const memberships = await db.selectFrom('agent_queues').selectAll().execute();
  const sessions = await db.selectFrom('sessions').select('agent_id').where('status', '=', 'open').execute();
  const offers = await db.selectFrom('offers').select('agent_id').where('status', '=', 'open').execute();
  const load = new Map<string, number>();
  for (const x of [...sessions, ...offers]) load.set(x.agent_id, (load.get(x.agent_id) ?? 0) + 1);
  const agents = online.map((a) => ({
    id: a.id,
    open: load.get(a.id) ?? 0,
    maxChats: a.max_chats,
    idleSince: a.idle_since,
    queueIds: memberships.filter((m) => m.agent_id === a.id).map((m) => m.queue_id),
  }));
  return planAssignments(
    candidates.filter((w) => !pending.has(w.id)).map((w) => ({ id: w.id, queueId: w.queueId, refusedBy: refusedBy.get(w.id) })),
    agents,
    now,
  );
}

/** What a routing pass did: each request now accepted by an agent, or newly offered to one. */
async function routed(db: Db, waitingBefore: ReadonlySet<number>, openOffersBefore: ReadonlySet<number>): Promise<Assignment[]> {
  const accepted = await db
    .selectFrom('chat_requests as r')
    .innerJoin('sessions as s', 's.id', 'r.session_id')
    .select(['r.id as requestId', 's.agent_id as agentId'])
    .where('r.status', '=', RequestStatus.ACCEPTED)
    .where('s.status', '=', 'open')
    .execute();
  const offered = await db.selectFrom('offers').select(['id', 'request_id as requestId', 'agent_id as agentId']).where('status', '=', 'open').execute();
  return [
    ...accepted.filter((a) => waitingBefore.has(a.requestId)).map(({ requestId, agentId }) => ({ requestId, agentId })),
    ...offered.filter((o) => !openOffersBefore.has(o.id)).map(({ requestId, agentId }) => ({ requestId, agentId })),
  ].sort((a, b) => a.requestId - b.requestId);
}

describe('routing reads only the front of the line', () => {
  let p: TestPlatform;
  const clock = manualClock(NOW);

  beforeAll(async () => {
    // Nothing but the router acts: no sweeps (offers in these worlds run out long before NOW).
    p = await startTestPlatform({ provisioning: { channels: [{ id: 'ch' }] }, clock: clock.now, config: { sweepIntervalMs: 3_600_000 } });
  }, 60_000);

  afterAll(async () => {
    await p?.close();
  });

  it('routes exactly what reading every waiting request would', async () => {
    const db = p.platform.store.db;
    let total = 0;
    for (let seed = 1; seed <= 25; seed++) {
      for (const table of ['offers', 'sessions', 'chat_requests', 'agent_queues', 'agents', 'queues'] as const) await db.deleteFrom(table).execute();
      await world(db, seed);
      const expected = await planFromEverything(db, NOW);
      const waitingBefore = new Set((await db.selectFrom('chat_requests').select('id').where('status', '=', RequestStatus.WAITING).execute()).map((w) => w.id));
      const openOffersBefore = new Set((await db.selectFrom('offers').select('id').where('status', '=', 'open').execute()).map((o) => o.id));
      await p.platform.router.wake();
      expect(await routed(db, waitingBefore, openOffersBefore), `seed ${seed}`).toEqual(expected);
      total += expected.length;
    }
    // The worlds route a good deal, not nothing.
    expect(total).toBeGreaterThan(100);
  }, 120_000);
});
