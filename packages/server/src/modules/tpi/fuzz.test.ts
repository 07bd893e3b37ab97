/**
 * A fuzz run of the TPI: thousands of bodies (a fixed seed, a fixed count) mixing random JSON
 * and mutations of valid bodies of every type, sent raw. Every answer must be HTTP 200 with a
 * protocol result code and a message; the server must keep answering; and afterwards the store
 * must hold exactly what the successful answers said was stored, nothing else.
 *
 * The state is arranged so that this is checkable: one open session S, one waiting request R,
 * decoys for the calls that end things (close, cancel, client change). Every body is also parsed
 * here the way the server reads it (fatal UTF-8, JSON), so a successful answer is known to have
 * stored that parsed text.
 */
import { CLIENT_SOURCES, ResultCode, RequestType } from '@elitewebchat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test-support/platform.js';
import { HostileReceiver, seededRandom } from '../../test-support/hostile-receiver.js';

const SEED = 0x5eed_2026;
const CASES = 4_000;
const CONCURRENCY = 8;
const KEY = 'fuzz-channel-key-0123456789';
const RESULT_CODES = new Set<number>(Object.values(ResultCode));
const PNG = Buffer.from('89504e470d0a1a0a0000000d494844520000000200000002080600000000000000', 'hex');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Case {
  category: string;
  bytes: Buffer;
  headers: Record<string, string>;
}

interface Sent extends Case {
  status: number;
  answer: unknown;
  /** The body as the server reads it, when it reads as JSON at all. */
  parsed: unknown;
}

/**
 * A string with every lone surrogate, and every run of U+FFFD, made one U+FFFD: stores turn a lone
 * surrogate into one (PostgreSQL) or three (SQLite) of them; see the skipped test below.
 */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd').replace(/\ufffd+/g, '\ufffd');
}

/** The server's reading of a body (parseTpi): fatal UTF-8 (a BOM dropped), then JSON. */
function serverView(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch {
    return undefined;
  }
}

class Gen {
  readonly r: () => number;
  constructor(seed: number) {
    this.r = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }

  string(): string {
    switch (this.int(12)) {
      case 0:
        return '';
      case 1:
        return 'hello';
      case 2:
        return '你好，客服 /::) 👍🏽 👨‍👩‍👧';
      case 3:
        return 'مرحبا \u202e\u200b\u200d\ufeff';
      case 4:
        return '\ud83d'; // a lone high surrogate
      case 5:
        return 'a\udc00b'; // a lone low surrogate
      case 6:
        // (U+0000 is left to its own test below: PostgreSQL cannot store it.)
        return 'ctrl\u0001\u001f\u007f';
      case 7:
        return '<img src=x onerror=alert(1)> \' " \\ /:<W> /:&-(';
      case 8:
        return 'x'.repeat(this.pick([127, 128, 129, 256, 257, 2000, 2001, 2048, 2049, 20_000, 20_001]));
      case 9:
        return this.pick(['NaN', 'Infinity', '-0', '1e3', '0x10', ' 1', '1 ', 'null', 'true', '[]', '{}']);
      case 10:
        return Array.from({ length: 1 + this.int(20) }, () => String.fromCodePoint(this.pick([0x41, 0xe9, 0x4e2d, 0x1f600, 0x10ffd0, 0xfffd, 0x0300]) + this.int(40))).join('');
      default:
        return `s${this.int(1_000_000)}`;
    }
  }

  number(): number {
    return this.pick([0, -1, 1, 2, 1.5, -0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 5e-324, this.int(1_000_000)]);
  }

  json(depth = 0): Json {
    const k = this.int(depth > 3 ? 4 : 7);
    if (k === 0) return null;
    if (k === 1) return this.chance(0.5);
    if (k === 2) return this.number();
    if (k === 3) return this.string();
    if (k === 4) return Array.from({ length: this.int(4) }, () => this.json(depth + 1));
    const o: Record<string, Json> = {};
    for (let i = this.int(5); i > 0; i--) o[this.pick(['type', 'clientId', 'sessionId', 'requestId', 'text', 'queueId', 'x', '__proto__', 'constructor', this.string()])] = this.json(depth + 1);
    if (this.chance(0.5)) o.type = this.pick([1000, 1001, 1002, 2001, 2002, 2005, 4001, 5001, 5002, 0, -1, 3000, '2001']);
    return o;
  }
}

describe('TPI fuzz', () => {
  let p: TestPlatform;
  let rx: HostileReceiver;
  /** The protected open session, the protected waiting request, and decoys. */
  let S = 0;
  let R = 0;
  let D = 0;
  let R2 = 0;
  let requestsBefore = 0;
  /** What beforeEach started, stopped by afterEach in reverse order. */
  const cleanups: (() => Promise<void>)[] = [];

  // Each case on its own platform with the arranged state: the fuzz run's store must hold
  // exactly what its own successes stored, whatever the other cases wrote.
  beforeEach(async () => {
    const receiver = new HostileReceiver();
    await receiver.start();
    cleanups.push(() => receiver.stop());
    rx = receiver;
    const platform = await startTestPlatform({
      config: { maxImageBytes: 64 * 1024 },
      tpiHeaders: { 'x-webchat-key': KEY },
      provisioning: {
        queues: [
          { id: 1, name: 'served', whenNoAgentOnline: 'wait', maxLength: 10_000 },
          { id: 2, name: 'waiting', whenNoAgentOnline: 'wait', maxLength: 10_000 },
        ],
        agents: [
          { id: 'A', username: 'a', password: 'pw', name: 'A', maxChats: 100, queues: [1] },
          { id: 'B', username: 'b', password: 'pw', name: 'B', queues: [2] },
        ],
        channels: [{ id: 'fz', key: KEY, callbackBase: rx.url }],
      },
    });
    cleanups.push(() => platform.close());
    p = platform;
    const token = await p.login('a', 'pw');
    expect((await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    expect((await p.tpi({ type: 1000, clientId: 'fz-main', queueId: 1 })).result).toBe(1);
    expect((await p.tpi({ type: 1000, clientId: 'fz-decoy', queueId: 1 })).result).toBe(1);
    const waiting = await p.tpi({ type: 1000, clientId: 'fz-waiting', queueId: 2 });
    const decoyRequest = await p.tpi({ type: 1000, clientId: 'fz-waiting-decoy', queueId: 2 });
    R = waiting.requestId as number;
    R2 = decoyRequest.requestId as number;
    await rx.waitFor(() => rx.hits.filter((h) => h.path.endsWith('/create')).length === 2, 10_000, 'two sessions');
    for (const h of rx.hits) {
      if (h.body.clientId === 'fz-main') S = h.body.sessionId as number;
      if (h.body.clientId === 'fz-decoy') D = h.body.sessionId as number;
    }
    expect(S && D && R && R2).toBeTruthy();
    requestsBefore = await count('chat_requests');
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function count(table: 'chat_requests' | 'images'): Promise<number> {
    return Number((await p.platform.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }

  /** A valid body of this type, aimed at the arranged state. */
  function valid(g: Gen, type: number, i: number): Record<string, Json> {
    const now = Date.now();
    switch (type) {
      case RequestType.CHAT_REQUEST:
        return { type, clientId: `fz-c${g.int(400)}`, nickname: g.pick(['n', '客户', '']), time: now, queueId: g.pick([1, 2]), from: g.pick(CLIENT_SOURCES) };
      case RequestType.CHAT_REQUEST_STATE_UPDATE:
        return { type, requestId: g.pick([R, R2, 999_999]) };
      case RequestType.CANCEL_CHAT_REQUEST:
        return { type, requestId: g.pick([R2, 999_999]) };
      case RequestType.PRE_MSG_REQUEST:
        return { type, requestId: R, text: `pre ${i}` };
      case RequestType.MSG_REQUEST:
        return { type, sessionId: S, clientId: 'fz-main', time: now, text: `text ${i}`, ...(g.chance(0.5) ? { msgId: `m${i}` } : {}) };
      case RequestType.MSG_IMG_REQUEST:
        return { type, sessionId: S, clientId: 'fz-main', time: now, imgName: 'p.png', imgData: `data:image/png;base64,${PNG.toString('base64')}`, ...(g.chance(0.5) ? { msgId: `i${i}` } : {}) };
      case RequestType.CLOSE_REQUEST:
        return { type, sessionId: g.pick([D, 999_999]), time: now };
      case RequestType.RATING_REQUEST:
        return { type, sessionId: D, ratingId: g.int(6), ratingComments: g.pick(['', 'good', '很好']) };
      default:
        return { type, sessionId: D, clientId: `fz-new${g.int(50)}` };
    }
  }

  const TYPES = [1000, 1001, 1002, 2001, 2002, 2005, 4001, 5001, 5002];
  const JSON_HEADERS = { 'content-type': 'application/json' };

  function makeCase(g: Gen, i: number, previous: Case[]): Case {
    const type = g.pick(TYPES);
    const body = valid(g, type, i);
    const fields = Object.keys(body).filter((k) => k !== 'type');
    const json = (value: unknown, category: string, headers: Record<string, string> = JSON_HEADERS): Case => ({ category, bytes: Buffer.from(JSON.stringify(value)), headers });
    const raw = (text: string | Buffer, category: string, headers: Record<string, string> = JSON_HEADERS): Case => ({ category, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text), headers });
    switch (g.int(20)) {
      case 0:
      case 1:
        return json(body, `valid ${type}`);
      case 2:
        return json(g.json(), 'random JSON');
      case 3: {
        const k = g.pick(fields);
        delete body[k];
        return json(body, 'drop a field');
      }
      case 4: {
        const k = g.pick(fields);
        body[k] = g.json(2);
        return json(body, 'retype a field');
      }
      case 5: {
        const k = g.pick([...fields, 'type']);
        body[k] = g.pick<Json>([g.number(), -g.int(100), 0, g.string(), null, true, [], {}]);
        return json(body, 'odd value');
      }
      case 6: {
        // Numbers JSON.stringify never writes: 1e400, -0, 1.0, 2^53+1, exponents.
        const k = g.pick(fields.filter((f) => typeof body[f] === 'number').concat('type'));
        const text = JSON.stringify(body).replace(new RegExp(`"${k}":-?[0-9.e+]+`), `"${k}":${g.pick(['1e400', '-1e400', '-0', '1.0', '9007199254740993', '1E2', '0.1e1', '-2147483649', '00', '1.00000000000000001'])}`);
        return raw(text, 'raw number');
      }
      case 7: {
        const k = g.pick(fields.filter((f) => typeof body[f] === 'string').concat('text'));
        body[k] = g.string();
        return json(body, 'odd string');
      }
      case 8: {
        // Duplicate keys: the last one counts for JSON.parse.
        const k = g.pick(fields);
        const text = JSON.stringify(body).replace(/}$/, `,${JSON.stringify(k)}:${JSON.stringify(g.json(1))}}`);
        return raw(text, 'duplicate key');
      }
      case 9: {
        const depth = g.pick([100, 1_000, 10_000, 100_000]);
        const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        return g.chance(0.5) ? raw(nested, 'deep nesting (top level)') : raw(JSON.stringify(body).replace(/}$/, `,"deep":${nested}}`), 'deep nesting (field)');
      }
      case 10: {
        const bytes = Buffer.from(JSON.stringify(body));
        return raw(bytes.subarray(0, g.int(bytes.length)), 'truncated');
      }
      case 11: {
        const bytes = Buffer.from(JSON.stringify(body));
        const at = g.int(bytes.length);
        const junk = g.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80], [0xf4, 0x90, 0x80, 0x80], [0x00]]);
        return raw(Buffer.concat([bytes.subarray(0, at), Buffer.from(junk), bytes.subarray(at)]), 'invalid UTF-8 / bytes');
      }
      case 12: {
        const bytes = Buffer.from(JSON.stringify(body));
        const at = g.int(bytes.length);
        bytes[at] = g.int(256);
        return raw(bytes, 'flipped byte');
      }
      case 13: {
        const headers = g.pick<Record<string, string>>([{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'multipart/form-data; boundary=x' }, { 'content-type': 'application/json; charset=latin1' }, { 'content-type': 'image/png' }, { 'content-type': 'application/json', 'content-encoding': 'gzip' }]);
        return json(body, 'content type', headers);
      }
      case 14:
        return raw(g.pick(['', ' ', 'null', '0', '"text"', '[]', `[${JSON.stringify(body)}]`, 'true', '{}', '{"type":null}', '\ufeff', 'nul\u0000l']), 'not an object');
      case 15: {
        const text = JSON.stringify(body);
        const variants = [
          text.replace(/}$/, ',"__proto__":{"type":2001,"polluted":1}}'),
          text.replace(/^{/, '{"__proto__":{"polluted":1},'),
          text.replace(/}$/, ',"constructor":{"prototype":{"polluted":1}}}'),
          `{"__proto__":${text}}`,
          text.replace(/}$/, ',"hasOwnProperty":1,"toString":"x","valueOf":null}'),
        ];
        return raw(g.pick(variants), '__proto__ / constructor');
      }
      case 16: {
        const enc = g.pick(['bom', 'utf16', 'double bom']);
        const text = JSON.stringify(body);
        if (enc === 'bom') return raw(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'BOM / UTF-16');
        if (enc === 'double bom') return raw(`\ufeff\ufeff${text}`, 'BOM / UTF-16');
        return raw(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'BOM / UTF-16');
      }
      case 17: {
        // An exact retry of an earlier case (same msgId: stored once).
        const earlier = previous.length > 0 ? g.pick(previous) : json(body, 'retry');
        return { ...earlier, category: 'exact retry' };
      }
      case 18: {
        for (let n = 1 + g.int(4); n > 0; n--) body[g.string().slice(0, 40) || 'extra'] = g.json(2);
        return json(body, 'unknown fields');
      }
      default:
        if (g.chance(0.2)) return json(body, 'wrong key', { ...JSON_HEADERS, 'x-webchat-key': 'not-the-key-0123456789' });
        return json(body, `valid ${type}`);
    }
  }

  /** The calls that would end the arranged state: replaced by another case. */
  function protectedTarget(parsed: unknown): boolean {
    if (typeof parsed !== 'object' || parsed === null) return false;
    const b = parsed as Record<string, unknown>;
    if ((b.type === 4001 || b.type === 5002) && b.sessionId === S) return true;
    if (b.type === 1002 && b.requestId === R) return true;
    return false;
  }

  it(`answers ${CASES} fuzzed bodies with HTTP 200 and a result code, and stores only what it said it stored`, { timeout: 120_000 }, async () => {
    const g = new Gen(SEED);
    const sent: Sent[] = [];
    const cases: Case[] = [];
    let replaced = 0;
    while (cases.length < CASES) {
      const c = makeCase(g, cases.length, cases);
      if (protectedTarget(serverView(c.bytes))) {
        replaced++;
        continue;
      }
      cases.push(c);
    }
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const res = await fetch(`${p.url}/EliteWebChat/tpi`, { method: 'POST', body: c.bytes, headers: { 'x-webchat-key': KEY, ...c.headers } });
        const text = await res.text();
        let answer: unknown;
        try {
          answer = JSON.parse(text);
        } catch {
          answer = { unparsable: text.slice(0, 200) };
        }
        sent.push({ ...c, status: res.status, answer, parsed: serverView(c.bytes) });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(sent).toHaveLength(CASES);

    // 1. Every answer: HTTP 200, a known result code, a message.
    const bad = sent.filter((s) => {
      const a = s.answer as { result?: unknown; message?: unknown };
      return s.status !== 200 || typeof a.result !== 'number' || !RESULT_CODES.has(a.result) || typeof a.message !== 'string' || a.message.length === 0;
    });
    expect(bad.map((s) => `${s.category}: ${s.status} ${JSON.stringify(s.answer)} ← ${s.bytes.toString('utf8').slice(0, 120)}`)).toEqual([]);
    const answers = sent.map((s) => s.answer as { result: number; message: string; continueLastSession?: boolean });
    // No input is an internal error.
    const internal = sent.filter((s) => (s.answer as { result: number }).result === ResultCode.INTERNAL_ERROR);
    expect(internal.map((s) => `${s.category}: ${(s.answer as { message: string }).message} ← ${s.bytes.toString('utf8').slice(0, 160)}`)).toEqual([]);

    // 2. Still alive.
    expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
    expect((await p.tpi({ type: 1001, requestId: R })).result).toBe(1);

    // 3. The store holds what the successes stored, and nothing else.
    const successes = sent.filter((s) => (s.answer as { result: number }).result === 1);
    const ok = successes.map((s) => s.parsed as Record<string, unknown>);
    // A retried 2001/2002 (same msgId in the same session, whichever type) is answered as a
    // duplicate and not stored again: the answers say what was stored.
    const fresh = successes.filter((s) => !(s.answer as { message: string }).message.includes('duplicate msgId')).map((s) => s.parsed as Record<string, unknown>);
    const storedOnce = (type: number) => fresh.filter((b) => b.type === type);
    const keyed = ok.filter((b) => (b.type === 2001 || b.type === 2002) && typeof b.msgId === 'string');
    const distinctKeys = new Set(keyed.map((b) => `${String(b.sessionId)}\u0000${wellFormed(String(b.msgId))}`)).size;
    expect(storedOnce(2001).length + storedOnce(2002).length).toBe(distinctKeys + ok.filter((b) => (b.type === 2001 || b.type === 2002) && typeof b.msgId !== 'string').length);
    const { db } = p.platform.store;
    const sorted = (xs: (string | null)[]) => [...xs].sort();
    // Customer texts: 2001s, and 2005s (kind "pre" while queued, "text" once the request was
    // accepted). Lone surrogates are stored as U+FFFD (see the skipped test below).
    const texts = await db.selectFrom('messages').select('text').where('sender', '=', 'customer').where('kind', 'in', ['text', 'pre']).execute();
    const expectedTexts = [...storedOnce(2001), ...ok.filter((b) => b.type === 2005)].map((b) => wellFormed(String(b.text)));
    expect(sorted(texts.map((t) => wellFormed(t.text ?? '')))).toEqual(sorted(expectedTexts));
    const pre = await db.selectFrom('messages').select('text').where('kind', '=', 'pre').execute();
    const images = await db.selectFrom('messages').select('session_id').where('kind', '=', 'image').execute();
    expect(images.length).toBe(storedOnce(2002).length);
    expect(await count('images')).toBe(images.length);
    expect(await count('chat_requests')).toBe(requestsBefore + ok.filter((b) => b.type === 1000).length);
    // Every stored request is well-formed.
    const rows = await db.selectFrom('chat_requests').selectAll().execute();
    for (const r of rows) {
      expect(r.client_id.length, JSON.stringify(r)).toBeGreaterThanOrEqual(1);
      expect(r.client_id.length, JSON.stringify(r)).toBeLessThanOrEqual(128);
      expect([...r.client_id].some((ch) => ch.charCodeAt(0) <= 0x1f || ch.charCodeAt(0) === 0x7f), JSON.stringify(r)).toBe(false);
      expect(r.nickname.length).toBeLessThanOrEqual(128);
      expect(CLIENT_SOURCES).toContain(r.source);
      expect([1, 2]).toContain(r.queue_id);
      expect(r.server_addr).toBe(rx.url);
    }
    // The protected session and request are as they were; the decoy shows only successful changes.
    const session = await db.selectFrom('sessions').selectAll().where('id', '=', S).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ status: 'open', client_id: 'fz-main' });
    expect((await db.selectFrom('chat_requests').select('status').where('id', '=', R).executeTakeFirstOrThrow()).status).toBe(0);
    const decoy = await db.selectFrom('sessions').selectAll().where('id', '=', D).executeTakeFirstOrThrow();
    const ratings = ok.filter((b) => b.type === 5001 && b.sessionId === D).map((b) => b.ratingId);
    if (ratings.length > 0) expect(ratings).toContain(decoy.rating_id);
    else expect(decoy.rating_id).toBeNull();
    const clientIds = ok.filter((b) => b.type === 5002 && b.sessionId === D).map((b) => b.clientId);
    expect(['fz-decoy', ...clientIds]).toContain(decoy.client_id);
    // Nothing leaked into Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);

    // The report.
    const byResult: Record<string, number> = {};
    for (const a of answers) byResult[String(a.result)] = (byResult[String(a.result)] ?? 0) + 1;
    const byCategory: Record<string, Record<string, number>> = {};
    for (const s of sent) {
      const row = (byCategory[s.category.replace(/^valid \d+$/, 'valid')] ??= {});
      const r = String((s.answer as { result: number }).result);
      row[r] = (row[r] ?? 0) + 1;
    }
    console.info(
      `TPI fuzz: ${CASES} cases (seed ${SEED}, ${replaced} regenerated to spare the arranged state); results ${JSON.stringify(byResult)}; ` +
        `stored: ${texts.length} texts, ${pre.length} pre-messages, ${images.length} images, ${rows.length - requestsBefore} requests; by category ${JSON.stringify(byCategory)}`,
    );
    // A fuzz run that never succeeds or never fails tests little.
    expect(byResult['1']).toBeGreaterThan(CASES / 20);
    expect(byResult['-8']).toBeGreaterThan(CASES / 4);
  });

  const lastCustomerText = async () =>
    (await p.platform.store.db.selectFrom('messages').select('text').where('sender', '=', 'customer').where('kind', '=', 'text').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).text;

  // PostgreSQL refuses U+0000 in text; parseTpi refuses it first, the same on both stores.
  it('answers U+0000 in any text field with 1 or -8, never INTERNAL_ERROR, on every store', async () => {
    const imgData = `data:image/png;base64,${PNG.toString('base64')}`;
    const bodies = [
      { type: 2001, sessionId: S, clientId: 'fz-main', text: 'a\u0000b' },
      { type: 2001, sessionId: S, clientId: 'fz-main', text: 'ok', msgId: 'nul\u0000id' },
      { type: 2005, requestId: R, text: 'a\u0000b' },
      { type: 2002, sessionId: S, clientId: 'fz-main', imgName: 'a\u0000.png', imgData },
      { type: 5001, sessionId: S, ratingId: 1, ratingComments: 'a\u0000b' },
      { type: 1000, clientId: 'nul-nickname', nickname: 'a\u0000b', queueId: 2 },
    ];
    for (const body of bodies) {
      const answer = await p.tpi(body);
      expect([1, ResultCode.REQUEST_ERROR], `${JSON.stringify(body).slice(0, 80)} → ${answer.result} ${answer.message}`).toContain(answer.result);
    }
  });

  // 2001s that arrive together are written as one group; one bad message must not fail the
  // others (it is refused before the store now, and a group the store refuses is retried alone).
  it('does not fail valid messages that were written in the same group as one the store refused', async () => {
    const answers = await Promise.all([
      p.tpi({ type: 2001, sessionId: S, clientId: 'fz-main', text: 'bad \u0000' }),
      ...Array.from({ length: 6 }, (_, i) => p.tpi({ type: 2001, sessionId: S, clientId: 'fz-main', text: `good ${i}` })),
    ]);
    expect(answers.slice(1).map((a) => `${a.result} ${a.message}`)).toEqual(Array.from({ length: 6 }, () => '1 success'));
  });

  // A lone surrogate ("\ud83d", half an emoji cut by a client) is not storable as sent: refused.
  it('stores exactly the text it accepted, or refuses it (lone surrogates)', async () => {
    for (const [i, text] of ['\ud83d', 'a\udc00b', '\ud83d\ud83d'].entries()) {
      const answer = await p.tpi({ type: 2001, sessionId: S, clientId: 'fz-main', text, msgId: `lone-${i}` });
      if (answer.result === 1) expect(await lastCustomerText()).toBe(text);
      else expect(answer.result).toBe(ResultCode.REQUEST_ERROR);
    }
  });
});
