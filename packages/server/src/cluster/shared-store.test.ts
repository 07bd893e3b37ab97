/**
 * Two platforms on one store, as two cluster nodes will be, sharing only the store's claims and
 * routing lock: every callback reaches the third party once, in order per session, whichever
 * node's worker sends it; two nodes' claims never hold one session at once, and a dead holder's
 * lease runs out; nodes started at once on a new PostgreSQL schema all open it. (Cluster mode
 * itself, with Redis and several processes, is cluster-nodes.test.ts.)
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type Platform } from '../app.js';
import { openStore, type Store } from '../db/database.js';
import type { Provisioning } from '../provisioning/schema.js';
import { testConfig } from '../test-support/platform.js';
import { freshStore, TEST_STORE, type TestStore } from '../test-support/stores.js';
import { ThirdParty } from '../test-support/third-party.js';
import { StoreOutboxClaims } from './store-outbox-claims.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
import { PgRoutingLock } from './store-routing-lock.js';
import { LocalRoutingLock } from './routing-lock.js';

const SESSIONS = 8;
const MESSAGES = 6;

describe('two nodes on one store', () => {
  let store: TestStore | undefined;
  let side: Store | undefined;
  const platforms: Platform[] = [];
  let tp: ThirdParty | undefined;
  afterEach(async () => {
    for (const p of platforms.splice(0)) await p.close();
    await side?.close();
    await tp?.stop();
    await store?.drop();
    store = side = tp = undefined;
  });

  /**
   * Nodes n1 (which applies the provisioning) and n2 on the store, sharing its claims (of this
   * lease) and, when asked, its routing lock; their addresses.
   */
  async function twoNodes(provisioning: Provisioning, leaseMs: number, options: { config?: Parameters<typeof testConfig>[1]; routingLock?: boolean } = {}): Promise<string[]> {
    const urls: string[] = [];
    for (const name of ['n1', 'n2']) {
      const outbox = new StoreOutboxClaims(side!.db, name, leaseMs, side!.dialect);
      const routingLock = options.routingLock ? { routingLock: TEST_STORE === 'postgres' ? new PgRoutingLock(side!.db) : new LocalRoutingLock() } : {};
      const platform = await buildApp(testConfig(store!, options.config), { ...(name === 'n1' ? { provisioning } : {}), sharedStore: true, cluster: { outbox, ...routingLock } });
      platforms.push(platform);
      await platform.start();
      await platform.app.listen({ host: '127.0.0.1', port: 0 });
      urls.push(`http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}`);
    }
    return urls;
  }

  it('sends every callback once and in order per session, whichever node sends it', async () => {
    store = await freshStore();
    tp = new ThirdParty();
    const tpUrl = await tp.start();
    side = await openStore(store.config);
    const provisioning: Provisioning = {
      queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }],
      agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1], maxChats: 50 }],
      channels: [{ id: 'ch', callbackBase: tpUrl, allowServerAddr: [tpUrl] }],
    };
    const urls = await twoNodes(provisioning, 30_000, { routingLock: true });
    const call = async (i: number, path: string, body: unknown, token?: string) => {
      const res = await fetch(`${urls[i % 2]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      return (await res.json()) as Record<string, unknown>;
    };
    const token = (await call(0, '/api/v1/agent/login', { username: 'a', password: 'pw' })).token as string;
    await fetch(`${urls[1]}/api/v1/agent/status`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ status: 'online' }) });
    for (let c = 0; c < SESSIONS; c++) expect(await call(c, '/EliteWebChat/tpi', { type: 1000, clientId: `c${c}`, queueId: 1 })).toMatchObject({ result: 1 });
    const sessions = await tp.waitFor(() => {
      const created = tp!.ofName('create');
      return created.length === SESSIONS ? created.map((x) => x.body.sessionId as number) : undefined;
    }, 15_000, 'every create');
    // Each message's API call to the other node than the last: both workers find them due.
    let n = 0;
    for (let m = 0; m < MESSAGES; m++) for (const s of sessions) expect(await call(n++, `/api/v1/agent/sessions/${s}/messages`, { text: `m${m}` }, token)).toMatchObject({ text: `m${m}` });
    await tp.waitFor(() => tp!.ofName('msg').length >= SESSIONS * MESSAGES || undefined, 20_000, 'every msg');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = tp.received.map((r) => r.headers['webhook-id']);
    expect(ids.length).toBe(SESSIONS + SESSIONS * MESSAGES);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of sessions) {
      expect(tp.ofName('msg').filter((x) => x.body.sessionId === s).map((x) => x.body.content)).toEqual(Array.from({ length: MESSAGES }, (_, m) => `m${m}`));
    }
  });

  it('ends a request whose wait ran out once, though both nodes sweep', async () => {
    store = await freshStore();
    tp = new ThirdParty();
    const tpUrl = await tp.start();
    side = await openStore(store.config);
    const provisioning: Provisioning = {
      queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait', maxWaitSeconds: 1 }],
      agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }],
      channels: [{ id: 'ch', callbackBase: tpUrl, allowServerAddr: [tpUrl], laterCallbacks: ['updateRequestStatus'] }],
    };
    const urls = await twoNodes(provisioning, 30_000);
    const tpi = async (url: string, body: unknown) => (await (await fetch(`${url}/EliteWebChat/tpi`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;
    const token = (await tpi(urls[0]!, { type: 4, visitorId: '0F8FAD5B-D9CB-469F-A165-70867728950E' })).token as string;
    const asked = await tpi(urls[1]!, { type: 1000, token, queueId: 1 });
    expect(asked).toMatchObject({ result: 1, queueLength: 1 });
    await tp.waitFor(() => tp!.ofName('updateRequestStatus').find((c) => c.body.requestStatus === 3), 10_000, 'the timeout');
    // Both nodes went on sweeping for a while: still one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tp.ofName('updateRequestStatus').map((c) => c.body.requestStatus)).toEqual([3]);
    expect(await tpi(urls[0]!, { type: 1001, requestId: asked.requestId })).toMatchObject({ requestStatus: 3 });
  });

  it.runIf(TEST_STORE === 'postgres')('opens a new schema from several nodes started at once, each migrated once', async () => {
    store = await freshStore();
    const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openStore(store!.config)));
    const stores = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    try {
      expect(opened.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
      const { rows } = await sql<{ name: string; n: number }>`select name, count(*)::int as n from kysely_migration group by name having count(*) > 1`.execute(stores[0]!.db);
      expect(rows).toEqual([]);
      expect(await stores[5]!.db.selectFrom('queues').selectAll().execute()).toEqual([]);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it.runIf(TEST_STORE === 'postgres')('lets one node route at a time on a database, and nodes of another schema route meanwhile', async () => {
    store = await freshStore();
    side = await openStore(store.config);
    const otherStore = await freshStore();
    const other = await openStore(otherStore.config);
    try {
      const [a, b, elsewhere] = [new PgRoutingLock(side.db), new PgRoutingLock(side.db), new PgRoutingLock(other.db)];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let running!: () => void;
      const started = new Promise<void>((resolve) => (running = resolve));
      const first = a.tryRun(async () => {
        running();
        await held;
      });
      await started;
      let ran = 0;
      expect(await b.tryRun(async () => void ran++)).toBe(false);
      expect(await elsewhere.tryRun(async () => void ran++)).toBe(true);
      release();
      expect(await first).toBe(true);
      expect(await b.tryRun(async () => void ran++)).toBe(true);
      // A pass that throws lets go of the lock too.
      await expect(a.tryRun(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await b.tryRun(async () => void ran++)).toBe(true);
      expect(ran).toBe(3);
    } finally {
      await other.close();
      await otherStore.drop();
    }
  });

  it("holds a session's claim for one node at a time, on the store's clock, and lets another take it once the lease ran out", async () => {
    store = await freshStore();
    side = await openStore(store.config);
    const LEASE = 400;
    const a = new StoreOutboxClaims(side.db, 'a', LEASE, side.dialect);
    const b = new StoreOutboxClaims(side.db, 'b', LEASE, side.dialect);
    // Many at once, from both: exactly one wins.
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim(7)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const [holder, other] = a.held().includes(7) ? [a, b] : [b, a];
    expect(await other.claim(7)).toBe(false);
    expect(await other.renew(7)).toBe(false);
    await other.release(7); // not theirs: changes nothing
    expect(await other.claim(7)).toBe(false);
    await holder.release(7);
    expect(await other.claim(7)).toBe(true);
    // Renewing before a send: the lease counts again from then.
    await sleep(LEASE * 0.75);
    expect(await other.renew(7)).toBe(true);
    await sleep(LEASE * 0.75);
    expect(await holder.claim(7)).toBe(false);
    // The holder stalls: its lease runs out, the other takes it, and the stalled one may not renew (so sends nothing).
    await sleep(LEASE);
    expect(await holder.claim(7)).toBe(true);
    expect(await other.renew(7)).toBe(false);
    expect(await holder.renew(7)).toBe(true);
  });

  it('applies the outcome of one attempt only: a node whose send outlasted its claim does not overwrite what the next holder recorded', async () => {
    store = await freshStore();
    tp = new ThirdParty();
    const tpUrl = await tp.start();
    side = await openStore(store.config);
    const provisioning: Provisioning = {
      queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }],
      agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }],
      channels: [{ id: 'ch', callbackBase: tpUrl, allowServerAddr: [tpUrl] }],
    };
    // The first send of the msg is answered, with a failure, only after the sender's claim ran
    // out (a lease shorter than the send, as a stalled node would see it) and well after the
    // other node could take it over; the copy that node then sends is answered at once.
    const LEASE = 600;
    let msgs = 0;
    tp.answer = (name) => (name === 'msg' && msgs++ === 0 ? { status: 500, body: { result: 0 }, delayMs: LEASE * 6 } : 'ok');
    const urls = await twoNodes(provisioning, LEASE, { config: { delivery: { timeoutMs: LEASE * 10 } } });
    const token = ((await (await fetch(`${urls[0]}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'a', password: 'pw' }) })).json()) as { token: string }).token;
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    await fetch(`${urls[0]}/api/v1/agent/status`, { method: 'PUT', headers: auth, body: JSON.stringify({ status: 'online' }) });
    expect(await (await fetch(`${urls[0]}/EliteWebChat/tpi`, { method: 'POST', body: JSON.stringify({ type: 1000, clientId: 'c1', queueId: 1 }) })).json()).toMatchObject({ result: 1 });
    const sessionId = (await tp.waitFor(() => tp!.ofName('create')[0], 10_000, 'the create')).body.sessionId as number;
    expect((await fetch(`${urls[1]}/api/v1/agent/sessions/${sessionId}/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ text: 'hello' }) })).status).toBe(201);
    // Both copies answered (the late failure last), and a moment for its bookkeeping.
    await tp.waitFor(() => tp!.received.filter((r) => r.name === 'msg').length === 2, 15_000, 'both copies of the msg');
    await sleep(500);
    const copies = tp.received.filter((r) => r.name === 'msg');
    expect(copies.map((c) => c.answered)).toEqual(['ok', 'failed']);
    expect(copies[0]!.headers['webhook-id']).toBe(copies[1]!.headers['webhook-id']);
    const row = await side.db.selectFrom('callbacks').selectAll().where('name', '=', 'msg').executeTakeFirstOrThrow();
    expect({ status: row.status, attempts: row.attempts, last_error: row.last_error }).toEqual({ status: 'delivered', attempts: 1, last_error: null });
    // Both attempts are listed all the same.
    expect(await side.db.selectFrom('callback_attempts').select('http_status').where('callback_id', '=', row.id).orderBy('id').execute()).toEqual([{ http_status: 200 }, { http_status: 500 }]);
    // And nothing more was sent.
    await sleep(LEASE * 2);
    expect(tp.received.filter((r) => r.name === 'msg')).toHaveLength(2);
  });
});
