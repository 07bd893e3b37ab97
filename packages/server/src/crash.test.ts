/**
 * `kill -9` at any moment of a busy run loses nothing that was answered: the real server as a
 * child process, a burst of customer messages, agent replies, chat requests and pre-messages,
 * SIGKILL mid-burst, a restart on the same store, and then everything checked from outside,
 * as a third party and the agents see it. Three rounds, killed at different moments.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Provisioning } from './provisioning/schema.js';
import { freePort, HttpClient, startChildServer, type ChildServer } from './test-support/child-server.js';
import { eventually } from './test-support/platform.js';
import { freshStore, type TestStore } from './test-support/stores.js';
import { ThirdParty, type ReceivedCallback } from './test-support/third-party.js';

const KEY = 'crash-test-key-0123456789';
const BUSY = 1;
const UNSTAFFED = 2;
const CUSTOMERS = 8;
/**
 * When each round's SIGKILL comes, in ms after its burst started: early, middle, late. One
 * round kills the restarted process once more while it is still sending what the first left.
 */
const ROUNDS: { killAfter: [number, number]; killAgainAfterRestart?: [number, number] }[] = [
  { killAfter: [20, 120] },
  { killAfter: [200, 450], killAgainAfterRestart: [0, 40] },
  { killAfter: [500, 900] },
];

type Outcome = 'pending' | 'answered' | 'failed' | 'refused';

interface Call {
  text: string;
  outcome: Outcome;
  detail?: string;
}

interface Session {
  clientId: string;
  sessionId: number;
  agentId: string;
  customer: Call[];
  replies: Call[];
}

interface Waiting {
  clientId: string;
  requestId: number;
  pre: Call[];
}

interface StoredMessage {
  sender: string;
  kind: string;
  text?: string;
}

interface SessionView {
  id: number;
  clientId: string;
  messages: StoredMessage[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The callback's row id, from its `webhook-id` header (stable across retries and restarts). */
function callbackId(c: ReceivedCallback): number {
  const header = c.headers['webhook-id'];
  const m = typeof header === 'string' ? /^cb_(\d+)$/.exec(header) : null;
  if (!m) throw new Error(`callback ${c.name} without a usable webhook-id: ${String(header)}`);
  return Number(m[1]);
}

/** Every delivered callback once, the first time its webhook-id arrived, in arrival order. */
function dedupe(delivered: ReceivedCallback[]): ReceivedCallback[] {
  const seen = new Set<number>();
  return delivered.filter((c) => {
    const id = callbackId(c);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

describe('kill -9 during a busy run', () => {
  let tp: ThirdParty | undefined;
  let store: TestStore | undefined;
  let child: ChildServer | undefined;
  let http: HttpClient | undefined;

  afterEach(async () => {
    try {
      await child?.kill9();
      await http?.close();
      // Throws if any callback it received was malformed.
      await tp?.stop();
    } finally {
      await store?.drop();
      child = undefined;
      http = undefined;
      tp = undefined;
      store = undefined;
    }
  });

  it('keeps every answered message, request and callback exactly once, callbacks in order, waiting requests waiting', async () => {
    tp = new ThirdParty();
    // Some answers come a little late, so that callbacks are in the air when the process dies.
    tp.answer = () => (Math.random() < 0.5 ? { delayMs: 1 + Math.floor(Math.random() * 15), body: { result: 1, message: 'success' } } : 'ok');
    const callbackBase = await tp.start();
    store = await freshStore();

    const provisioning: Provisioning = {
      queues: [
        { id: BUSY, name: 'busy', whenNoAgentOnline: 'wait', maxLength: 100 },
        { id: UNSTAFFED, name: 'nobody online', whenNoAgentOnline: 'wait', maxLength: 100, maxWaitSeconds: 3600 },
      ],
      agents: [
        { id: 'A1', username: 'a1', password: 'pw-a1', name: 'A1', maxChats: 10, queues: [BUSY] },
        { id: 'A2', username: 'a2', password: 'pw-a2', name: 'A2', maxChats: 10, queues: [BUSY] },
        { id: 'B', username: 'b', password: 'pw-b', name: 'B', maxChats: 100, queues: [UNSTAFFED] },
      ],
      channels: [{ id: 'crash', key: KEY, callbackBase }],
    };
    // JSON is YAML.
    const configFile = path.join(store.dataDir, 'webchat.yaml');
    fs.writeFileSync(configFile, JSON.stringify(provisioning, null, 2));
    const env = {
      ...store.env,
      LOG_LEVEL: 'warn',
      WEBCHAT_CONFIG: configFile,
      CALLBACK_POLL_MS: '50',
      CALLBACK_BACKOFF_MS: '20',
      CALLBACK_MAX_BACKOFF_MS: '200',
      SWEEP_INTERVAL_MS: '50',
    };
    const port = await freePort();
    const start = async () => {
      child = await startChildServer({ env, port });
      http = new HttpClient(child.url, { 'x-webchat-key': KEY });
      return http;
    };
    let c = await start();

    // Two agents online, eight open sessions, their create callbacks received.
    const tokens = new Map<string, string>([
      ['A1', await c.login('a1', 'pw-a1')],
      ['A2', await c.login('a2', 'pw-a2')],
    ]);
    for (const token of tokens.values()) expect((await c.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    const sessions: Session[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const clientId = `cust-${i}`;
      expect(await c.tpi({ type: 1000, clientId, nickname: clientId, queueId: BUSY, from: 'APP' })).toMatchObject({ result: 1 });
    }
    for (let i = 0; i < CUSTOMERS; i++) {
      const clientId = `cust-${i}`;
      const create = await tp.waitFor(() => tp!.ofName('create').find((cb) => cb.body.clientId === clientId), 15_000, `create of ${clientId}`);
      sessions.push({ clientId, sessionId: create.body.sessionId as number, agentId: create.body.agentId as string, customer: [], replies: [] });
    }

    // Requests waiting in a queue whose only agent is offline, with a pre-message each.
    const waiting: Waiting[] = [];
    for (let i = 0; i < 3; i++) {
      const clientId = `wait-${i}`;
      const answer = await c.tpi({ type: 1000, clientId, queueId: UNSTAFFED, from: 'WECHAT' });
      expect(answer).toMatchObject({ result: 1, queueLength: i + 1 });
      const text = `pre ${clientId} #0`;
      expect((await c.tpi({ type: 2005, requestId: answer.requestId, text })).result).toBe(1);
      waiting.push({ clientId, requestId: answer.requestId as number, pre: [{ text, outcome: 'answered' }] });
    }
    /** Requests to a staffed queue sent during bursts: answered ones must end up accepted. */
    const joiners: { clientId: string; requestId: number }[] = [];
    /** Calls of any kind that never got an answer; what they did is unknown. */
    const unanswered = new Set<string>();

    for (const [round, { killAfter, killAgainAfterRestart }] of ROUNDS.entries()) {
      // ---- the burst ----
      let dying = false;
      let inFlight = 0;
      let sentThisRound = 0;
      let answeredThisRound = 0;
      const refused: string[] = [];
      /** Runs one call and records how it ended; false once the server is gone. */
      const call = async (rec: Call, send: () => Promise<boolean | string>): Promise<boolean> => {
        inFlight++;
        sentThisRound++;
        try {
          const ok = await send();
          rec.outcome = ok === true ? 'answered' : 'refused';
          if (ok !== true) {
            rec.detail = String(ok);
            refused.push(`${rec.text}: ${rec.detail}`);
          } else answeredThisRound++;
          return true;
        } catch (error) {
          rec.outcome = 'failed';
          rec.detail = (error as Error).message;
          unanswered.add(rec.text);
          return false;
        } finally {
          inFlight--;
        }
      };
      const tpiOk = async (body: Record<string, unknown>) => {
        const a = await c.tpi(body);
        return a.result === 1 ? true : `result ${a.result}: ${a.message}`;
      };

      const customerLoop = async (s: Session) => {
        while (!dying) {
          const rec: Call = { text: `customer ${s.clientId} #${s.customer.length}`, outcome: 'pending' };
          s.customer.push(rec);
          if (!(await call(rec, () => tpiOk({ type: 2001, sessionId: s.sessionId, clientId: s.clientId, time: Date.now(), text: rec.text })))) return;
        }
      };
      const replyLoop = async (s: Session) => {
        const token = tokens.get(s.agentId)!;
        while (!dying) {
          const rec: Call = { text: `reply ${s.clientId} #${s.replies.length}`, outcome: 'pending' };
          s.replies.push(rec);
          const sent = () =>
            c.api('POST', `/api/v1/agent/sessions/${s.sessionId}/messages`, token, { text: rec.text }).then((r) => r.status === 201 || `HTTP ${r.status}: ${JSON.stringify(r.body)}`);
          if (!(await call(rec, sent))) return;
        }
      };
      // New requests in the unstaffed queue, then pre-messages round-robin to every waiting one.
      const waitingLoop = async () => {
        for (let j = 0; j < 3 && !dying; j++) {
          const clientId = `wait-r${round}-${j}`;
          const rec: Call = { text: `request ${clientId}`, outcome: 'pending' };
          let requestId = 0;
          const ok = await call(rec, async () => {
            const a = await c.tpi({ type: 1000, clientId, queueId: UNSTAFFED, from: 'PC' });
            requestId = a.requestId as number;
            return a.result === 1 || `result ${a.result}: ${a.message}`;
          });
          if (!ok) return;
          if (rec.outcome === 'answered') waiting.push({ clientId, requestId, pre: [] });
        }
        for (let n = 0; !dying; n++) {
          const w = waiting[n % waiting.length]!;
          const rec: Call = { text: `pre ${w.clientId} #${w.pre.length}`, outcome: 'pending' };
          w.pre.push(rec);
          if (!(await call(rec, () => tpiOk({ type: 2005, requestId: w.requestId, text: rec.text })))) return;
        }
      };
      // A few new customers of the staffed queue: routed, maybe only after the restart.
      const joinerLoop = async () => {
        for (let j = 0; j < 2 && !dying; j++) {
          const clientId = `join-r${round}-${j}`;
          const rec: Call = { text: `request ${clientId}`, outcome: 'pending' };
          let requestId = 0;
          const ok = await call(rec, async () => {
            const a = await c.tpi({ type: 1000, clientId, queueId: BUSY, from: 'MOBILE' });
            requestId = a.requestId as number;
            return a.result === 1 || `result ${a.result}: ${a.message}`;
          });
          if (!ok) return;
          if (rec.outcome === 'answered') joiners.push({ clientId, requestId });
        }
      };

      const loops = [...sessions.flatMap((s) => [customerLoop(s), replyLoop(s)]), waitingLoop(), joinerLoop()];
      const burstStarted = Date.now();
      await sleep(killAfter[0] + Math.random() * (killAfter[1] - killAfter[0]));
      await eventually(() => answeredThisRound >= 5, 10_000, 'the burst to get going');
      const killedAt = Date.now() - burstStarted;
      const inFlightAtKill = inFlight;
      const callbacksBeforeKill = tp.received.length;
      await child!.kill9();
      dying = true;
      await Promise.all(loops);
      await c.close();
      expect(refused, 'calls answered with an error').toEqual([]);

      // ---- restart on the same store (and maybe kill it again while it catches up) ----
      c = await start();
      let killedAgain = '';
      if (killAgainAfterRestart) {
        await sleep(killAgainAfterRestart[0] + Math.random() * (killAgainAfterRestart[1] - killAgainAfterRestart[0]));
        const resent = tp.received.length - callbacksBeforeKill;
        await child!.kill9();
        await c.close();
        killedAgain = `; killed again after restart, ${resent} callbacks into catching up`;
        c = await start();
      }
      const delivered = await checkEverything(c);
      const unique = dedupe(delivered);
      const messages = [...sessions.flatMap((s) => [...s.customer, ...s.replies]), ...waiting.flatMap((w) => w.pre)];
      console.log(
        `[crash ${process.env.TEST_STORE}] round ${round + 1}: killed ${killedAt} ms into the burst, ${sentThisRound} calls sent, ` +
          `${answeredThisRound} answered, ${inFlightAtKill} in flight at the kill${killedAgain}. ` +
          `So far: ${messages.filter((r) => r.outcome === 'answered').length} messages answered, ${unanswered.size} calls unanswered; ` +
          `${delivered.length} callbacks received, ${unique.length} distinct webhook-ids, ${delivered.length - unique.length} duplicates dropped`,
      );
    }

    // ---- finally, the agent of the unstaffed queue comes online: every waiting request is accepted, its pre-messages all there ----
    const tokenB = await c.login('b', 'pw-b');
    expect((await c.api('PUT', '/api/v1/agent/status', tokenB, { status: 'online' })).status).toBe(200);
    for (const w of waiting) {
      await eventually(async () => (await c.tpi({ type: 1001, requestId: w.requestId })).requestStatus === RequestStatus.ACCEPTED, 15_000, `${w.clientId} accepted`);
    }
    const ofB = await c.api<{ sessions: SessionView[] }>('GET', '/api/v1/agent/sessions', tokenB);
    for (const w of waiting) {
      const session = ofB.body.sessions.find((s) => s.clientId === w.clientId);
      expect(session, `session of ${w.clientId}`).toBeDefined();
      const pre = session!.messages.filter((m) => m.kind === 'pre').map((m) => m.text!);
      expectStoredOnce(pre, w.pre, `pre-messages of ${w.clientId}`);
      await tp.waitFor(() => tp!.ofName('create').find((cb) => cb.body.clientId === w.clientId), 15_000, `create of ${w.clientId}`);
    }
    await child!.stop();
    expect(child!.proc.exitCode).toBe(0);

    /**
     * What survived, seen from outside: requests in their state, every answered message stored
     * once and in order, every stored agent reply called back once per webhook-id, in order.
     * Returns every callback the third party has taken.
     */
    async function checkEverything(client: HttpClient): Promise<ReceivedCallback[]> {
      // Requests: the waiting ones still wait; the answered joiners get accepted, with a create.
      for (const w of waiting) {
        const state = await client.tpi({ type: 1001, requestId: w.requestId });
        expect(state, `request of ${w.clientId}`).toMatchObject({ result: 1, requestStatus: RequestStatus.WAITING });
        expect(state.queueLength).toBeGreaterThanOrEqual(1);
      }
      for (const j of joiners) {
        await eventually(async () => (await client.tpi({ type: 1001, requestId: j.requestId })).requestStatus === RequestStatus.ACCEPTED, 15_000, `${j.clientId} accepted`);
      }

      // Messages: A1 with the token from before the crash (tokens are stored), A2 logged in anew.
      tokens.set('A2', await client.login('a2', 'pw-a2'));
      const stored = new Map<number, StoredMessage[]>();
      for (const token of tokens.values()) {
        const res = await client.api<{ sessions: SessionView[] }>('GET', '/api/v1/agent/sessions', token);
        expect(res.status).toBe(200);
        for (const s of res.body.sessions) stored.set(s.id, s.messages);
      }
      for (const s of sessions) {
        const messages = stored.get(s.sessionId);
        expect(messages, `session ${s.sessionId} still open`).toBeDefined();
        const texts = (sender: string) => messages!.filter((m) => m.sender === sender && m.kind === 'text').map((m) => m.text!);
        expectStoredOnce(texts('customer'), s.customer, `customer messages of ${s.clientId}`);
        expectStoredOnce(texts('agent'), s.replies, `replies to ${s.clientId}`);
      }

      // Callbacks: every stored reply reaches the third party (a stored reply and its callback
      // are one transaction), then each once by webhook-id, in the order the replies were made.
      const replies = new Map(sessions.map((s) => [s.sessionId, stored.get(s.sessionId)!.filter((m) => m.sender === 'agent' && m.kind === 'text').map((m) => m.text!)]));
      await tp!.waitFor(
        () =>
          sessions.every((s) => {
            const got = new Set(tp!.ofName('msg').filter((cb) => cb.body.sessionId === s.sessionId).map((cb) => cb.body.content));
            return replies.get(s.sessionId)!.every((text) => got.has(text));
          }) && joiners.every((j) => tp!.ofName('create').some((cb) => cb.body.clientId === j.clientId)),
        20_000,
        'every stored reply and accepted request called back',
      );
      const delivered = [...tp!.delivered];
      // One webhook-id is one callback: the same body whenever it is sent again.
      const bodyOf = new Map<number, string>();
      for (const cb of delivered) {
        const body = JSON.stringify([cb.name, cb.body]);
        const known = bodyOf.get(callbackId(cb));
        if (known === undefined) bodyOf.set(callbackId(cb), body);
        else expect(body, `webhook-id ${callbackId(cb)} sent again`).toBe(known);
      }
      const unique = dedupe(delivered);
      for (const s of sessions) {
        const mine = delivered.filter((cb) => cb.body.sessionId === s.sessionId);
        // Never an older callback after a newer one: only redeliveries of the latest.
        const ids = mine.map(callbackId);
        expect(ids, `callback ids of session ${s.sessionId}`).toEqual([...ids].sort((a, b) => a - b));
        const sequence = unique.filter((cb) => cb.body.sessionId === s.sessionId).map((cb) => (cb.name === 'msg' ? String(cb.body.content) : cb.name));
        expect(sequence, `callbacks of session ${s.sessionId}`).toEqual(['create', ...replies.get(s.sessionId)!]);
      }
      for (const j of joiners) {
        expect(unique.filter((cb) => cb.name === 'create' && cb.body.clientId === j.clientId), `create of ${j.clientId}`).toHaveLength(1);
      }
      return delivered;
    }

    /**
     * Stored texts against what was sent: each at most once, none unknown, in the order sent;
     * every answered one present. An unanswered one may or may not have been stored.
     */
    function expectStoredOnce(storedTexts: string[], sent: Call[], what: string): void {
      const order = new Map(sent.map((r, i) => [r.text, i]));
      const unknown = storedTexts.filter((t) => !order.has(t));
      expect(unknown, `${what}: stored but never sent`).toEqual([]);
      const twice = storedTexts.filter((t, i) => storedTexts.indexOf(t) !== i);
      expect(twice, `${what}: stored twice`).toEqual([]);
      const positions = storedTexts.map((t) => order.get(t)!);
      expect(positions, `${what}: stored out of order`).toEqual([...positions].sort((a, b) => a - b));
      const present = new Set(storedTexts);
      const lost = sent.filter((r) => r.outcome === 'answered' && !present.has(r.text)).map((r) => r.text);
      expect(lost, `${what}: answered but lost`).toEqual([]);
      const neverSent = storedTexts.filter((t) => sent[order.get(t)!]!.outcome === 'pending');
      expect(neverSent).toEqual([]);
    }
  }, 60_000);
});
