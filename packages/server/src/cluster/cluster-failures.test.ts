/**
 * Cluster mode when things fail, with real processes behind Debian's nginx (configured with
 * deploy/nginx/elitewebchat.conf): `kill -9` of a node mid-burst, Redis killed and started again
 * mid-run, and a rolling restart of all three nodes under load. After each: every message the
 * platform acknowledged is stored once, one that got no answer at most once, one refused never;
 * every acknowledged agent reply reached the third party, each session's callbacks in order; the
 * agent's feed, which nginx had put on some node, is back on a live one with nothing missing.
 */
import { RequestType } from '@elitewebchat/protocol';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../common/hash.js';
import { HttpClient } from '../test-support/child-server.js';
import { Nginx, TestCluster } from '../test-support/cluster.js';
import { TEST_DATABASE_URL } from '../test-support/stores.js';
import { ThirdParty, type ReceivedCallback } from '../test-support/third-party.js';

const KEY = 'cluster-failure-key-0123456789';
const LOST_WORD_KEY = 'cluster-failure-lost-word-key-0123';
const Q = 1;
const SESSIONS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Outcome = 'acknowledged' | 'refused' | 'unknown';

interface Sent {
  sessionId: number;
  text: string;
  sender: 'customer' | 'agent';
  outcome: Outcome;
  /** What a refusal said. */
  why?: string;
}

/** The callback's row id, from its `webhook-id` header (the same on every repeat). */
function callbackId(c: ReceivedCallback): string {
  return String(c.headers['webhook-id']);
}

describe('cluster mode: failures under load', () => {
  let cluster: TestCluster;
  let nginx: Nginx;
  let tp: ThirdParty;
  let lb: HttpClient;
  let token: string;
  let feed: Socket;
  const heard: { sessionId: number; text: string }[] = [];
  /** What the feed's resyncs fetched: as the console, it reads the history on every (re)connect. */
  const fetched = new Set<string>();
  let resyncs: Promise<void> = Promise.resolve();
  const sessions: { sessionId: number; clientId: string }[] = [];
  const sent: Sent[] = [];
  let seq = 0;

  beforeAll(async () => {
    tp = new ThirdParty();
    const callbackBase = await tp.start();
    cluster = await TestCluster.start(
      {
        nodes: 3,
        provisioning: {
          queues: [{ id: Q, name: 'support', whenNoAgentOnline: 'wait' }],
          agents: [{ id: 'A', username: 'a', password: 'pw-a-secret', name: 'A', maxChats: 50, queues: [Q] }],
          channels: [{ id: 'app', key: KEY, callbackBase }],
        },
        // A short callback timeout: a killed node's claims (timeout + 5 s) are taken over sooner.
        env: { CALLBACK_POLL_MS: '100', CALLBACK_BACKOFF_MS: '50', CALLBACK_MAX_BACKOFF_MS: '300', CALLBACK_TIMEOUT_MS: '2000', AGENT_AWAY_AFTER_SECONDS: '60', TPI_RATE_PER_CLIENT: '1000' },
      },
      { 'x-webchat-key': KEY },
    );
    nginx = await Nginx.start(cluster.ports, cluster.store.dataDir);
    lb = new HttpClient(nginx.url, { 'x-webchat-key': KEY });
    token = await lb.login('a', 'pw-a-secret');
    expect((await lb.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    // The agent's feed through nginx, reconnecting by itself as the console does.
    feed = io(nginx.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 500 });
    // As the console: a feed the server ended, or refused (a node without Redis), is tried again.
    feed.on('disconnect', (reason) => reason === 'io server disconnect' && setTimeout(() => feed.connect(), 200));
    feed.on('connect_error', () => !feed.active && setTimeout(() => feed.connect(), 500));
    feed.on('connect', () => {
      resyncs = resyncs.then(async () => {
        for (const { sessionId } of sessions) for (const text of await history(sessionId)) fetched.add(text);
      });
    });
    feed.on('chat.message', (m: { sessionId: number; text?: string }) => heard.push({ sessionId: m.sessionId, text: m.text ?? '' }));
    feed.on('chat.messages', (ms: { sessionId: number; text?: string }[]) => ms.forEach((m) => heard.push({ sessionId: m.sessionId, text: m.text ?? '' })));
    await new Promise<void>((resolve, reject) => {
      feed.once('connect', () => resolve());
      feed.once('connect_error', reject);
    });
    for (let i = 0; i < SESSIONS; i++) {
      const clientId = `cust-${i}`;
      expect(await lb.tpi({ type: RequestType.CHAT_REQUEST, clientId, nickname: clientId, queueId: Q, from: 'APP', time: Date.now() })).toMatchObject({ result: 1 });
      const create = await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === clientId), 15_000, `create of ${clientId}`);
      sessions.push({ sessionId: create.body.sessionId as number, clientId });
    }
  }, 120_000);

  afterAll(async () => {
    feed?.close();
    await lb?.close();
    await nginx?.stop();
    await cluster?.stop();
    await tp?.stop();
  });

  /** Customer texts and agent replies through nginx, spread over the sessions, until `stop`. */
  async function load(stop: () => boolean, workers = 6): Promise<void> {
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        while (!stop()) {
          const s = sessions[(seq + w) % sessions.length]!;
          const agent = seq % 3 === 0;
          const text = `${agent ? 'reply' : 'text'} ${++seq}`;
          const rec: Sent = { sessionId: s.sessionId, text, sender: agent ? 'agent' : 'customer', outcome: 'unknown' };
          sent.push(rec);
          try {
            if (agent) {
              const r = await lb.api('POST', `/api/v1/agent/sessions/${s.sessionId}/messages`, token, { text });
              rec.outcome = r.status === 201 ? 'acknowledged' : r.status === 503 ? 'refused' : 'unknown';
              if (r.status !== 201) rec.why = JSON.stringify(r.body);
            } else {
              const r = await lb.tpi({ type: RequestType.MSG_REQUEST, sessionId: s.sessionId, clientId: s.clientId, time: Date.now(), text });
              rec.outcome = r.result === 1 ? 'acknowledged' : /not carried out/.test(r.message) ? 'refused' : 'unknown';
              if (r.result !== 1) rec.why = r.message;
            }
          } catch {
            // No answer (a node died under the call): it may or may not have been carried out.
            await sleep(20);
          }
        }
      }),
    );
  }

  /** A session's texts as the agent API pages them. */
  async function history(sessionId: number): Promise<string[]> {
    const texts: string[] = [];
    for (let after = 0, more = true; more; ) {
      const page = await lb.api<{ messages: { id: number; text?: string }[]; hasMore: boolean }>('GET', `/api/v1/agent/sessions/${sessionId}/messages?after=${after}&limit=100`, token);
      if (page.status !== 200) throw new Error(`history of ${sessionId}: ${page.status} ${JSON.stringify(page.body)}`);
      for (const m of page.body.messages) if (m.text) texts.push(m.text);
      more = page.body.hasMore && page.body.messages.length > 0;
      after = page.body.messages.at(-1)?.id ?? after;
    }
    return texts;
  }

  /** What the store holds of each text, read straight from PostgreSQL. */
  async function storedCounts(): Promise<Map<string, number>> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ text: string; n: string }>(`select text, count(*) as n from ${cluster.store.env.DATABASE_SCHEMA}.messages where text like 'text %' or text like 'reply %' group by text`);
      return new Map(rows.map((r) => [r.text, Number(r.n)]));
    } finally {
      await client.end();
    }
  }

  /** Everything checked once the cluster is quiet again. */
  async function nothingLost(what: string): Promise<void> {
    const counts = await storedCounts();
    const acknowledged = sent.filter((s) => s.outcome === 'acknowledged');
    expect(acknowledged.length, `${what}: some calls were acknowledged`).toBeGreaterThan(50);
    for (const s of sent) {
      const n = counts.get(s.text) ?? 0;
      if (s.outcome === 'acknowledged') expect(n, `${what}: ${s.text} (acknowledged) stored`).toBe(1);
      else if (s.outcome === 'refused') expect(n, `${what}: ${s.text} (refused) stored`).toBe(0);
      else expect(n, `${what}: ${s.text} (no answer) stored`).toBeLessThanOrEqual(1);
    }
    // Every stored agent reply reaches the third party; each session's in the order stored.
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    let replies: { session_id: string; text: string }[];
    try {
      replies = (await client.query<{ session_id: string; text: string }>(`select session_id, text from ${cluster.store.env.DATABASE_SCHEMA}.messages where text like 'reply %' order by id`)).rows;
    } finally {
      await client.end();
    }
    await tp.waitFor(() => new Set(tp.ofName('msg').map((c) => c.body.content)).size >= replies.length || undefined, 20_000, `${what}: ${replies.length} msg callbacks`);
    const seen = new Set<string>();
    const delivered = tp.ofName('msg').filter((c) => !seen.has(callbackId(c)) && seen.add(callbackId(c)));
    for (const { sessionId } of sessions) {
      expect(
        delivered.filter((c) => c.body.sessionId === sessionId).map((c) => c.body.content),
        `${what}: callbacks of session ${sessionId} in order`,
      ).toEqual(replies.filter((r) => Number(r.session_id) === sessionId).map((r) => r.text));
    }
    // The feed is back on a live node; what it missed while away, the history has (the console
    // fetches it on every reconnect); from then on it hears every new message.
    await waitUntil(() => feed.connected, `${what}: the agent's feed reconnected`);
    const probe = `text probe after ${what}`;
    const s = sessions[0]!;
    expect(await lb.tpi({ type: RequestType.MSG_REQUEST, sessionId: s.sessionId, clientId: s.clientId, time: Date.now(), text: probe })).toMatchObject({ result: 1 });
    await waitUntil(() => heard.some((h) => h.text === probe), `${what}: the reconnected feed hears a new message`);
    // Every acknowledged customer text reached the agent's feed: heard live, or fetched by the
    // resync of a reconnect; the history has every acknowledged text.
    await resyncs;
    const known = new Set([...heard.map((h) => h.text), ...fetched]);
    for (const a of acknowledged.filter((x) => x.sender === 'customer')) expect(known.has(a.text), `${what}: ${a.text} reached the agent's feed`).toBe(true);
    for (const { sessionId } of sessions) {
      const texts = new Set(await history(sessionId));
      for (const a of acknowledged.filter((x) => x.sessionId === sessionId)) expect(texts.has(a.text), `${what}: ${a.text} in the history`).toBe(true);
    }
  }

  /** Every node answers /readyz 200 again, by itself, within 15 s. */
  async function everyNodeReady(): Promise<void> {
    for (const client of cluster.clients) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const ready = await client.api('GET', '/readyz');
        if (ready.status === 200) break;
        if (Date.now() > deadline) throw new Error(`${client.url} not ready again: ${JSON.stringify(ready.body)}`);
        await sleep(100);
      }
    }
  }

  async function waitUntil(probe: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await sleep(50);
    }
  }

  it('loses nothing when a node is killed with kill -9 mid-burst', async () => {
    let stop = false;
    const running = load(() => stop);
    await sleep(1_000);
    await cluster.nodes[1]!.kill9();
    await sleep(1_500);
    stop = true;
    await running;
    await nothingLost('kill -9');
    await cluster.startNode(1);
  }, 120_000);

  it('loses nothing when Redis is killed and started again mid-run, and every node is ready again by itself', async () => {
    let stop = false;
    const before = sent.length;
    const running = load(() => stop);
    await sleep(800);
    await cluster.redis.kill();
    // Meanwhile every node says why it is not ready.
    await sleep(300);
    const down = await cluster.clients[0]!.api<{ status: string; error?: string }>('GET', '/readyz').catch((error: Error) => {
      throw new Error(`${error.message}\n${cluster.output(0)}`);
    });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'redis unavailable', error: expect.stringMatching(/lost Redis/) });
    // An admin change whose word to the nodes went nowhere (Redis away): a new channel, written
    // to the store as the admin API writes it. Once Redis is back, every node must know of it.
    await addChannelBehindTheirBacks('lost-word', LOST_WORD_KEY);
    await sleep(700);
    await cluster.redis.start();
    await sleep(1_500);
    stop = true;
    await running;
    // Refused while Redis was away, saying so: TPI calls with -100, agent calls with 503.
    const refused = sent.slice(before).filter((s) => s.outcome === 'refused');
    expect(refused.length, 'some calls were refused while Redis was away').toBeGreaterThan(0);
    // A call under way when the connection dropped is refused as an internal error; once the
    // node knows, it says why.
    for (const r of refused) expect(r.why).toMatch(/not carried out|lost Redis/);
    expect(refused.filter((r) => /this node has lost Redis at redis:\/\/127\.0\.0\.1:\d+ .*it takes no calls until Redis answers again/.test(r.why ?? '')).length).toBeGreaterThan(0);
    await everyNodeReady();
    await nothingLost('Redis restart');
    for (const node of cluster.clients) {
      const client = new HttpClient(node.url, { 'x-webchat-key': LOST_WORD_KEY });
      try {
        // Known: no longer "unknown X-Webchat-Key", but the request's own answer.
        expect(await client.tpi({ type: RequestType.CHAT_REQUEST_STATE_UPDATE, requestId: 999_999 }), `${node.url} knows the channel added while Redis was away`).toMatchObject({ message: expect.stringMatching(/999999/) });
      } finally {
        await client.close();
      }
    }
  }, 120_000);

  /** A channel copied from the test's own, with another id and key, straight into the store. */
  async function addChannelBehindTheirBacks(id: string, key: string): Promise<void> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const schema = cluster.store.env.DATABASE_SCHEMA;
      await client.query(
        `insert into ${schema}.channels select (jsonb_populate_record(null::${schema}.channels, to_jsonb(c) || jsonb_build_object('id', $1::text, 'key_hash', $2::text))).* from ${schema}.channels c where id = 'app'`,
        [id, sha256(key)],
      );
    } finally {
      await client.end();
    }
  }

  it('counts a Redis that went silent, its connections open, as lost within seconds, and serves again once it answers', async () => {
    const s = sessions[0]!;
    cluster.redis.freeze(true);
    try {
      const frozenAt = Date.now();
      await sleep(100);
      // A call that reached a node before it could know: answered, not left hanging while the silence lasts.
      const caught = cluster.clients[0]!.tpi({ type: RequestType.MSG_REQUEST, sessionId: s.sessionId, clientId: s.clientId, time: Date.now(), text: 'text as Redis went silent' });
      // Every node says so, and refuses TPI calls at once with the reason, instead of hanging on them.
      for (const client of cluster.clients) {
        for (;;) {
          const ready = await client.api<{ error?: string }>('GET', '/readyz');
          if (ready.status === 503 && /this node has lost Redis/.test(ready.body.error ?? '')) break;
          if (Date.now() - frozenAt > 15_000) throw new Error(`${client.url} did not notice the silent Redis: ${JSON.stringify(ready.body)}`);
          await sleep(200);
        }
        expect(await client.tpi({ type: RequestType.MSG_REQUEST, sessionId: s.sessionId, clientId: s.clientId, time: Date.now(), text: 'text while Redis is silent' })).toMatchObject({
          result: -100,
          message: expect.stringMatching(/lost Redis.*not carried out/),
        });
      }
      expect(await caught).toMatchObject({ result: -100, message: expect.stringMatching(/not carried out/) });
    } finally {
      cluster.redis.freeze(false);
    }
    await everyNodeReady();
    await nothingLost('a silent Redis');
  }, 120_000);

  it('loses nothing in a rolling restart of all three nodes under load', async () => {
    let stop = false;
    const running = load(() => stop);
    for (const i of [0, 1, 2]) {
      await sleep(500);
      const stopping = cluster.nodes[i]!;
      await stopping.stop();
      // Stopped gracefully (SIGTERM, exit 0), not killed after the grace time.
      expect({ code: stopping.proc.exitCode, signal: stopping.proc.signalCode }).toEqual({ code: 0, signal: null });
      await cluster.startNode(i);
    }
    await sleep(500);
    stop = true;
    await running;
    await nothingLost('rolling restart');
    expect(nginx.errors()).not.toMatch(/\[emerg\]/);
  }, 180_000);
});
