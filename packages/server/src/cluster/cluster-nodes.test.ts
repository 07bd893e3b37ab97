/**
 * Cluster mode with real processes: three server nodes on one PostgreSQL store and one Redis,
 * every call of a conversation to a different node, an agent whose API calls go to one node and
 * whose socket is on another, routing that never exceeds maxChats under concurrency across
 * nodes, the cluster-wide rate limit, an admin change seen by every node, and what a sole
 * process or a node with another prefix is told.
 */
import { RequestType } from '@elitewebchat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Agent, request } from 'undici';
import { connectAgent } from '../test-support/agent-client.js';
import { Visitor } from '../test-support/visitor-client.js';
import { freePort, startChildServer } from '../test-support/child-server.js';
import { TestCluster } from '../test-support/cluster.js';
import { TEST_DATABASE_URL } from '../test-support/stores.js';
import { ThirdParty } from '../test-support/third-party.js';

const KEY = 'cluster-test-key-0123456789';
const Q = 1;
/** The web chat's queue, and the queue of the agent whose node dies: apart from the routing rounds. */
const WEB_Q = 2;
const LONE_Q = 3;
const AWAY_SECONDS = 2;
const ROUNDS = Number(process.env.CLUSTER_ROUTING_ROUNDS ?? 100);

describe('cluster mode: three nodes', () => {
  let cluster: TestCluster;
  let tp: ThirdParty;
  const dispatcher = new Agent({ connections: 64 });

  beforeAll(async () => {
    tp = new ThirdParty();
    const callbackBase = await tp.start();
    cluster = await TestCluster.start(
      {
        nodes: 3,
        provisioning: {
          queues: [
            { id: Q, name: 'support', whenNoAgentOnline: 'wait', maxLength: 1000, maxWaitSeconds: 3600 },
            { id: WEB_Q, name: 'web', whenNoAgentOnline: 'wait' },
            { id: LONE_Q, name: 'lone', whenNoAgentOnline: 'wait' },
          ],
          agents: [
            { id: 'A1', username: 'a1', password: 'pw-a1-secret', name: 'A1', maxChats: 3, queues: [Q] },
            { id: 'A2', username: 'a2', password: 'pw-a2-secret', name: 'A2', maxChats: 3, queues: [Q] },
            { id: 'A3', username: 'a3', password: 'pw-a3-secret', name: 'A3', maxChats: 3, queues: [Q] },
            // The conversation's agent, apart: a feed it closes sets it away later (presence), which
            // the routing rounds must not meet.
            { id: 'C1', username: 'c1', password: 'pw-c1-secret', name: 'C1', maxChats: 3, queues: [Q] },
            { id: 'W1', username: 'w1', password: 'pw-w1-secret', name: 'W1', maxChats: 3, queues: [WEB_Q] },
            { id: 'P1', username: 'p1', password: 'pw-p1-secret', name: 'P1', maxChats: 3, queues: [LONE_Q] },
            { id: 'ADM', username: 'adm', password: 'pw-admin-secret', name: 'Admin', role: 'admin', maxChats: 1, queues: [] },
          ],
          channels: [
            { id: 'app', key: KEY, callbackBase },
            { id: 'web', kind: 'web', queues: [WEB_Q] },
          ],
        },
        env: { CALLBACK_POLL_MS: '100', CALLBACK_BACKOFF_MS: '50', CALLBACK_MAX_BACKOFF_MS: '500', SWEEP_INTERVAL_MS: '200', AGENT_AWAY_AFTER_SECONDS: String(AWAY_SECONDS) },
      },
      { 'x-webchat-key': KEY },
    );
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    await dispatcher.destroy();
    await tp?.stop();
  });

  const node = (i: number) => cluster.clients[i % 3]!;
  const openPerAgent = async (): Promise<Record<string, number>> => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ agent_id: string; n: string }>(`select agent_id, count(*) as n from ${cluster.store.env.DATABASE_SCHEMA}.sessions where status = 'open' group by agent_id`);
      return Object.fromEntries(rows.map((r) => [r.agent_id, Number(r.n)]));
    } finally {
      await client.end();
    }
  };

  it('refuses a sole process on the cluster store, and a node with another Redis prefix, each saying why', async () => {
    const { env } = cluster.store;
    const sole = await startChildServer({ env: { ...env, LOG_LEVEL: 'warn' }, port: await freePort() }).then(
      async (started) => {
        await started.kill9(); // not refused: stopped, and the test fails below
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(sole).toMatch(/elitewebchat: this store belongs to a cluster \(3 nodes, among them n\d, pid \d+ on /);
    expect(sole).toContain('with the same REDIS_URL and REDIS_PREFIX as they have');
    const other = await startChildServer({ env: { ...env, LOG_LEVEL: 'warn', REDIS_URL: cluster.redis.url, REDIS_PREFIX: 'other:' }, port: await freePort() }).then(
      async (started) => {
        await started.kill9(); // not refused: stopped, and the test fails below
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(other).toMatch(/the cluster on this store uses REDIS_PREFIX "ewc:" \(n\d, .*\), this process "other:"/);
    // Neither left a trace: still three nodes.
    expect((await cluster.clients[0]!.api('GET', '/readyz')).body).toEqual({ status: 'ready' });
  });

  it('carries a whole conversation whose every call goes to another node, to an agent whose API is on one node and socket on another', async () => {
    const token = await node(0).login('c1', 'pw-c1-secret');
    const feed = await connectAgent(cluster.url(1), token);
    try {
      expect((await node(0).api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
      const asked = await node(2).tpi({ type: RequestType.CHAT_REQUEST, clientId: 'conv-1', nickname: 'Conv', queueId: Q, from: 'APP', time: Date.now() });
      expect(asked).toMatchObject({ result: 1 });
      const create = await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'conv-1'), 10_000, 'create');
      const sessionId = create.body.sessionId as number;
      const assigned = await feed.waitFor((e) => e.name === 'chat.assigned' && e.data.id === sessionId, 'chat.assigned on node 2');
      expect(assigned).toBeDefined();
      // Customer texts through nodes 1, 2, 3, 1…; the agent's socket on node 2 gets each once, in order.
      const texts = Array.from({ length: 9 }, (_, i) => `customer says ${i}`);
      for (const [i, text] of texts.entries()) {
        expect(await node(i).tpi({ type: RequestType.MSG_REQUEST, sessionId, clientId: 'conv-1', time: Date.now(), text })).toMatchObject({ result: 1 });
      }
      await feed.waitFor(() => feed.of('chat.message').filter((m) => m.sessionId === sessionId && m.sender === 'customer').length >= texts.length, 'every customer text');
      await new Promise((r) => setTimeout(r, 300));
      expect(feed.of('chat.message').filter((m) => m.sessionId === sessionId && m.sender === 'customer').map((m) => m.text)).toEqual(texts);
      // The agent answers through node 1; the third party hears it once.
      const reply = await node(0).api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, token, { text: 'agent answers' });
      expect(reply.status).toBe(201);
      await tp.waitFor(() => tp.ofName('msg').find((c) => c.body.sessionId === sessionId && c.body.content === 'agent answers'), 10_000, 'msg callback');
      // Rating through node 2, the agent closing through node 3: the socket on node 2 hears both.
      expect(await node(1).tpi({ type: RequestType.RATING_REQUEST, sessionId, ratingId: 5, ratingComments: 'fine' })).toMatchObject({ result: 1 });
      expect((await node(2).api('POST', `/api/v1/agent/sessions/${sessionId}/close`, token)).status).toBe(200);
      await feed.waitFor((e) => e.name === 'chat.closed' && e.data.sessionId === sessionId, 'chat.closed on node 2');
      // Callbacks of the session: once each, in order (create, msg, close).
      const close = await tp.waitFor(() => tp.ofName('close').find((c) => c.body.sessionId === sessionId), 10_000, 'close callback');
      const mine = tp.delivered.filter((c) => c.body.sessionId === sessionId);
      expect(mine.map((c) => c.name)).toEqual(['create', 'msg', 'close']);
      expect(close).toBeDefined();
      // The history as any node tells it: the nine texts once each, then the answer.
      const messages = await node(1).api<{ messages: { sender: string; text?: string }[] }>('GET', `/api/v1/agent/sessions/${sessionId}/messages`, token);
      expect(messages.body.messages.filter((m) => m.sender === 'customer' && m.text?.startsWith('customer says')).map((m) => m.text)).toEqual(texts);
    } finally {
      feed.close();
      await node(0).api('PUT', '/api/v1/agent/status', token, { status: 'offline' });
    }
  });

  it(`never gives an agent of maxChats 3 a fourth chat: 30 concurrent requests over three nodes for three agents, ${ROUNDS} times`, async () => {
    const tokens = await Promise.all(['a1', 'a2', 'a3'].map((u, i) => node(i).login(u, `pw-${u}-secret`)));
    for (const [i, token] of tokens.entries()) expect((await node(i).api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    const worst: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const asked = await Promise.all(
        Array.from({ length: 30 }, (_, i) => node(i + round).tpi({ type: RequestType.CHAT_REQUEST, clientId: `r${round}-c${i}`, nickname: 'c', queueId: Q, from: 'APP', time: Date.now() })),
      );
      expect(asked.every((a) => a.result === 1)).toBe(true);
      // Routing settles: nine sessions, three per agent, whichever node routed them.
      const deadline = Date.now() + 10_000;
      while (Object.values(await openPerAgent()).reduce((a, b) => a + b, 0) < 9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      // A little longer: a node that over-assigned would do it now.
      await new Promise((r) => setTimeout(r, 50));
      const open = await openPerAgent();
      for (const [agent, n] of Object.entries(open)) worst[agent] = Math.max(worst[agent] ?? 0, n);
      expect(open, `round ${round}`).toEqual({ A1: 3, A2: 3, A3: 3 });
      // End the round over all nodes at once: the waiting requests cancelled first (a session
      // closed before would free a place for one of them), then the sessions closed.
      await Promise.all(asked.map((a, i) => node(i + 2).tpi({ type: RequestType.CANCEL_CHAT_REQUEST, requestId: a.requestId })));
      const sessions = (
        await Promise.all(tokens.map((t, i) => node(i + 1).api<{ sessions: { id: number }[] }>('GET', '/api/v1/agent/sessions', t)))
      ).map((r) => r.body.sessions.map((s) => s.id));
      await Promise.all(sessions.flatMap((ids, agent) => ids.map((id, j) => node(agent + j).api('POST', `/api/v1/agent/sessions/${id}/close`, tokens[agent]))));
      const settled = Date.now() + 10_000;
      while (Object.values(await openPerAgent()).some((n) => n > 0) && Date.now() < settled) await new Promise((r) => setTimeout(r, 20));
      expect(await openPerAgent(), `round ${round} ended`).toEqual({});
    }
    expect(worst).toEqual({ A1: 3, A2: 3, A3: 3 });
    for (const [i, token] of tokens.entries()) await node(i).api('PUT', '/api/v1/agent/status', token, { status: 'offline' });
  }, 600_000);

  it('holds one customer to the cluster-wide limit (20 a second, bursts of 40) whichever node each call reaches', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => node(i).tpi({ type: RequestType.CHAT_REQUEST_STATE_UPDATE, requestId: 424242 })),
    );
    const seconds = (Date.now() - started) / 1000;
    const limited = answers.filter((a) => a.message.startsWith('rate limit: too many calls for this customer'));
    const passed = answers.length - limited.length;
    // Per node it would be up to 3 × 40; across the cluster, 40 plus what refills meanwhile.
    expect(passed).toBeGreaterThanOrEqual(40);
    expect(passed).toBeLessThanOrEqual(40 + Math.ceil(20 * seconds) + 1);
    expect(limited.length).toBeGreaterThan(0);
  });

  it('puts an admin change made on one node in force on every node within a second', async () => {
    const admin = await node(0).login('adm', 'pw-admin-secret');
    const key = 'new-channel-key-made-on-node-1';
    const call = (i: number, k: string) =>
      request(`${cluster.url(i)}/EliteWebChat/tpi`, { method: 'POST', dispatcher, headers: { 'content-type': 'application/json', 'x-webchat-key': k }, body: JSON.stringify({ type: RequestType.CHAT_REQUEST_STATE_UPDATE, requestId: 1 }) }).then(
        async (r) => (await r.body.json()) as { result: number; message: string },
      );
    // Unknown on every node first.
    for (const i of [1, 2]) expect((await call(i, key)).message).toMatch(/key/i);
    const made = Date.now();
    expect((await node(0).api('POST', '/api/v1/admin/channels', admin, { id: 'late', key, callbackBase: tp.url })).status).toBe(201);
    for (const i of [1, 2]) {
      for (;;) {
        const answer = await call(i, key);
        if (!/key/i.test(answer.message)) break;
        expect(Date.now() - made, `node ${i + 1} still refuses the new key: ${answer.message}`).toBeLessThan(1_000);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });

  it('carries a web chat whose visitor calls one node and listens on another, to an agent on a third', async () => {
    const token = await node(0).login('w1', 'pw-w1-secret');
    const feed = await connectAgent(cluster.url(0), token);
    const calls = new Visitor(cluster.url(2), 'web');
    try {
      expect((await node(0).api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
      await calls.visit();
      // The same visitor's live feed, on node 2.
      const listens = new Visitor(cluster.url(1), 'web');
      listens.token = calls.token;
      await listens.connect();
      try {
        await calls.expect(201, 'POST', '/requests', { nickname: 'Ann' });
        const assigned = await feed.waitFor((e) => e.name === 'chat.assigned', 'the web chat on node 1');
        const sessionId = assigned.id as number;
        await listens.waitForState((st) => st.state === 'chatting', 'chatting, pushed by node 2');
        const reply = await node(0).api<{ id: number }>('POST', `/api/v1/agent/sessions/${sessionId}/messages`, token, { text: 'Hi Ann' });
        await listens.waitFor((e) => e.name === 'message' && e.data.id === reply.body.id, "the agent's reply on the visitor's feed");
        const sent = await calls.expect<{ message: { id: number } }>(201, 'POST', '/messages', { text: 'thanks', clientMsgId: 'w-1' });
        await feed.waitFor((e) => e.name === 'chat.message' && e.data.id === sent.message.id, "the visitor's text on the agent's feed");
        // Once each.
        expect(listens.of('message').filter((m) => m.id === reply.body.id)).toHaveLength(1);
        expect(feed.of('chat.message').filter((m) => m.id === sent.message.id)).toHaveLength(1);
      } finally {
        listens.close();
      }
    } finally {
      feed.close();
      calls.close();
      await node(0).api('PUT', '/api/v1/agent/status', token, { status: 'offline' });
    }
  });

  // Last: it kills node 3.
  it(`sets away an agent whose only feed was on a node that died, within AGENT_AWAY_AFTER_SECONDS (${AWAY_SECONDS}) + 5 s`, async () => {
    const token = await node(0).login('p1', 'pw-p1-secret');
    expect((await node(0).api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    const feed = await connectAgent(cluster.url(2), token);
    await new Promise((r) => setTimeout(r, 1_500));
    const status = async () => (await node(1).api<{ status: string }>('GET', '/api/v1/agent/me', token)).body.status;
    expect(await status()).toBe('online');
    const died = Date.now();
    await cluster.nodes[2]!.kill9();
    feed.close();
    while ((await status()) === 'online') {
      expect(Date.now() - died, 'still online').toBeLessThan((AWAY_SECONDS + 5) * 1000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await status()).toBe('away');
  });
});
