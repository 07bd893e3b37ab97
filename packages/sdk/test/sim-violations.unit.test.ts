/**
 * webchat-sim's receiver sees protocol violations: callbacks POSTed straight to its listen port
 * (signed as the platform signs them, or not) while a customer pauses, and the report lists
 * each one by kind.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { checkScenario, runSimulation, type Report } from '../src/sim/index.js';
import { postCutOff } from './sdk-world.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const OTHER = `whsec_${randomBytes(32).toString('base64')}`;
let nextId = 1;

const agentCard = { id: 'A', name: 'A', alias: 'a', icon: '', commonts: '' };
const create = (sessionId: number, clientId: string) => ({ result: 1, message: 'success', agentId: 'A', agentName: 'A', agent: agentCard, clientId, sessionId, time: Date.now() - 5 });
const msg = (sessionId: number, content = 'hi') => ({ sessionId, agentId: 'A', agentName: 'A', agentHeadimg: '', agentComment: '', time: Date.now(), content, clientId: 'c-1', type: 'text' });
const close = (sessionId: number) => ({ sessionId, agentId: 'A', clientId: 'c-1', time: Date.now() });

/** POSTs a callback as the platform would, signed with `secret`; answers the HTTP status. */
async function post(base: string, name: string, body: unknown, options: { secret?: string; id?: string } = {}): Promise<number> {
  const id = options.id ?? `cb_${nextId++}`;
  const text = JSON.stringify(body);
  const timestamp = new Date();
  const signature = new Webhook(options.secret ?? SECRET).sign(id, timestamp, text);
  const res = await fetch(`${base}/ThirdPartService/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature },
    body: text,
  });
  await res.text();
  return res.status;
}

/** Runs one customer who only pauses (no platform is called) and feeds its receiver meanwhile. */
async function withSim(feed: (base: string) => Promise<void>): Promise<Report> {
  const scenario = checkScenario({
    platform: { url: 'http://127.0.0.1:9', webhookSecrets: [SECRET] },
    callbacks: { listen: '127.0.0.1:0' },
    customers: 1,
    clientId: 'c-${n}',
    maxSeconds: 20,
    settleSeconds: 0,
    customer: [{ pause: 30 }],
  });
  const stop = new AbortController();
  let fed: Promise<void> = Promise.resolve();
  const report = runSimulation(scenario, {
    signal: stop.signal,
    onListening: ({ host, port }) => {
      fed = (async () => {
        // The customer starts right after the receiver listens.
        await new Promise((r) => setTimeout(r, 50));
        try {
          await feed(`http://${host}:${port}`);
        } finally {
          stop.abort();
        }
      })();
    },
  });
  const [r] = await Promise.all([report, fed]);
  await fed;
  return r;
}

describe('webchat-sim reports protocol violations', () => {
  it('counts well-formed callbacks in order and reports none', async () => {
    const r = await withSim(async (base) => {
      expect(await post(base, 'create', create(7, 'c-1'))).toBe(200);
      expect(await post(base, 'msg', msg(7))).toBe(200);
      expect(await post(base, 'pushRating', { sessionId: 7, agentId: 'A', clientId: 'c-1' })).toBe(200);
      expect(await post(base, 'close', close(7))).toBe(200);
    });
    expect(r.violations.total).toBe(0);
    expect(r.callbacks.received).toEqual({ create: 1, msg: 1, pushRating: 1, close: 1 });
    expect(r.latencyMs.callbacks.create?.count).toBe(1);
    expect(r.latencyMs.callbacks.create?.p50).toBeGreaterThanOrEqual(5);
    expect(r.latencyMs.callbacks.pushRating).toBeUndefined();
  });

  it('reports a bad signature', async () => {
    const r = await withSim(async (base) => {
      expect(await post(base, 'create', create(7, 'c-1'), { secret: OTHER })).toBe(401);
    });
    expect(r.violations.byKind).toEqual({ 'bad-signature': 1 });
    expect(r.violations.list[0]).toMatchObject({ kind: 'bad-signature', callback: 'create' });
    expect(r.callbacks).toMatchObject({ received: {}, refused: 1 });
  });

  it('reports a msg before the create of its session, and one after its close', async () => {
    const r = await withSim(async (base) => {
      await post(base, 'msg', msg(7, 'too early'));
      await post(base, 'create', create(7, 'c-1'));
      await post(base, 'close', close(7));
      await post(base, 'msg', msg(7, 'too late'));
    });
    expect(r.violations.byKind).toEqual({ 'out-of-order': 2 });
    expect(r.violations.list.map((v) => v.detail)).toEqual(['msg for session 7 came before its create', 'msg for session 7 after its close']);
  });

  it('reports a msg for a session no create named, and a create for nobody of the run', async () => {
    const r = await withSim(async (base) => {
      await post(base, 'msg', msg(99));
      await post(base, 'create', create(8, 'stranger'));
    });
    expect(r.violations.byKind).toEqual({ 'unknown-session': 1, 'unknown-client': 1 });
  });

  it('reports an unknown field, a body that does not match its schema, and a repeated webhook-id with another body', async () => {
    const r = await withSim(async (base) => {
      await post(base, 'create', { ...create(7, 'c-1'), vip: true });
      const { agentId: _, ...noAgent } = msg(7);
      expect(await post(base, 'msg', noAgent)).toBe(400);
      const one = msg(7, 'one');
      await post(base, 'msg', one, { id: 'cb_dup' });
      // A retry: the identical body again, only counted.
      await post(base, 'msg', one, { id: 'cb_dup' });
      await post(base, 'msg', msg(7, 'two'), { id: 'cb_dup' });
    });
    expect(r.violations.byKind).toEqual({ 'unknown-field': 1, 'bad-body': 1, 'duplicate-different-body': 1 });
    expect(r.violations.list.find((v) => v.kind === 'unknown-field')?.detail).toMatch(/vip/);
    expect(r.callbacks).toEqual({ received: { create: 1, msg: 1 }, duplicates: 2, refused: 1 });
  });

  it('goes on after a sender went away in the middle of a body, and refuses a body over its limit', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const r = await withSim(async (base) => {
        await postCutOff(base, '/ThirdPartService/create');
        expect(await post(base, 'msg', { ...msg(7), content: 'x'.repeat(2 * 1024 * 1024) })).toBe(413);
        expect(await post(base, 'create', create(7, 'c-1'))).toBe(200);
      });
      expect(r.callbacks).toMatchObject({ received: { create: 1 }, refused: 1 });
      expect(r.violations.list.map((v) => v.detail)).toEqual([`body over ${2 * 1024 * 1024} bytes`]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reports a callback it had to refuse: an unknown name, no webhook-id, not a POST', async () => {
    const r = await withSim(async (base) => {
      expect(await post(base, 'hello', { sessionId: 7 })).toBe(404);
      expect((await fetch(`${base}/ThirdPartService/msg`, { method: 'POST', body: JSON.stringify(msg(7)) })).status).toBe(400);
      expect((await fetch(`${base}/ThirdPartService/msg`)).status).toBe(405);
    });
    expect(r.violations.byKind).toEqual({ 'refused-callback': 3 });
    expect(r.violations.list.map((v) => v.detail)).toEqual(['no such callback: hello', 'no webhook-id header', 'callbacks are POSTed, not GET']);
    expect(r.callbacks.refused).toBe(3);
  });
});
