/**
 * webchat-sim against the real platform over real HTTP: a scripted run whose report must agree
 * with what the platform's own agent API and /metrics say; and a request that times out counted
 * under TIMEOUT.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, type AgentFeed } from '../../server/src/test-support/agent-client.js';
import type { QueueSpec } from '../../server/src/provisioning/schema.js';
import { startTestPlatform, type TestPlatform } from '../../server/src/test-support/platform.js';
import { agent } from '../../server/src/test-support/world.js';
import { checkScenario, runSimulation, type ScenarioInput } from '../src/sim/index.js';

const KEY = 'sim-test-channel-key-0123456789';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** A free loopback port: the channel's callbackBase must name it before the platform starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The sum of a metric's samples whose labels include these. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

describe('webchat-sim against the real platform', () => {
  let p: TestPlatform | undefined;
  const feeds: AgentFeed[] = [];
  const timers: NodeJS.Timeout[] = [];

  afterEach(async () => {
    for (const t of timers.splice(0)) clearInterval(t);
    for (const f of feeds.splice(0)) f.close();
    await p?.close();
    p = undefined;
  });

  async function platform(port: number, queues: QueueSpec[] = [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }]) {
    p = await startTestPlatform({
      provisioning: {
        queues,
        agents: [agent('A', { maxChats: 5 }), agent('B', { maxChats: 5 })],
        channels: [{ id: 'sim', key: KEY, callbackBase: `http://127.0.0.1:${port}`, webhookSecrets: [SECRET] }],
      },
    });
    return p;
  }

  const scenarioFor = (p: TestPlatform, port: number, rest: Partial<ScenarioInput> & Pick<ScenarioInput, 'customer' | 'customers'>) =>
    checkScenario({
      platform: { url: p.url, key: KEY, webhookSecrets: [SECRET] },
      callbacks: { listen: `127.0.0.1:${port}` },
      arrivalPerSecond: 50,
      maxSeconds: 25,
      settleSeconds: 0.3,
      ...rest,
    });

  it('plays 5 customers with 2 agents, and its report agrees with the agent API and /metrics', async () => {
    const port = await freePort();
    const p = await platform(port);
    // Two agents online with live feeds; each replies once to every chat it is given.
    const tokens: Record<string, string> = {};
    for (const name of ['a', 'b']) {
      const token = await p.login(name, 'pw');
      tokens[name] = token;
      const feed = await connectAgent(p.url, token);
      feeds.push(feed);
      expect((await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
      const replied = new Set<number>();
      timers.push(
        setInterval(() => {
          for (const a of feed.of('chat.assigned')) {
            const id = a.id as number;
            if (replied.has(id)) continue;
            replied.add(id);
            void p.api('POST', `/api/v1/agent/sessions/${id}/messages`, token, { text: `hello from ${name}` });
          }
        }, 20),
      );
    }

    const scenario = scenarioFor(p, port, {
      customers: 5,
      customer: [
        { request: { queueId: 1, from: 'WECHAT', nickname: 'customer ${n}' } },
        { waitFor: 'create' },
        { send: 'hello ${n}' },
        { send: 'second from ${n}' },
        { send: 'third from ${n}' },
        { waitFor: { msg: 1, timeoutSeconds: 10 } },
        { rate: { ratingId: 5, comments: 'fine' } },
        { close: {} },
      ],
    });
    const lines: string[] = [];
    const report = await runSimulation(scenario, { onSummary: (l) => lines.push(l) });

    expect(report.violations).toEqual({ total: 0, byKind: {}, list: [] });
    expect(report.stoppedByMaxSeconds).toBe(false);
    expect(report.customers).toEqual({ planned: 5, started: 5, finished: 5, stopped: 0 });
    expect(report.requests).toEqual({ ACCEPTED: 5 });
    expect(report.requestsRefused).toEqual({});
    expect(report.messages).toEqual({ sent: 15, acknowledged: 15, failed: {} });
    expect(report.calls.rate).toEqual({ sent: 5, acknowledged: 5, failed: {} });
    expect(report.calls.close).toEqual({ sent: 5, acknowledged: 5, failed: {} });
    expect(report.callbacks).toEqual({ received: { create: 5, msg: 5 }, duplicates: 0, refused: 0 });
    expect(report.latencyMs.callbacks.create?.count).toBe(5);
    expect(report.latencyMs.callbacks.msg?.count).toBe(5);
    expect(report.latencyMs.createAfterRequest.count).toBe(5);
    expect(report.latencyMs.createAfterRequest.max).toBeGreaterThanOrEqual(report.latencyMs.createAfterRequest.p50);
    expect(report.waitTimeouts).toEqual({});
    expect(lines.at(-1)).toMatch(/done 5\/5 \| messages sent 15 \| callbacks 10 \| violations 0/);

    // The agent API: 5 closed sessions between A and B, each with the customer's 3 texts, the agent's reply and the rating.
    const sessions: { id: number; clientId: string }[] = [];
    for (const token of Object.values(tokens)) {
      const res = await p.api<{ sessions: { id: number; clientId: string; status: string }[] }>('GET', '/api/v1/agent/sessions?status=closed', token);
      expect(res.status).toBe(200);
      sessions.push(...res.body.sessions);
    }
    expect(sessions).toHaveLength(5);
    let customerTexts = 0;
    let agentTexts = 0;
    for (const s of sessions) {
      const owner = Object.values(tokens);
      let messages: { sender: string; kind: string; event?: { event: string } }[] | undefined;
      for (const token of owner) {
        const res = await p.api<{ messages: typeof messages }>('GET', `/api/v1/agent/sessions/${s.id}/messages`, token);
        if (res.status === 200) messages = res.body.messages;
      }
      expect(messages, `messages of session ${s.id}`).toBeDefined();
      customerTexts += messages!.filter((m) => m.sender === 'customer' && m.kind === 'text').length;
      agentTexts += messages!.filter((m) => m.sender === 'agent' && m.kind === 'text').length;
      expect(messages!.some((m) => m.event?.event === 'rated')).toBe(true);
    }
    expect(customerTexts).toBe(report.messages.acknowledged);
    expect(agentTexts).toBe(report.callbacks.received.msg);

    // /metrics says the same.
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    expect(metric(metrics, 'webchat_messages_total', { sender: 'customer', kind: 'text' })).toBe(report.messages.acknowledged);
    expect(metric(metrics, 'webchat_tpi_calls_total', { type: '2001', result: 'SUCCESS' })).toBe(report.calls.sendText?.acknowledged);
    expect(metric(metrics, 'webchat_tpi_calls_total', { type: '1000', result: 'SUCCESS' })).toBe(5);
    expect(metric(metrics, 'webchat_tpi_calls_total', { type: '4001', result: 'SUCCESS' })).toBe(report.calls.close?.acknowledged);
    expect(metric(metrics, 'webchat_callback_attempts_total', { name: 'create', outcome: 'delivered' })).toBe(report.callbacks.received.create);
    expect(metric(metrics, 'webchat_callback_attempts_total', { name: 'msg', outcome: 'delivered' })).toBe(report.callbacks.received.msg);
    expect(metric(metrics, 'webchat_callback_attempts_total', { outcome: 'failed' })).toBe(0);
    expect(metric(metrics, 'webchat_requests_ended_total', { state: 'ACCEPTED' })).toBe(report.requests.ACCEPTED);
  });

  it('counts a request that ends without an agent under its state (TIMEOUT), seen by polling 1001', async () => {
    const port = await freePort();
    const p = await platform(port, [{ id: 1, name: 'q', whenNoAgentOnline: 'wait', maxWaitSeconds: 1 }]);
    const scenario = scenarioFor(p, port, {
      customers: 3,
      customer: [{ request: { queueId: 1 } }, { waitFor: { create: true, pollSeconds: 0.2 } }, { send: 'never sent' }],
    });
    const report = await runSimulation(scenario);
    expect(report.requests).toEqual({ TIMEOUT: 3 });
    expect(report.messages.sent).toBe(0);
    expect(report.callbacks.received).toEqual({});
    expect(report.customers).toMatchObject({ finished: 3, stopped: 0 });
    expect(report.violations.total).toBe(0);
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    expect(metric(metrics, 'webchat_requests_ended_total', { state: 'TIMEOUT' })).toBe(3);
  });

  it('sends images and pre-messages, waits by polling for acceptance, and counts refusals by result code', async () => {
    const port = await freePort();
    const p = await platform(port);
    const token = await p.login('a', 'pw');
    const feed = await connectAgent(p.url, token);
    feeds.push(feed);
    const scenario = scenarioFor(p, port, {
      customers: 2,
      customer: [{ request: { queueId: 1 } }, { preMessage: 'before ${n}' }, { waitFor: { 'accepted-or-final': true, pollSeconds: 0.1, timeoutSeconds: 10 } }, { sendImage: 'tiny-png' }, { close: {} }],
    });
    // Online only once both wait, so that the pre-messages are stored as such.
    const going = runSimulation(scenario);
    await new Promise((r) => setTimeout(r, 400));
    expect((await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    const report = await going;
    expect(report.violations.total).toBe(0);
    expect(report.requests).toEqual({ ACCEPTED: 2 });
    expect(report.calls.seedPreMessage).toEqual({ sent: 2, acknowledged: 2, failed: {} });
    expect(report.calls.sendImage).toEqual({ sent: 2, acknowledged: 2, failed: {} });
    expect(report.calls.pollRequest?.acknowledged).toBeGreaterThanOrEqual(2);
    expect(report.callbacks.received).toEqual({ create: 2 });
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    expect(metric(metrics, 'webchat_messages_total', { sender: 'customer', kind: 'image' })).toBe(2);
    // Pre-messages are not counted there (they reach the agent with the session): the transcripts have them.
    const closed = await p.api<{ sessions: { id: number }[] }>('GET', '/api/v1/agent/sessions?status=closed', token);
    const kinds: string[] = [];
    for (const s of closed.body.sessions) {
      const res = await p.api<{ messages: { sender: string; kind: string }[] }>('GET', `/api/v1/agent/sessions/${s.id}/messages`, token);
      kinds.push(...res.body.messages.filter((m) => m.sender === 'customer' && m.kind !== 'event').map((m) => m.kind));
    }
    expect(kinds.sort()).toEqual(['image', 'image', 'pre', 'pre']);
    expect(metric(metrics, 'webchat_tpi_calls_total', { type: '1001', result: 'SUCCESS' })).toBe(report.calls.pollRequest?.acknowledged);

    // A 1000 the platform refuses (no queue 3) makes no request: counted by its result code.
    const refused = await runSimulation(scenarioFor(p, port, { customers: 2, customer: [{ request: { queueId: 3 } }, { waitFor: 'create' }] }));
    expect(refused.requestsRefused).toEqual({ INVALID_QUEUE_ID: 2 });
    expect(refused.requests).toEqual({});
    expect(refused.calls.requestChat).toEqual({ sent: 2, acknowledged: 0, failed: { INVALID_QUEUE_ID: 2 } });
  });
});
