/**
 * webchat-mock stands in for the platform only if a bridge sees the same from both. The same
 * simulator scenarios run against the mock and against the real platform (on the run's store),
 * each scripted alike (an agent who takes the chat and answers each message; a queue where
 * nobody comes; one that refuses; one closed today; a queue that does not exist), and what the
 * third party observes (requests by final state, refusals by code, messages acknowledged,
 * callbacks by name, violations) must be equal, and equal to what the scenario should give.
 * The later wire the same way, through the SDK's client and receiver.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../server/src/test-support/child-server.js';
import { startTestPlatform, type TestPlatform } from '../../server/src/test-support/platform.js';
import { TpiClient } from '../src/client.js';
import type { TpiError } from '../src/errors.js';
import { startMock, type RunningMock } from '../src/mock/index.js';
import { CallbackReceiver } from '../src/receiver.js';
import { parseScenario, runSimulation, type Report } from '../src/sim/index.js';
import { closeServer, until } from './sdk-world.js';

const KEY = `conformance-${randomBytes(12).toString('hex')}`;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** What a third party can observe of a run; timings aside. */
function observed(r: Report) {
  return {
    requests: r.requests,
    requestsRefused: r.requestsRefused,
    messages: r.messages,
    callbacks: r.callbacks.received,
    duplicates: r.callbacks.duplicates,
    waitTimeouts: r.waitTimeouts,
    violations: r.violations.byKind,
  };
}

function scenario(queueId: number | number[], customers: number, steps: unknown[]) {
  return parseScenario(
    JSON.stringify({
      platform: { url: 'http://127.0.0.1:1', key: KEY, webhookSecrets: [SECRET] },
      callbacks: { listen: '127.0.0.1:0' },
      customers,
      arrivalPerSecond: 50,
      maxSeconds: 30,
      settleSeconds: 1,
      customer: [{ request: { queueId } }, ...steps],
    }),
  );
}

const CASES = [
  {
    name: 'a conversation: taken, two messages each answered, rated, closed by the customer',
    scenario: scenario(1, 3, [
      { waitFor: 'create' },
      { send: 'first ${n}' },
      { waitFor: { msg: 1, timeoutSeconds: 10 } },
      { send: 'second ${n}' },
      { waitFor: { msg: 2, timeoutSeconds: 10 } },
      { rate: { ratingId: 5 } },
      { close: {} },
    ]),
    expected: { requests: { ACCEPTED: 3 }, callbacks: { create: 3, msg: 6 }, messages: { sent: 6, acknowledged: 6, failed: {} } },
  },
  { name: 'nobody comes: the requests time out', scenario: scenario(2, 2, [{ waitFor: { 'accepted-or-final': true, pollSeconds: 0.2 } }]), expected: { requests: { TIMEOUT: 2 } } },
  {
    name: 'refusals, the customers spread over three queues: nobody online where that refuses, closed today, no such queue',
    scenario: scenario([3, 4, 99], 6, []),
    expected: { requestsRefused: { NO_AGENT_ONLINE: 2, NOT_IN_WORKTIME: 2, INVALID_QUEUE_ID: 2 } },
  },
];

/** The real platform scripted like the mock below; agent A answers each customer text with "ok". */
async function realPlatform(callbackBase: string): Promise<{ url: string; close(): Promise<void> }> {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const p: TestPlatform = await startTestPlatform({
    provisioning: {
      queues: [
        { id: 1, name: 'served', whenNoAgentOnline: 'wait' },
        { id: 2, name: 'unserved', whenNoAgentOnline: 'wait', maxWaitSeconds: 1 },
        { id: 3, name: 'refusing', whenNoAgentOnline: 'refuse' },
        { id: 4, name: 'closed', whenNoAgentOnline: 'wait', timezone: 'UTC', closedDates: [`${day(-1)}..${day(1)}`] },
      ],
      agents: [
        { id: 'A', username: 'a', password: 'pw-a', name: 'A', queues: [1], maxChats: 10 },
        { id: 'B', username: 'b', password: 'pw-b', name: 'B', queues: [2, 3, 4] },
      ],
      channels: [{ id: 'c', key: KEY, webhookSecrets: [SECRET], callbackBase }],
    },
  });
  const agent = await p.login('a', 'pw-a');
  expect((await p.api('PUT', '/api/v1/agent/status', agent, { status: 'online' })).status).toBe(200);
  let running = true;
  const answered = new Set<number>();
  const robot = (async () => {
    while (running) {
      const list = await p.api<{ sessions: { id: number; status: string; messages: { id: number; sender: string; kind: string }[] }[] }>('GET', '/api/v1/agent/sessions', agent);
      for (const s of list.body.sessions ?? []) {
        for (const m of s.messages) {
          if (m.sender !== 'customer' || m.kind !== 'text' || answered.has(m.id) || s.status === 'closed') continue;
          answered.add(m.id);
          await p.api('POST', `/api/v1/agent/sessions/${s.id}/messages`, agent, { text: 'ok' });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    url: p.url,
    async close() {
      running = false;
      await robot;
      await p.close();
    },
  };
}

async function mockPlatform(callbackBase: string): Promise<RunningMock> {
  return startMock({
    channels: [{ id: 'c', key: KEY, webhookSecrets: [SECRET], callbackBase }],
    agents: [{ id: 'A', name: 'A' }],
    queues: [
      { id: 1, acceptAfterSeconds: 0.2, replies: ['ok'] },
      { id: 2, timeoutAfterSeconds: 1 },
      { id: 3, refuse: 'noAgent' },
      { id: 4, refuse: 'offHours' },
    ],
  });
}

/**
 * The later wire through the SDK's own client and receiver: a visitor logs in, asks with the
 * token, writes (a second time with the same messageId), hears the agent, reads the history,
 * closes twice, logs out and writes with the old token. What the bridge observes, in order.
 */
async function laterConversation(url: string, callbackPort: number) {
  const events: string[] = [];
  let sessionId = 0;
  const receiver = new CallbackReceiver({
    secrets: [SECRET],
    handlers: {
      create: (e) => {
        events.push('create');
        sessionId = e.sessionId;
      },
      msg: (e) => void events.push(`msg ${e.content}`),
      close: () => void events.push('close'),
    },
  });
  const server = http.createServer((req, res) => void receiver.node(req, res));
  await new Promise<void>((resolve) => server.listen(callbackPort, '127.0.0.1', resolve));
  try {
    const client = new TpiClient({ url, key: KEY, retryDelayMs: 20 });
    const outcome = (call: Promise<{ result: number; message: string }>) =>
      call.then(
        (a) => [a.result, a.message],
        (e: TpiError) => [e.code, e.message.replace(/^TPI \d+ answered -?\d+ \w+: /, '')],
      );
    const token = (await client.visitorLogon({ visitorId: 'A5B8C3D2-1E4F-4A6B-9C8D-7E6F5A4B3C2D' })).token!;
    const steps: Record<string, unknown> = {};
    steps.request = (await outcome(client.requestChat({ token, queueId: 1 })))[0];
    await until(() => events.includes('create'), 'the create');
    const hello = { token, sessionId, text: 'hello', messageId: 'm-1' } as Parameters<TpiClient['sendText']>[0];
    steps.send = await outcome(client.sendText(hello));
    steps.sendAgain = await outcome(client.sendText(hello));
    await until(() => events.some((e) => e.startsWith('msg')), "the agent's answer");
    steps.history = (await client.history({ token })).hisMessages!.map((m) => [m.userType, m.text]);
    steps.close = await outcome(client.close({ token, sessionId } as Parameters<TpiClient['close']>[0]));
    steps.closeAgain = (await outcome(client.close({ token, sessionId } as Parameters<TpiClient['close']>[0])))[0];
    steps.logout = (await outcome(client.logout({ token })))[0];
    steps.afterLogout = (await outcome(client.sendText({ token, sessionId, text: 'late' })))[0];
    return { steps, events };
  } finally {
    await closeServer(server);
  }
}

describe('webchat-mock and the platform agree', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
  });

  /** Runs `run` against the platform, then the mock, each calling back to the port given. */
  async function onBoth<T>(run: (url: string, callbackPort: number) => Promise<T>): Promise<{ platform: T; mock: T }> {
    const seen: Partial<Record<'platform' | 'mock', T>> = {};
    for (const [name, start] of [
      ['platform', realPlatform],
      ['mock', mockPlatform],
    ] as const) {
      const port = await freePort();
      const target = await start(`http://127.0.0.1:${port}`);
      open.push(target);
      seen[name] = await run(target.url, port);
      await open.pop()!.close();
    }
    return seen as { platform: T; mock: T };
  }

  it('on the later wire: token, messageId, history, close and logout', async () => {
    const seen = await onBoth(laterConversation);
    expect(seen.mock, 'the mock saw otherwise than the platform').toEqual(seen.platform);
    // A 4001 sends no close callback (the customer closed it); a second one is -11, a logged-out token -15.
    expect(seen.platform).toEqual({
      steps: {
        request: 1,
        send: [1, 'success'],
        sendAgain: [1, 'success; duplicate msgId, already stored'],
        history: [
          [2, 'ok'],
          [1, 'hello'],
        ],
        close: [1, 'success'],
        closeAgain: -11,
        logout: 1,
        afterLogout: -15,
      },
      events: ['create', 'msg ok'],
    });
  }, 60_000);

  for (const c of CASES) {
    it(c.name, async () => {
      const reports = await onBoth(async (url, port) => observed(await runSimulation(c.scenario, { url, listen: `127.0.0.1:${port}` })));
      expect(reports.mock, 'the mock saw otherwise than the platform').toEqual(reports.platform);
      expect(reports.platform).toMatchObject({ violations: {}, duplicates: 0, ...c.expected });
    }, 60_000);
  }
});
