/**
 * Who may call the TPI, as a caller sees it: keys, source-address allowlists, signed calls
 * (tampered, wrong secret, stale, replayed) and rate limits. Every refusal is HTTP 200 with -8
 * and a message that says why, creates nothing (no request reaches a queue) and is counted in
 * webchat_tpi_refused_total{reason}.
 */
import { ResultCode } from '@elitewebchat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, startTestPlatform, type TestPlatform } from '../../test-support/platform.js';
import { signTpiBody } from './authenticate.js';

const KEY = 'keyed-channel-key-0123456789';
const SIGNED_KEY = 'signed-channel-key-0123456789';
const SECRET = 'signing-secret-0123456789abcdef0123456789';
const START = Date.parse('2026-11-23T02:00:00Z');

type Answer = { result: number; message: string };

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}/EliteWebChat/tpi`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

async function refusedCounts(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^webchat_tpi_refused_total\{reason="([a-z]+)",node="test"\} (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

describe('TPI authentication', () => {
  let p: TestPlatform;
  const clock = manualClock(START);
  let client = 0;
  const nextClient = () => `auth-${++client}`;

  // Each case on its own platform: the refusal counters start at nothing, the clock at START.
  beforeEach(async () => {
    clock.set(START);
    p = await startTestPlatform({
      clock: clock.now,
      provisioning: {
        queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait', maxLength: 1000 }],
        agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }],
        channels: [
          // Keyless: loopback only, by default.
          { id: 'open', callbackBase: 'http://127.0.0.1:9/' },
          // Keyless, but only from 10.0.0.0/8.
          { id: 'far', callbackBase: 'http://127.0.0.1:9/', allowFrom: ['10.0.0.0/8', 'fd00::/8'] },
          { id: 'keyed', key: KEY, callbackBase: 'http://127.0.0.1:9/' },
          { id: 'keyed-far', key: 'keyed-far-channel-key-0123456789', callbackBase: 'http://127.0.0.1:9/', allowFrom: ['192.168.0.0/16'] },
          { id: 'signed', key: SIGNED_KEY, callbackBase: 'http://127.0.0.1:9/', signingSecret: SECRET },
        ],
      },
    });
  });

  afterEach(async () => {
    await p.close();
  });

  const requests = async () => Number((await p.platform.store.db.selectFrom('chat_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const chatBody = () => JSON.stringify({ type: 1000, clientId: nextClient(), queueId: 1 });
  const now = () => Math.floor(clock.now() / 1000);
  const signed = (body: string, ts = now(), secret = SECRET) => ({ 'x-webchat-key': SIGNED_KEY, 'x-webchat-timestamp': String(ts), 'x-webchat-signature': signTpiBody(secret, ts, body) });

  /** Sends a call that must be refused: -8, this message, nothing created, counted under reason. */
  async function expectRefused(body: string, headers: Record<string, string>, reason: string, message: RegExp): Promise<void> {
    const before = await requests();
    const counts = await refusedCounts(p.url);
    const answer = await post(p.url, body, headers);
    expect(answer.result, answer.message).toBe(ResultCode.REQUEST_ERROR);
    expect(answer.message).toMatch(message);
    expect(await requests()).toBe(before);
    const after = await refusedCounts(p.url);
    expect((after[reason] ?? 0) - (counts[reason] ?? 0), `${reason} counted`).toBe(1);
  }

  async function expectAccepted(body: string, headers: Record<string, string>): Promise<void> {
    const before = await requests();
    const answer = await post(p.url, body, headers);
    expect(answer.result, answer.message).toBe(1);
    expect(await requests()).toBe(before + 1);
  }

  it('takes a keyless channel\'s calls from loopback', async () => {
    await expectAccepted(chatBody(), { 'x-webchat-channel': 'open' });
  });

  it('refuses a keyless channel\'s calls from outside its allowFrom, naming the address', async () => {
    await expectRefused(chatBody(), { 'x-webchat-channel': 'far' }, 'address', /^calls from 127\.0\.0\.1 are not allowed for channel far$/);
    // A forwarded-for header does not change who is calling.
    await expectRefused(chatBody(), { 'x-webchat-channel': 'far', 'x-forwarded-for': '10.1.2.3', 'x-real-ip': '10.1.2.3' }, 'address', /calls from 127\.0\.0\.1/);
    // Nor for a keyed channel that restricts addresses.
    await expectRefused(chatBody(), { 'x-webchat-key': 'keyed-far-channel-key-0123456789' }, 'address', /calls from 127\.0\.0\.1 are not allowed for channel keyed-far/);
  });

  it('believes X-Forwarded-For only from a proxy that TRUST_PROXY names', async () => {
    await p.close();
    p = await startTestPlatform({
      clock: clock.now,
      config: { trustProxy: ['127.0.0.1'] },
      provisioning: {
        queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait', maxLength: 1000 }],
        agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }],
        channels: [{ id: 'far', callbackBase: 'http://127.0.0.1:9/', allowFrom: ['10.0.0.0/8'] }],
      },
    });
    // Behind the named proxy (loopback here): the caller it forwards for is the caller.
    await expectAccepted(chatBody(), { 'x-webchat-channel': 'far', 'x-forwarded-for': '10.1.2.3' });
    await expectRefused(chatBody(), { 'x-webchat-channel': 'far', 'x-forwarded-for': '203.0.113.9' }, 'address', /^calls from 203\.0\.113\.9 are not allowed for channel far$/);
    // A caller cannot put itself in front of the list: the proxy appends the address it saw.
    await expectRefused(chatBody(), { 'x-webchat-channel': 'far', 'x-forwarded-for': '10.1.2.3, 203.0.113.9' }, 'address', /calls from 203\.0\.113\.9/);
  });

  it('refuses wrong, missing or mismatched keys', async () => {
    await expectAccepted(chatBody(), { 'x-webchat-key': KEY });
    await expectRefused(chatBody(), { 'x-webchat-key': 'wrong-key-0123456789-wrong' }, 'key', /^unknown X-Webchat-Key$/);
    await expectRefused(chatBody(), { 'x-webchat-key': KEY.toUpperCase() }, 'key', /unknown X-Webchat-Key/);
    // No key, two keyless channels, none named.
    await expectRefused(chatBody(), {}, 'key', /several channels take calls without a key: name one in X-Webchat-Channel/);
    // No key, naming a keyed channel.
    await expectRefused(chatBody(), { 'x-webchat-channel': 'keyed' }, 'key', /no channel keyed takes calls without a key: send its X-Webchat-Key/);
    // A key with another channel's name.
    await expectRefused(chatBody(), { 'x-webchat-key': KEY, 'x-webchat-channel': 'signed' }, 'key', /X-Webchat-Key does not belong to channel signed/);
    // A refused call is refused before its body is even read: a bad body says nothing of it.
    await expectRefused('{not json', { 'x-webchat-key': 'wrong-key-0123456789-wrong' }, 'key', /unknown X-Webchat-Key/);
  });

  it('takes a validly signed call, and refuses tampered, wrongly signed, unsigned and stale ones', async () => {
    const body = chatBody();
    await expectAccepted(body, signed(body));
    const other = chatBody();
    await expectRefused(other.replace('"queueId":1', '"queueId":1 '), signed(other), 'signature', /^X-Webchat-Signature does not match the body$/);
    await expectRefused(other, signed(other, now(), `${SECRET}-wrong`), 'signature', /does not match the body/);
    await expectRefused(other, { ...signed(other), 'x-webchat-signature': signed(other)['x-webchat-signature'].toUpperCase() }, 'signature', /does not match/);
    await expectRefused(other, { ...signed(other), 'x-webchat-signature': 'sha256=' }, 'signature', /does not match/);
    await expectRefused(other, { ...signed(other, now() + 1) , 'x-webchat-timestamp': String(now()) }, 'signature', /does not match/);
    await expectRefused(other, { 'x-webchat-key': SIGNED_KEY }, 'signature', /this channel signs its calls: send X-Webchat-Timestamp and X-Webchat-Signature/);
    await expectRefused(other, { 'x-webchat-key': SIGNED_KEY, 'x-webchat-timestamp': String(now()) }, 'signature', /send X-Webchat-Timestamp and X-Webchat-Signature/);
    await expectRefused(other, { 'x-webchat-key': SIGNED_KEY, 'x-webchat-signature': signTpiBody(SECRET, now(), other) }, 'signature', /send X-Webchat-Timestamp/);
    await expectRefused(other, { ...signed(other), 'x-webchat-timestamp': 'now' }, 'signature', /X-Webchat-Timestamp must be Unix seconds/);
    await expectRefused(other, { ...signed(other), 'x-webchat-timestamp': String(now() + 0.5) }, 'signature', /Unix seconds/);
    // More than 5 minutes off, either way.
    await expectRefused(other, signed(other, now() - 301), 'stale', /X-Webchat-Timestamp is 301 s off the server's clock \(at most 300 s\)/);
    await expectRefused(other, signed(other, now() + 301), 'stale', /is -301 s off/);
    // Milliseconds instead of seconds are stale too.
    await expectRefused(other, signed(other, clock.now()), 'stale', /off the server's clock/);
    // Within 5 minutes is fine.
    await expectAccepted(other, signed(other, now() - 299));
  });

  it('refuses a replayed signed call, and a late one as stale', async () => {
    const body = chatBody();
    const headers = signed(body);
    await expectAccepted(body, headers);
    await expectRefused(body, headers, 'replay', /already received \(replay\)/);
    // Signed anew, the same body is a new call (here refused by the queue, not by authentication).
    const again = await post(p.url, body, signed(body, now() - 1));
    expect(again.result).toBe(ResultCode.REQUEST_ALREADY_IN_ROUTING);
    // The same signed call after the tolerance has passed: stale.
    clock.advance(301_000);
    await expectRefused(body, headers, 'stale', /301 s off/);
  });

  it('counts every refusal by reason in /metrics', async () => {
    // Refusals of every reason (each checked as counted under its own), then the totals.
    await expectRefused(chatBody(), { 'x-webchat-channel': 'far' }, 'address', /calls from 127\.0\.0\.1/);
    await expectRefused(chatBody(), { 'x-webchat-key': 'keyed-far-channel-key-0123456789' }, 'address', /calls from 127\.0\.0\.1/);
    await expectRefused(chatBody(), { 'x-webchat-key': 'wrong-key-0123456789-wrong' }, 'key', /unknown X-Webchat-Key/);
    await expectRefused(chatBody(), {}, 'key', /several channels take calls without a key/);
    await expectRefused(chatBody(), { 'x-webchat-channel': 'keyed' }, 'key', /send its X-Webchat-Key/);
    const body = chatBody();
    await expectRefused(body, signed(body, now(), `${SECRET}-wrong`), 'signature', /does not match the body/);
    await expectRefused(body, { 'x-webchat-key': SIGNED_KEY }, 'signature', /this channel signs its calls/);
    await expectRefused(body, signed(body, now() - 301), 'stale', /301 s off/);
    const headers = signed(body);
    await expectAccepted(body, headers);
    await expectRefused(body, headers, 'replay', /already received \(replay\)/);
    const counts = await refusedCounts(p.url);
    expect(Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0))).toEqual({ address: 2, key: 3, signature: 2, stale: 1, replay: 1 });
  });
});

describe('TPI rate limits', () => {
  let p: TestPlatform;
  const clock = manualClock(START);

  beforeEach(async () => {
    clock.set(START);
    p = await startTestPlatform({
      clock: clock.now,
      config: { tpiRate: { channel: { perSecond: 5, burst: 10 }, client: { perSecond: 2, burst: 4 } } },
      provisioning: {
        queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }],
        agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }],
        channels: [
          { id: 'rl', key: 'rate-limited-key-0123456789', callbackBase: 'http://127.0.0.1:9/' },
          { id: 'rl2', key: 'rate-limited-key-2-0123456789', callbackBase: 'http://127.0.0.1:9/' },
        ],
      },
    });
  });

  afterEach(async () => {
    await p.close();
  });

  /** A 1000 for a queue that does not exist: -7 when it got past the limits, nothing stored. */
  const call = (clientId: string, key = 'rate-limited-key-0123456789') => p.tpi({ type: 1000, clientId, queueId: 99 }, { 'x-webchat-key': key });
  const verdict = (a: Answer) => (a.result === ResultCode.INVALID_QUEUE_ID ? 'through' : a.result === ResultCode.REQUEST_ERROR && /^rate limit: /.test(a.message) ? a.message : `unexpected ${a.result} ${a.message}`);

  it('limits a flooding client first, then the channel, and says so; other channels and later calls go through', async () => {
    const flood: string[] = [];
    for (let i = 0; i < 6; i++) flood.push(verdict(await call('flood')));
    expect(flood).toEqual(['through', 'through', 'through', 'through', 'rate limit: too many calls for this customer; slow down', 'rate limit: too many calls for this customer; slow down']);
    // Another client of the channel is not held back by the flood's own limit…
    const calm: string[] = [];
    for (let i = 0; i < 4; i++) calm.push(verdict(await call('calm')));
    expect(calm).toEqual(['through', 'through', 'through', 'through']);
    // …until the channel's burst (10) is spent: every client of the channel is then refused.
    expect(verdict(await call('third'))).toBe('rate limit: channel rl is over its rate limit; slow down');
    expect(verdict(await call('calm'))).toBe('rate limit: channel rl is over its rate limit; slow down');
    // Another channel has its own budget.
    expect(verdict(await call('third', 'rate-limited-key-2-0123456789'))).toBe('through');
    // A second later the buckets have refilled by their rates: 5 for the channel, 2 per client.
    clock.advance(1_000);
    const later = [];
    for (let i = 0; i < 3; i++) later.push(verdict(await call('flood')));
    expect(later).toEqual(['through', 'through', 'rate limit: too many calls for this customer; slow down']);
    expect(verdict(await call('third'))).toBe('through');
    expect(verdict(await call('fourth'))).toBe('through');
    expect(verdict(await call('fifth'))).toBe('rate limit: channel rl is over its rate limit; slow down');
    // Nothing was stored, and every refusal was counted.
    expect(Number((await p.platform.store.db.selectFrom('chat_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    expect((await refusedCounts(p.url)).rate).toBe(6);
  });
});
