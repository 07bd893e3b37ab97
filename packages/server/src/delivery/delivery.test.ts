/**
 * Callbacks as a third party sees them when it misbehaves: failures of every kind, a `create`
 * that keeps failing, odd but acceptable answers, redirects and huge answers. Each failed
 * attempt must be retried, each session's callbacks must arrive in order, and a delivered
 * callback must not be sent again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES } from './send.js';
import { eventually, startTestPlatform, type TestPlatform, type TestPlatformOptions } from '../test-support/platform.js';
import type { Answer, ThirdParty } from '../test-support/third-party.js';
import { agent, startWorld } from '../test-support/world.js';

interface SessionList {
  sessions: { id: number; clientId: string }[];
}

/** A receiver that answers with anything at all (headers, redirects, endless bodies) and records every request. */
class RawReceiver {
  readonly hits: { path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  respond: (hit: RawReceiver['hits'][number], res: http.ServerResponse) => void = (_hit, res) => json(res, 200, { result: 1, message: 'success' });
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = { unparsable: true };
      }
      const hit = { path: req.url ?? '', headers: req.headers, body };
      this.hits.push(hit);
      this.respond(hit, res);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The msg callbacks received with this content (every attempt). */
  msgs(content: string) {
    return this.hits.filter((h) => h.path === '/ThirdPartService/msg' && h.body.content === content);
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A number in [0, 1) from a string: the same string always gives the same number (FNV-1a). */
function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

describe('callback delivery', () => {
  let p: TestPlatform | undefined;
  const stops: (() => Promise<void>)[] = [];
  let token = '';

  afterEach(async () => {
    p = undefined;
    // Each is stopped even if another fails; the first failure fails the test.
    const failures: unknown[] = [];
    for (const stop of stops.splice(0)) await stop().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  });

  const AGENTS = [agent('A', { maxChats: 20 })];

  /** The platform, calling back to a receiver of the test's own; agent A online. */
  async function start(callbackBase: string, config?: TestPlatformOptions['config']): Promise<TestPlatform> {
    const started = await startTestPlatform({
      provisioning: { queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }], agents: AGENTS, channels: [{ id: 'tp', callbackBase }] },
      ...(config ? { config } : {}),
    });
    // Closed first, before the receivers it calls back to.
    stops.unshift(() => started.close());
    p = started;
    token = await p.login('a', 'pw');
    expect((await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    return p;
  }

  /** The same with a test third party (a world), answering as `answer` says; agent A online. */
  async function startWithThirdParty(answer: ThirdParty['answer'], config?: TestPlatformOptions['config']): Promise<ThirdParty> {
    const w = await startWorld({ agents: AGENTS, channels: (url) => [{ id: 'tp', callbackBase: url }], ...(config ? { config } : {}) });
    stops.unshift(() => w.close());
    w.tp.answer = answer;
    p = w.p;
    token = await w.online('a');
    return w.tp;
  }

  /** Opens a session per client; the agent's view gives their ids whatever the callbacks do. */
  async function openSessions(clientIds: string[]): Promise<Map<string, number>> {
    for (const clientId of clientIds) expect((await p!.tpi({ type: 1000, clientId, queueId: 1 })).result).toBe(1);
    return eventually(
      async () => {
        const { body } = await p!.api<SessionList>('GET', '/api/v1/agent/sessions', token);
        return body.sessions.length === clientIds.length && new Map(body.sessions.map((s) => [s.clientId, s.id]));
      },
      10_000,
      'sessions',
    );
  }

  async function send(sessionId: number, text: string): Promise<void> {
    const res = await p!.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, token, { text });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  const pendingCount = async () =>
    Number((await p!.platform.store.db.selectFrom('callbacks').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);

  /** The msg callback row with this content and its attempts, oldest first. */
  async function attemptsOfMsg(content: string) {
    const { db } = p!.platform.store;
    const rows = await db.selectFrom('callbacks').selectAll().where('name', '=', 'msg').execute();
    const row = rows.find((r) => (JSON.parse(r.body) as { content?: string }).content === content);
    if (!row) throw new Error(`no msg callback with content ${content}`);
    const attempts = await db.selectFrom('callback_attempts').select(['http_status', 'error', 'response']).where('callback_id', '=', row.id).orderBy('id').execute();
    return { row, attempts };
  }

  it('keeps each session in order and delivers each callback once when the third party fails intermittently', async () => {
    type Mode = 'ok' | 'http500' | 'result0' | 'notJson' | 'slow';
    const FAILURES: Mode[] = ['http500', 'result0', 'notJson', 'slow'];
    const SEED = 'delivery-2026';
    const TIMEOUT_MS = 300;
    /** Deterministic: the same callback and attempt always get the same answer, whatever the interleaving. */
    const decide = (key: string, attempt: number): Mode => {
      if (attempt >= 4) return 'ok';
      const u = unit(`${SEED}|${key}|${attempt}`);
      return u < 0.4 ? FAILURES[Math.floor(u / 0.1)]! : 'ok';
    };
    const keyOf = (name: string, body: Record<string, unknown>) => (name === 'msg' ? `msg:${String(body.content)}` : `${name}:${String(body.clientId)}`);
    /** Every arrival, in order, with what this third party answered. */
    const log: { key: string; clientId: string; mode: Mode }[] = [];

    const tp = await startWithThirdParty((name, body): Answer => {
      const key = keyOf(name, body);
      const mode = decide(key, log.filter((l) => l.key === key).length);
      log.push({ key, clientId: String(body.clientId), mode });
      switch (mode) {
        case 'ok':
          return 'ok';
        case 'http500':
          return { status: 500, body: { result: 1, message: 'a 500 is a failure whatever its body says' } };
        case 'result0':
          return { body: { result: 0, message: 'busy' } };
        case 'notJson':
          return { body: '<html>502 Bad Gateway</html>' };
        case 'slow':
          // A success, but after the platform stopped waiting: it must count as failed.
          return { delayMs: TIMEOUT_MS * 3, body: { result: 1, message: 'success' } };
      }
    }, { delivery: { timeoutMs: TIMEOUT_MS } });

    const clients = ['c0', 'c1', 'c2', 'c3'];
    const PER_SESSION = 12;
    const ids = await openSessions(clients);
    const expected = new Map(clients.map((c) => [c, [`create:${c}`, ...Array.from({ length: PER_SESSION }, (_, k) => `msg:${c} #${k}`)]]));
    // The agent writes in every session at once, each session's messages one after another.
    await Promise.all(
      clients.map(async (c) => {
        for (let k = 0; k < PER_SESSION; k++) await send(ids.get(c)!, `${c} #${k}`);
      }),
    );

    const allKeys = [...expected.values()].flat();
    await tp.waitFor(() => allKeys.every((key) => log.some((l) => l.key === key && l.mode === 'ok')), 25_000, 'every callback answered with success');
    await eventually(async () => (await pendingCount()) === 0, 10_000, 'no callback pending');
    // The late answers reach the receiver's record last.
    await tp.waitFor(() => tp.received.length === log.length, 10_000, 'late answers recorded');

    for (const mode of FAILURES) expect(log.some((l) => l.mode === mode), `some attempt answered ${mode}`).toBe(true);
    for (const c of clients) {
      const mine = log.filter((l) => l.clientId === c);
      const order = expected.get(c)!;
      // Never a later callback before an earlier one is delivered, never back to an earlier one.
      const positions = mine.map((l) => order.indexOf(l.key));
      expect(positions, `arrivals of ${c}`).toEqual([...positions].sort((a, b) => a - b));
      // Delivered exactly once each, in the order sent.
      expect(mine.filter((l) => l.mode === 'ok').map((l) => l.key), `deliveries of ${c}`).toEqual(order);
    }
    // Each callback keeps one webhook-id over all its attempts; different callbacks, different ids.
    const idsByKey = new Map<string, Set<string>>();
    for (const r of tp.received) {
      const key = keyOf(r.name, r.body);
      const set = idsByKey.get(key) ?? new Set<string>();
      set.add(String(r.headers['webhook-id']));
      idsByKey.set(key, set);
    }
    for (const [key, set] of idsByKey) expect(set.size, `webhook-ids of ${key}`).toBe(1);
    expect(new Set([...idsByKey.values()].map((s) => [...s][0])).size).toBe(allKeys.length);

    // The store recorded every attempt, with what went wrong.
    const { db } = p!.platform.store;
    const rows = await db.selectFrom('callbacks').selectAll().orderBy('id').execute();
    expect(rows).toHaveLength(allKeys.length);
    for (const row of rows) {
      const key = keyOf(row.name, JSON.parse(row.body) as Record<string, unknown>);
      const modes = log.filter((l) => l.key === key).map((l) => l.mode);
      const attempts = await db.selectFrom('callback_attempts').select(['http_status', 'error']).where('callback_id', '=', row.id).orderBy('id').execute();
      expect(row, key).toMatchObject({ status: 'delivered', attempts: modes.length, last_error: null });
      expect(attempts, key).toHaveLength(modes.length);
      modes.forEach((mode, i) => {
        const a = attempts[i]!;
        const what = `${key} attempt ${i + 1} (${mode})`;
        switch (mode) {
          case 'ok':
            expect(a, what).toEqual({ http_status: 200, error: null });
            break;
          case 'http500':
            expect(a, what).toEqual({ http_status: 500, error: 'HTTP 500' });
            break;
          case 'result0':
            expect(a, what).toEqual({ http_status: 200, error: 'answered result 0' });
            break;
          case 'notJson':
            expect(a, what).toEqual({ http_status: 200, error: 'answer is not JSON' });
            break;
          case 'slow':
            expect(a.http_status, what).toBeNull();
            expect(a.error, what).toMatch(/timeout/i);
            break;
        }
      });
    }
  });

  it('holds back a session\'s callbacks while its create fails, and only that session\'s', async () => {
    let holding = true;
    const tp = await startWithThirdParty((name, body): Answer => (holding && name === 'create' && body.clientId === 'held' ? { status: 503, body: 'try again later' } : 'ok'));
    const ids = await openSessions(['held', 'free']);
    const held = ids.get('held')!;
    const free = ids.get('free')!;
    for (let k = 0; k < 5; k++) {
      await send(held, `held #${k}`);
      await send(free, `free #${k}`);
    }

    // The other session flows while the held create keeps being retried.
    await tp.waitFor(
      () => tp.ofName('msg').filter((r) => r.body.sessionId === free).length === 5 && tp.received.filter((r) => r.name === 'create' && r.body.clientId === 'held').length >= 3,
      15_000,
      'free session delivered, held create retried',
    );
    expect(tp.delivered.filter((r) => r.body.sessionId === free).map((r) => r.body.content ?? r.name)).toEqual(['create', 'free #0', 'free #1', 'free #2', 'free #3', 'free #4']);
    // Not one attempt at a msg of the held session: the receiver never saw one.
    expect(tp.received.filter((r) => r.body.sessionId === held && r.name !== 'create')).toEqual([]);
    expect(tp.received.filter((r) => r.body.sessionId === held).every((r) => r.answered === 'failed')).toBe(true);
    // The store agrees: the create failed again and again (the receiver may be a step ahead of
    // the store's record of it), and no msg of the session was ever attempted.
    const heldRows = await eventually(async () => {
      const rows = await p!.platform.store.db.selectFrom('callbacks').select(['name', 'status', 'attempts', 'last_error']).where('session_id', '=', held).orderBy('id').execute();
      return rows[0]!.attempts >= 3 && rows;
    }, 10_000, 'held create attempts recorded');
    expect(heldRows[0]).toMatchObject({ name: 'create', status: 'pending', last_error: 'HTTP 503' });
    expect(heldRows.slice(1)).toEqual(Array.from({ length: 5 }, () => ({ name: 'msg', status: 'pending', attempts: 0, last_error: null })));

    // Once the create goes through, the held messages follow, in order.
    holding = false;
    await tp.waitFor(() => tp.ofName('msg').filter((r) => r.body.sessionId === held).length === 5, 15_000, 'held msgs');
    const heldSeen = tp.received.filter((r) => r.body.sessionId === held);
    const creates = heldSeen.filter((r) => r.name === 'create');
    expect(heldSeen.slice(0, creates.length)).toEqual(creates);
    expect(creates.at(-1)!.answered).toBe('ok');
    expect(heldSeen.slice(creates.length).map((r) => [r.body.content, r.answered])).toEqual(Array.from({ length: 5 }, (_, k) => [`held #${k}`, 'ok']));
  });

  it('takes a result of "1" (a string) as delivered, and does not follow redirects', async () => {
    const rx = new RawReceiver();
    stops.push(() => rx.stop());
    const base = await rx.start();
    const REDIRECTS = [301, 302, 307, 308];
    const attempts = new Map<string, number>();
    rx.respond = (hit, res) => {
      const content = String(hit.body.content);
      const n = attempts.get(content) ?? 0;
      attempts.set(content, n + 1);
      if (content === 'follow me' && n < REDIRECTS.length) {
        res.writeHead(REDIRECTS[n]!, { location: `${base}/moved${hit.path}`, 'content-type': 'application/json' });
        res.end(JSON.stringify({ result: 1, message: 'moved' }));
        return;
      }
      // Some third parties write the number as a string.
      json(res, 200, { result: '1', message: 'success' });
    };
    await start(base);
    const ids = await openSessions(['c']);
    const sessionId = ids.get('c')!;
    await send(sessionId, 'first');
    await send(sessionId, 'follow me');
    await send(sessionId, 'last');
    await eventually(async () => rx.msgs('last').length > 0 && (await pendingCount()) === 0, 15_000, 'all delivered');

    // "1" was success: each of these was sent once and never again.
    expect(rx.hits.filter((h) => !h.path.startsWith('/ThirdPartService/msg') || h.body.content !== 'follow me').map((h) => h.body.content ?? h.path)).toEqual([
      '/ThirdPartService/create',
      'first',
      'last',
    ]);
    expect((await attemptsOfMsg('first')).attempts).toEqual([{ http_status: 200, error: null, response: '{"result":"1","message":"success"}' }]);

    // Every redirect was a failed attempt, retried at the same URL; the target never saw a request.
    expect(rx.hits.filter((h) => h.path.startsWith('/moved'))).toEqual([]);
    const followed = rx.msgs('follow me');
    expect(followed.map((h) => h.path)).toEqual(Array.from({ length: REDIRECTS.length + 1 }, () => '/ThirdPartService/msg'));
    expect(new Set(followed.map((h) => h.headers['webhook-id'])).size).toBe(1);
    const { row, attempts: tried } = await attemptsOfMsg('follow me');
    expect(row.status).toBe('delivered');
    expect(tried.map((a) => [a.http_status, a.error])).toEqual([...REDIRECTS.map((s) => [s, `HTTP ${s}`]), [200, null]]);
    // And in order: "last" only once "follow me" got through.
    expect(rx.hits.findIndex((h) => h.body.content === 'last')).toBeGreaterThan(rx.hits.findLastIndex((h) => h.body.content === 'follow me'));
  });

  it('reads an answer only up to a cap, so a huge or endless answer does not stop delivery', async () => {
    const rx = new RawReceiver();
    stops.push(() => rx.stop());
    const base = await rx.start();
    const HUGE = 5 * 1024 * 1024;
    const ENDLESS_LIMIT = 256 * 1024 * 1024;
    // Valid JSON saying result 1, had it been read to the end.
    const huge = `{"result":1,"message":"success","padding":"${'x'.repeat(HUGE)}"}`;
    let endless: { written: number; finished: boolean } | undefined;
    const attempts = new Map<string, number>();
    rx.respond = (hit, res) => {
      const content = String(hit.body.content);
      const n = attempts.get(content) ?? 0;
      attempts.set(content, n + 1);
      if (content === 'big answers' && n === 0) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(huge) });
        res.end(huge);
        return;
      }
      if (content === 'big answers' && n === 1) {
        // An answer that never ends on its own: stops only when the platform hangs up (or at a bound).
        const state = { written: 0, finished: false };
        endless = state;
        const chunk = Buffer.alloc(64 * 1024, 'y');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.on('finish', () => {
          state.finished = true;
        });
        const pump = () => {
          while (!res.destroyed && state.written < ENDLESS_LIMIT) {
            state.written += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return;
      }
      json(res, 200, { result: 1, message: 'success' });
    };
    await start(base);
    const ids = await openSessions(['c']);
    const sessionId = ids.get('c')!;
    await send(sessionId, 'big answers');
    await send(sessionId, 'after');
    await eventually(async () => rx.msgs('after').length > 0 && (await pendingCount()) === 0, 20_000, 'delivery after the big answers');

    const { row, attempts: tried } = await attemptsOfMsg('big answers');
    expect(row.status).toBe('delivered');
    // Cut off at the cap and said so: a failure, retried; the stored excerpt is short.
    expect(tried.map((a) => [a.http_status, a.error])).toEqual([
      [200, `answer is larger than ${MAX_ANSWER_BYTES} bytes`],
      [200, `answer is larger than ${MAX_ANSWER_BYTES} bytes`],
      [200, null],
    ]);
    expect(tried[0]!.response).toBe(huge.slice(0, 1024));
    expect(tried[1]!.response).toBe('y'.repeat(1024));
    // The platform hung up on the endless answer long before it ended.
    expect(endless).toBeDefined();
    expect(endless!.finished).toBe(false);
    expect(endless!.written).toBeLessThan(ENDLESS_LIMIT);
    expect(endless!.written).toBeGreaterThanOrEqual(MAX_ANSWER_BYTES);
    expect(rx.msgs('after')).toHaveLength(1);
    expect((await attemptsOfMsg('after')).attempts).toEqual([{ http_status: 200, error: null, response: '{"result":1,"message":"success"}' }]);
  });
});
