/**
 * Delivery as a third party that misbehaves sees it: a receiver that hangs, drips bytes,
 * answers a huge body, fails one time in five, or asks for a pause (429/503 Retry-After); the
 * Standard Webhooks headers it can check; dead letters, their admin view and redelivery; and a
 * hanging channel that must not hold up another channel or the TPI.
 *
 * Timing is never asserted as wall-clock durations of the test; only the platform's own
 * record of when it started each attempt (for Retry-After), and orders of events.
 */
import { createHmac } from 'node:crypto';
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelSpec } from '../provisioning/schema.js';
import { eventually, startTestPlatform, type TestPlatform, type TestPlatformOptions } from '../test-support/platform.js';
import { answer, behave, HostileReceiver, seededRandom, type Hit } from '../test-support/hostile-receiver.js';
import { MAX_ANSWER_BYTES } from './send.js';
import { verifyWebhook } from './signature.js';

const KEY = (channel: string) => `${channel}-channel-key-0123456789`;

interface Setup {
  p: TestPlatform;
  admin: string;
  agent: string;
}

describe('callback receivers that misbehave', () => {
  let p: TestPlatform | undefined;
  const receivers: HostileReceiver[] = [];

  afterEach(async () => {
    await p?.close();
    p = undefined;
    for (const rx of receivers.splice(0)) await rx.stop();
  });

  async function receiver(): Promise<HostileReceiver> {
    const rx = new HostileReceiver();
    receivers.push(rx);
    await rx.start();
    return rx;
  }

  async function start(channels: ChannelSpec[], config: TestPlatformOptions['config']): Promise<Setup> {
    p = await startTestPlatform({
      config,
      provisioning: {
        queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait', maxLength: 1000 }],
        agents: [
          { id: 'ADM', username: 'admin', password: 'admin-pw', name: 'Admin', role: 'admin' },
          { id: 'A', username: 'a', password: 'pw', name: 'A', maxChats: 100, queues: [1] },
        ],
        channels,
      },
    });
    const admin = await p.login('admin', 'admin-pw');
    const agent = await p.login('a', 'pw');
    expect((await p.api('PUT', '/api/v1/agent/status', agent, { status: 'online' })).status).toBe(200);
    return { p, admin, agent };
  }

  /** Opens one session per client on a channel; their session ids, once the agent has them. */
  async function open(s: Setup, channel: string, clientIds: string[]): Promise<Map<string, number>> {
    for (const clientId of clientIds) {
      const res = await s.p.tpi({ type: 1000, clientId, queueId: 1 }, { 'x-webchat-key': KEY(channel) });
      expect(res.result, res.message).toBe(1);
    }
    return eventually(
      async () => {
        const rows = await s.p.platform.store.db.selectFrom('sessions').select(['id', 'client_id']).where('channel_id', '=', channel).where('client_id', 'in', clientIds).execute();
        return rows.length === clientIds.length && new Map(rows.map((r) => [r.client_id, r.id]));
      },
      10_000,
      'sessions',
    );
  }

  async function say(s: Setup, sessionId: number, text: string): Promise<void> {
    const res = await s.p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, s.agent, { text });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  async function callbacksOf(s: Setup, sessionId: number) {
    const { db } = s.p.platform.store;
    const rows = await db.selectFrom('callbacks').selectAll().where('session_id', '=', sessionId).orderBy('id').execute();
    return Promise.all(
      rows.map(async (row) => ({ row, attempts: await db.selectFrom('callback_attempts').selectAll().where('callback_id', '=', row.id).orderBy('id').execute() })),
    );
  }

  /** Which callback a hit is: the create of a client, or a msg by its content. */
  const keyOf = (hit: Hit) => (hit.path.endsWith('/create') ? `create:${String(hit.body.clientId)}` : `${hit.path.split('/').pop()}:${String(hit.body.content ?? '')}`);

  it('gives up on a receiver that hangs, that drips bytes, or that answers a huge body, and goes on', async () => {
    const rx = await receiver();
    const TIMEOUT_MS = 300;
    let hungUp = 0;
    /** Per create: how its first attempts misbehave; after them, success. */
    const script: Record<string, ('hang' | 'drip' | 'huge')[]> = { hangs: ['hang', 'hang'], drips: ['drip'], huge: ['huge', 'huge'] };
    rx.behaviour = (hit, res) => {
      const key = keyOf(hit);
      const clientId = String(hit.body.clientId);
      const n = rx.hits.filter((h) => keyOf(h) === key).length;
      const mode = key.startsWith('create:') ? script[clientId]?.[n - 1] : undefined;
      res.on('close', () => {
        if (mode === 'hang' || mode === 'drip') hungUp++;
      });
      if (mode === 'hang') return behave.hang(hit, res);
      if (mode === 'drip') return behave.drip(TIMEOUT_MS / 6)(hit, res);
      if (mode === 'huge') return behave.huge(2 * 1024 * 1024)(hit, res);
      return behave.ok(hit, res);
    };
    const s = await start([{ id: 'tp', key: KEY('tp'), callbackBase: rx.url }], { delivery: { timeoutMs: TIMEOUT_MS } });
    const ids = await open(s, 'tp', Object.keys(script));
    for (const clientId of Object.keys(script)) await say(s, ids.get(clientId)!, `after ${clientId}`);

    for (const clientId of Object.keys(script)) {
      await rx.waitFor(() => rx.hits.some((h) => h.body.content === `after ${clientId}`), 15_000, `msg after ${clientId}`);
    }
    const errors = async (clientId: string) => {
      const [create, msg] = await eventually(async () => {
        const cbs = await callbacksOf(s, ids.get(clientId)!);
        return cbs.every((c) => c.row.status === 'delivered') && cbs;
      }, 10_000, `${clientId} recorded delivered`);
      expect(msg!.attempts.map((a) => [a.http_status, a.error])).toEqual([[200, null]]);
      return create!.attempts.map((a) => [a.http_status, a.error]);
    };
    const timeout = expect.stringMatching(/timeout|aborted/i);
    expect(await errors('hangs')).toEqual([[null, timeout], [null, timeout], [200, null]]);
    expect(await errors('drips')).toEqual([[null, timeout], [200, null]]);
    const tooLarge = `answer is larger than ${MAX_ANSWER_BYTES} bytes`;
    expect(await errors('huge')).toEqual([[200, tooLarge], [200, tooLarge], [200, null]]);
    // The platform hung up on the hanging and dripping answers itself.
    await eventually(() => hungUp === 3, 5_000, 'hang-ups');
    // Each session's msg only after its create got through.
    for (const clientId of Object.keys(script)) {
      const mine = rx.hits.filter((h) => h.body.clientId === clientId || h.body.content === `after ${clientId}`);
      expect(mine.map((h) => h.body.content ?? 'create')).toEqual([...script[clientId]!.map(() => 'create'), 'create', `after ${clientId}`]);
    }
  });

  it('delivers every callback exactly once, in order per session, to a receiver that fails 20% of the time (seeded)', async () => {
    const rx = await receiver();
    const random = new Map<string, number>();
    const SEED = 20_260_401;
    /** The same callback and attempt always get the same verdict, whatever the interleaving. */
    const fails = (webhookId: string, attempt: number) => {
      const key = `${webhookId}|${attempt}`;
      if (!random.has(key)) {
        let h = SEED;
        for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
        random.set(key, seededRandom(h)());
      }
      return random.get(key)! < 0.2;
    };
    const verdicts: { webhookId: string; key: string; ok: boolean }[] = [];
    rx.behaviour = (hit, res) => {
      const webhookId = String(hit.headers['webhook-id']);
      const attempt = verdicts.filter((v) => v.webhookId === webhookId).length + 1;
      const ok = !fails(webhookId, attempt);
      verdicts.push({ webhookId, key: keyOf(hit), ok });
      if (ok) behave.ok(hit, res);
      else answer(res, 500, { result: 0, message: 'flaky' });
    };
    const s = await start([{ id: 'tp', key: KEY('tp'), callbackBase: rx.url }], {});
    const clients = ['f0', 'f1', 'f2', 'f3', 'f4'];
    const PER_SESSION = 10;
    const ids = await open(s, 'tp', clients);
    await Promise.all(clients.map(async (c) => {
      for (let k = 0; k < PER_SESSION; k++) await say(s, ids.get(c)!, `${c} #${k}`);
    }));
    const expected = new Map(clients.map((c) => [c, [`create:${c}`, ...Array.from({ length: PER_SESSION }, (_, k) => `msg:${c} #${k}`)]]));
    const total = clients.length * (PER_SESSION + 1);
    await rx.waitFor(() => new Set(verdicts.filter((v) => v.ok).map((v) => v.webhookId)).size === total, 20_000, 'every callback delivered');
    await eventually(async () => {
      const n = await s.p.platform.store.db.selectFrom('callbacks').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'delivered').executeTakeFirstOrThrow();
      return Number(n.n) === total;
    }, 10_000, 'store agrees');

    // Exactly one success per webhook-id, and one webhook-id per callback.
    const successes = new Map<string, number>();
    for (const v of verdicts.filter((x) => x.ok)) successes.set(v.webhookId, (successes.get(v.webhookId) ?? 0) + 1);
    expect([...successes.values()].every((n) => n === 1)).toBe(true);
    const idsPerKey = new Map<string, Set<string>>();
    for (const v of verdicts) idsPerKey.set(v.key, (idsPerKey.get(v.key) ?? new Set()).add(v.webhookId));
    expect(idsPerKey.size).toBe(total);
    expect([...idsPerKey.values()].every((set) => set.size === 1)).toBe(true);
    // Per session: attempts never go back to an earlier callback, and successes come in order.
    for (const c of clients) {
      const order = expected.get(c)!;
      const mine = verdicts.filter((v) => order.includes(v.key));
      const positions = mine.map((v) => order.indexOf(v.key));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(mine.filter((v) => v.ok).map((v) => v.key)).toEqual(order);
    }
    const failures = verdicts.filter((v) => !v.ok).length;
    expect(failures).toBeGreaterThan(0);
    console.info(`flaky receiver: ${total} callbacks, ${verdicts.length} attempts, ${failures} failed (${((100 * failures) / verdicts.length).toFixed(1)}%), each delivered once`);
  });

  it('waits as long as Retry-After says on 429 (seconds) and 503 (HTTP date)', async () => {
    const rx = await receiver();
    rx.behaviour = (hit, res) => {
      const clientId = String(hit.body.clientId);
      const n = rx.hits.filter((h) => h.body.clientId === clientId && h.path.endsWith('/create')).length;
      if (clientId === 'busy' && n <= 2) return answer(res, 429, { result: 0, message: 'slow down' }, { 'retry-after': '1' });
      if (clientId === 'down' && n === 1) {
        // An HTTP date 2 s ahead, which the second-granularity format rounds down: ≥ 1 s ahead.
        return answer(res, 503, { result: 0, message: 'maintenance' }, { 'retry-after': new Date(Date.now() + 2_000).toUTCString() });
      }
      return behave.ok(hit, res);
    };
    // Without Retry-After the next attempt would come after about 20 ms.
    const s = await start([{ id: 'tp', key: KEY('tp'), callbackBase: rx.url }], { delivery: { baseBackoffMs: 20, maxBackoffMs: 40 } });
    const ids = await open(s, 'tp', ['busy', 'down']);
    const delivered = async (clientId: string) =>
      eventually(async () => {
        const [create] = await callbacksOf(s, ids.get(clientId)!);
        return create?.row.status === 'delivered' && create;
      }, 10_000, `${clientId} delivered`);
    const busy = await delivered('busy');
    expect(busy.attempts.map((a) => [a.http_status, a.error])).toEqual([[429, 'HTTP 429'], [429, 'HTTP 429'], [200, null]]);
    const gaps = (attempts: { started_at: number }[]) => attempts.slice(1).map((a, i) => a.started_at - attempts[i]!.started_at);
    for (const gap of gaps(busy.attempts)) expect(gap).toBeGreaterThanOrEqual(1_000);
    const down = await delivered('down');
    expect(down.attempts.map((a) => [a.http_status, a.error])).toEqual([[503, 'HTTP 503'], [200, null]]);
    expect(gaps(down.attempts)[0]).toBeGreaterThanOrEqual(1_000);
    // What was answered is kept with the attempt.
    expect(busy.attempts[0]!.response).toBe('{"result":0,"message":"slow down"}');
  });

  it('signs with every webhook secret (rotation), and keeps the webhook-id across retries', async () => {
    const NEW = `whsec_${Buffer.from('new-secret-new-secret-new-secret!').toString('base64')}`;
    const OLD = `whsec_${Buffer.from('old-secret-old-secret-old-secret!').toString('base64')}`;
    const rx = await receiver();
    const plain = await receiver();
    rx.behaviour = (hit, res) => {
      const n = rx.hits.filter((h) => h.headers['webhook-id'] === hit.headers['webhook-id']).length;
      if (n <= 2) answer(res, 500, { result: 0 });
      else behave.ok(hit, res);
    };
    const s = await start(
      [
        { id: 'signed', key: KEY('signed'), callbackBase: rx.url, webhookSecrets: [NEW, OLD] },
        { id: 'plain', key: KEY('plain'), callbackBase: plain.url },
      ],
      {},
    );
    const ids = await open(s, 'signed', ['sig']);
    await open(s, 'plain', ['nosig']);
    await rx.waitFor(() => rx.hits.length === 3, 10_000, 'three attempts');
    const [create] = await callbacksOf(s, ids.get('sig')!);
    const headerOf = (h: Hit, name: string) => String(h.headers[name]);
    // One id over all attempts: cb_<callback id>.
    expect(new Set(rx.hits.map((h) => headerOf(h, 'webhook-id')))).toEqual(new Set([`cb_${create!.row.id}`]));
    for (const hit of rx.hits) {
      const ts = Number(headerOf(hit, 'webhook-timestamp'));
      expect(Number.isInteger(ts)).toBe(true);
      expect(Math.abs(ts - hit.at / 1000)).toBeLessThan(300);
      const signatures = headerOf(hit, 'webhook-signature').split(' ');
      expect(signatures).toHaveLength(2);
      // A receiver with either secret verifies the exact bytes it got.
      expect(verifyWebhook(NEW, hit.headers, hit.raw, ts)).toBe(true);
      expect(verifyWebhook(OLD, hit.headers, hit.raw, ts)).toBe(true);
      // Independently: base64 HMAC-SHA256 of "id.timestamp.body" with the decoded key.
      const mac = (secret: string) => `v1,${createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`${headerOf(hit, 'webhook-id')}.${ts}.${hit.raw}`).digest('base64')}`;
      expect(signatures).toEqual([mac(NEW), mac(OLD)]);
      // And a tampered body does not verify.
      expect(verifyWebhook(NEW, hit.headers, hit.raw.replace('"sig"', '"gis"'), ts)).toBe(false);
    }
    // A channel without secrets: id and timestamp, no signature.
    const unsigned = await plain.waitFor(() => plain.hits[0], 10_000, 'unsigned create');
    expect(unsigned.headers['webhook-id']).toMatch(/^cb_\d+$/);
    expect(unsigned.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(unsigned.headers['webhook-signature']).toBeUndefined();
  });

  it('makes a callback that fails past its window a dead letter, shown to admins, no longer holding its session, redeliverable', async () => {
    const rx = await receiver();
    let recovered = false;
    rx.behaviour = (hit, res) => {
      if (!recovered && hit.path.endsWith('/create') && hit.body.clientId === 'doomed') answer(res, 500, { result: 0, message: 'down' });
      else behave.ok(hit, res);
    };
    const s = await start([{ id: 'tp', key: KEY('tp'), callbackBase: rx.url }], { delivery: { windowMs: 300, baseBackoffMs: 20, maxBackoffMs: 50 } });
    const ids = await open(s, 'tp', ['doomed']);
    const sessionId = ids.get('doomed')!;
    await say(s, sessionId, 'held back until the create is dead');

    type Listed = { id: number; name: string; status: string; attempts: number; lastError: string | null; sessionId: number; channelId: string; url: string };
    const dead = await eventually(async () => {
      const res = await s.p.api<{ callbacks: Listed[] }>('GET', '/api/v1/admin/callbacks?status=dead', s.admin);
      return res.body.callbacks.length > 0 && res.body.callbacks;
    }, 10_000, 'a dead letter');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ name: 'create', status: 'dead', sessionId, channelId: 'tp', lastError: 'HTTP 500', url: `${rx.url}/ThirdPartService/create` });
    expect(dead[0]!.attempts).toBeGreaterThanOrEqual(2);
    const detail = await s.p.api<{ attempts: { httpStatus: number | null; error: string | null }[] }>('GET', `/api/v1/admin/callbacks/${dead[0]!.id}`, s.admin);
    expect(detail.status).toBe(200);
    expect(detail.body.attempts).toHaveLength(dead[0]!.attempts);
    expect(detail.body.attempts.every((a) => a.httpStatus === 500 && a.error === 'HTTP 500')).toBe(true);

    // The session's next callback no longer waits for it.
    await rx.waitFor(() => rx.hits.some((h) => h.body.content === 'held back until the create is dead'), 10_000, 'msg after the dead create');
    // Reported: the channel's failures are counted, and the dead letter too.
    const metrics = await (await fetch(`${s.p.url}/metrics`)).text();
    expect(metrics).toMatch(/webchat_callbacks_dead(\{[^}]*\})? 1\b/);
    expect(metrics).toMatch(/webchat_callback_attempts_total\{name="create",outcome="dead",node="test"\} 1\b/);

    // Redelivered by hand once the receiver is back: delivered once.
    const createsBefore = rx.hits.filter((h) => h.path.endsWith('/create')).length;
    recovered = true;
    const again = await s.p.api<Listed>('POST', `/api/v1/admin/callbacks/${dead[0]!.id}/redeliver`, s.admin);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.status).toBe('pending');
    await eventually(async () => {
      const res = await s.p.api<Listed & { deliveredAt: number | null }>('GET', `/api/v1/admin/callbacks/${dead[0]!.id}`, s.admin);
      return res.body.status === 'delivered';
    }, 10_000, 'redelivered');
    const creates = rx.hits.filter((h) => h.path.endsWith('/create'));
    expect(creates.length).toBe(createsBefore + 1);
    expect(new Set(creates.map((h) => h.headers['webhook-id']))).toEqual(new Set([`cb_${dead[0]!.id}`]));
    expect((await s.p.api('GET', '/api/v1/admin/callbacks?status=dead', s.admin)).body).toEqual({ callbacks: [] });
    // An unknown callback cannot be redelivered.
    expect((await s.p.api('POST', '/api/v1/admin/callbacks/999999/redeliver', s.admin)).status).toBe(404);
  });

  it('reports a channel that keeps failing', async () => {
    const rx = await receiver();
    rx.behaviour = (hit, res) => answer(res, 500, { result: 0 });
    const s = await start([{ id: 'broken', key: KEY('broken'), callbackBase: rx.url }], { delivery: { baseBackoffMs: 10, maxBackoffMs: 20 } });
    await open(s, 'broken', ['x']);
    await rx.waitFor(() => rx.hits.length >= 6, 10_000, 'six failed attempts');
    const gauge = await eventually(async () => {
      const metrics = await (await fetch(`${s.p.url}/metrics`)).text();
      const m = /webchat_channel_consecutive_callback_failures\{channel="broken",node="test"\} (\d+)/.exec(metrics);
      return m && Number(m[1]) >= 5 && Number(m[1]);
    }, 5_000, 'failures exported');
    expect(gauge).toBeGreaterThanOrEqual(5);
  });

  it('keeps a hanging channel from delaying other channels\' callbacks or the TPI', async () => {
    const slow = await receiver();
    const fast = await receiver();
    const hanging: http.ServerResponse[] = [];
    slow.behaviour = (_hit, res) => {
      hanging.push(res);
    };
    // Long enough that the slow channel's first attempts are all still hanging while the rest happens.
    const s = await start(
      [
        { id: 'slow', key: KEY('slow'), callbackBase: slow.url },
        { id: 'fast', key: KEY('fast'), callbackBase: fast.url },
      ],
      { delivery: { timeoutMs: 20_000, perChannel: 3, concurrency: 8 } },
    );
    const slowClients = Array.from({ length: 8 }, (_, i) => `slow${i}`);
    await open(s, 'slow', slowClients);
    // The slow channel takes its share of attempts (perChannel) and no more.
    await slow.waitFor(() => slow.hits.length === 3, 10_000, 'the slow channel\'s attempts hanging');

    const fastIds = await open(s, 'fast', ['quick0', 'quick1', 'quick2']);
    for (const [clientId, id] of fastIds) await say(s, id, `hello ${clientId}`);
    await fast.waitFor(() => ['quick0', 'quick1', 'quick2'].every((c) => fast.hits.some((h) => h.body.content === `hello ${c}`)), 10_000, 'the fast channel\'s callbacks');
    // The TPI answers for both channels meanwhile.
    for (let i = 0; i < 20; i++) {
      const res = await s.p.tpi({ type: 1001, requestId: 1 }, { 'x-webchat-key': KEY(i % 2 ? 'slow' : 'fast') });
      expect([1, -10]).toContain(res.result);
      const text = await s.p.tpi({ type: 2001, sessionId: fastIds.get('quick0')!, clientId: 'quick0', text: `still here ${i}` }, { 'x-webchat-key': KEY('fast') });
      expect(text.result, text.message).toBe(1);
    }
    // All of that while the slow channel's first attempts were still hanging: none had ended.
    expect(slow.hits.length).toBe(3);
    expect(hanging.every((res) => !res.writableEnded)).toBe(true);
    const slowAttempts = await s.p.platform.store.db.selectFrom('callback_attempts').innerJoin('callbacks', 'callbacks.id', 'callback_attempts.callback_id').select('callback_attempts.id').where('callbacks.channel_id', '=', 'slow').execute();
    expect(slowAttempts).toEqual([]);
    // Once it answers, it catches up.
    slow.behaviour = behave.ok;
    for (const res of hanging.splice(0)) answer(res, 200, { result: 1, message: 'success' });
    await slow.waitFor(() => slowClients.every((c) => slow.hits.some((h) => h.body.clientId === c)), 15_000, 'the slow channel catching up');
  });
});
