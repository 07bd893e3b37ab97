/**
 * webchat-mock over real HTTP: the SDK's own TpiClient calls it, the SDK's own CallbackReceiver
 * (on a node:http server, verifying signatures with the same whsec_ secret) takes its callbacks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TpiClient } from '../src/client.js';
import type { TpiError } from '../src/errors.js';
import { MockConfigError, resolveConfig, startMock, type MockConfig, type RunningMock } from '../src/mock/index.js';
import { CallbackReceiver, type CallbackHandlers, type CallbackMeta } from '../src/receiver.js';
import { closeServer, until } from './sdk-world.js';

interface Received {
  name: string;
  meta: CallbackMeta;
  body: Record<string, unknown>;
}

const SECRET = 'whsec_' + randomBytes(32).toString('base64');
const KEY = 'a-channel-key-of-the-mock-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A third party: a CallbackReceiver on 127.0.0.1:0 that records what it took, in order. */
async function thirdParty(failFirst?: (name: string) => boolean): Promise<{ url: string; received: Received[]; attempts: { name: string; id: string }[] }> {
  const received: Received[] = [];
  const attempts: { name: string; id: string }[] = [];
  const failed = new Set<string>();
  const record = (name: string) => (body: unknown, meta: CallbackMeta) => {
    attempts.push({ name, id: meta.id });
    if (failFirst?.(name) && !failed.has(name)) {
      failed.add(name);
      throw new Error(`scripted failure of the first ${name}`);
    }
    received.push({ name, meta, body: body as Record<string, unknown> });
  };
  const handlers: CallbackHandlers = { create: record('create'), msg: record('msg'), pushRating: record('pushRating'), close: record('close'), updateRequestStatus: record('updateRequestStatus') };
  const receiver = new CallbackReceiver({ secrets: [SECRET], handlers });
  const server = http.createServer((req, res) => void receiver.node(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => closeServer(server));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, attempts };
}

async function mock(config: MockConfig): Promise<RunningMock> {
  const running = await startMock(config);
  cleanups.push(() => running.close());
  return running;
}

const agents = [{ id: 'SELITE', name: 'Elite', alias: '坐席A', icon: 'https://example.com/a.png', comments: '备注信息' }];
const channel = (callbackBase: string, more: object = {}) => ({ id: 'tp', key: KEY, callbackBase, webhookSecrets: [SECRET], ...more });

describe('a seed conversation', () => {
  it('1000, create, 2001 ×2 with the canned replies, pushRating and close arrive signed and in order', async () => {
    const tp = await thirdParty();
    const platform = await mock({
      channels: [channel(tp.url)],
      agents,
      // Accepted after 0.5 s: time to see it waiting and to send a pre-message, even on a busy machine.
      queues: [{ id: 1, acceptAfterSeconds: 0.5, greeting: ['您好 /::)'], replies: [{ afterSeconds: 0.05, text: 'You said: {text}' }], pushRatingAfterSeconds: 1.5, closeAfterSeconds: 1.8 }],
    });
    const client = new TpiClient({ url: platform.url, key: KEY });
    const asked = await client.requestChat({ clientId: 'wx-001', nickname: 'lori', queueId: 1, from: 'WECHAT' });
    expect(asked).toMatchObject({ result: 1, message: 'success', queueLength: 1 });
    expect(await client.pollRequest({ requestId: asked.requestId! })).toMatchObject({ requestStatus: RequestStatus.WAITING, queueLength: 1 });
    await client.seedPreMessage({ requestId: asked.requestId!, text: 'typed while waiting' });

    const create = await until(() => tp.received.find((r) => r.name === 'create'), 'create', 5000);
    expect(create.body).toEqual({
      result: 1,
      message: 'success',
      agentId: 'SELITE',
      agentName: 'Elite',
      agent: { id: 'SELITE', name: 'Elite', alias: '坐席A', icon: 'https://example.com/a.png', commonts: '备注信息' },
      clientId: 'wx-001',
      sessionId: expect.any(Number) as number,
      time: expect.any(Number) as number,
    });
    const sessionId = create.body.sessionId as number;
    expect(await client.pollRequest({ requestId: asked.requestId! })).toMatchObject({ requestStatus: RequestStatus.ACCEPTED, queueLength: 0 });
    await client.sendText({ sessionId, clientId: 'wx-001', text: 'first' });
    await until(() => tp.received.some((r) => r.body.content === 'You said: first'), 'the first reply', 5000);
    await client.sendText({ sessionId, clientId: 'wx-001', text: 'second' });
    await until(() => tp.received.some((r) => r.name === 'close'), 'close', 3000);
    await client.rate({ sessionId, ratingId: 1, ratingComments: '服务非常满意' });

    expect(tp.received.map((r) => (r.name === 'msg' ? `msg:${String(r.body.content)}` : r.name))).toEqual(['create', 'msg:您好 /::)', 'msg:You said: first', 'msg:You said: second', 'pushRating', 'close']);
    expect(tp.received.every((r) => r.body.sessionId === sessionId && r.body.clientId === 'wx-001')).toBe(true);
    expect(tp.received.map((r) => r.meta.id)).toEqual([...new Set(tp.received.map((r) => r.meta.id))]);
    expect(tp.received.every((r) => /^cb_\d+$/.test(r.meta.id))).toBe(true);
    const msg = tp.received[1]!.body;
    expect(msg).toMatchObject({ agentId: 'SELITE', agentName: 'Elite', agentHeadimg: 'https://example.com/a.png', agentComment: '备注信息', type: 'text' });

    const state = platform.state();
    expect(state.sessions[0]).toMatchObject({ sessionId, open: false, closedBy: 'agent', rating: { ratingId: 1, ratingComments: '服务非常满意' } });
    expect(state.messages.map((m) => `${m.from}:${m.text}`)).toEqual(['customer:typed while waiting', 'agent:您好 /::)', 'customer:first', 'agent:You said: first', 'customer:second', 'agent:You said: second']);
    expect(state.callbacks.every((c) => c.status === 'delivered' && c.attempts.length === 1)).toBe(true);
    // The agent closed it: the customer's 4001 finds it closed.
    expect(await client.raw({ type: 4001, sessionId })).toMatchObject({ result: -11 });
  });

  it('a 2001 sent again with the same msgId is stored once; 4001 sends no close', async () => {
    const tp = await thirdParty();
    const platform = await mock({ channels: [channel(tp.url)], agents, queues: [{ id: 1, acceptAfterSeconds: 0 }] });
    const client = new TpiClient({ url: platform.url, key: KEY, path: '/webchat/tpi' });
    await client.requestChat({ clientId: 'c1', queueId: 1 });
    const create = await until(() => tp.received.find((r) => r.name === 'create'), 'create', 5000);
    const sessionId = create.body.sessionId as number;
    const first = await client.sendText({ sessionId, clientId: 'c1', text: 'hello', msgId: 'm-1' });
    const again = await client.sendText({ sessionId, clientId: 'c1', text: 'hello', msgId: 'm-1' });
    expect(first.message).toBe('success');
    expect(again).toEqual({ result: 1, message: 'success; duplicate msgId, already stored' });
    expect(platform.state().messages.filter((m) => m.msgId === 'm-1')).toHaveLength(1);
    await client.close({ sessionId });
    await platform.callbacksDelivered();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tp.received.map((r) => r.name)).toEqual(['create']);
    expect(platform.state().sessions[0]).toMatchObject({ open: false, closedBy: 'customer' });
  });

  it('a callback that fails once is sent again with the same webhook-id, and holds back the next', async () => {
    const tp = await thirdParty((name) => name === 'create');
    const platform = await mock({ channels: [channel(tp.url)], agents, queues: [{ id: 1, acceptAfterSeconds: 0, greeting: ['hi'] }], callbacks: { backoffMs: 50 } });
    const client = new TpiClient({ url: platform.url, key: KEY });
    await client.requestChat({ clientId: 'c1', queueId: 1 });
    await until(() => tp.received.some((r) => r.name === 'msg'), 'the greeting', 5000);
    expect(tp.attempts.map((a) => a.name)).toEqual(['create', 'create', 'msg']);
    expect(tp.attempts[0]!.id).toBe(tp.attempts[1]!.id);
    expect(tp.received.map((r) => r.name)).toEqual(['create', 'msg']);
    const create = platform.state().callbacks.find((c) => c.name === 'create')!;
    expect(create.attempts.map((a) => a.ok)).toEqual([false, true]);
    expect(create.attempts[0]).toMatchObject({ status: 500 });
  });

  it('keeps retrying a third party that is down, without piling up listeners for each wait', async () => {
    // Down for the first 15 attempts, then up.
    const ids: string[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        ids.push(String(req.headers['webhook-id']));
        res.writeHead(ids.length <= 15 ? 503 : 200, { 'content-type': 'application/json' });
        res.end(ids.length <= 15 ? 'down' : '{"result":1}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => closeServer(server));
    const warnings: Error[] = [];
    const onWarning = (w: Error) => void warnings.push(w);
    process.on('warning', onWarning);
    cleanups.push(async () => void process.off('warning', onWarning));
    const platform = await mock({ channels: [channel(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)], agents, queues: [{ id: 1, acceptAfterSeconds: 0 }], callbacks: { backoffMs: 1, maxBackoffMs: 2 } });
    await new TpiClient({ url: platform.url, key: KEY }).requestChat({ clientId: 'c1', queueId: 1 });
    const create = await until(() => platform.state().callbacks.find((c) => c.name === 'create' && c.status === 'delivered'), 'the create, delivered', 5000);
    expect(create.attempts.map((a) => a.ok)).toEqual([...Array<boolean>(15).fill(false), true]);
    expect(new Set(ids.slice(0, 16))).toEqual(new Set([create.id]));
    // Node warns once more than 10 listeners wait on one signal: one per wait that ended and was never removed.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  });

  it('fails an attempt whose answer is over 64 KiB, as the platform does, reading no more of it', async () => {
    // The first answer never ends; the second is a plain success.
    let answers = 0;
    let written = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (++answers > 1) return res.end('{"result":1}');
        const chunk = Buffer.alloc(16 * 1024, 'y');
        const more = () => {
          while (!res.destroyed && res.write(chunk)) written += chunk.length;
        };
        res.on('drain', more);
        more();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => closeServer(server));
    const platform = await mock({ channels: [channel(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)], agents, queues: [{ id: 1, acceptAfterSeconds: 0 }], callbacks: { backoffMs: 1, maxBackoffMs: 2 } });
    await new TpiClient({ url: platform.url, key: KEY }).requestChat({ clientId: 'c1', queueId: 1 });
    const create = await until(() => platform.state().callbacks.find((c) => c.name === 'create' && c.status === 'delivered'), 'the create, delivered', 5000);
    expect(create.attempts.map((a) => [a.ok, a.error])).toEqual([
      [false, 'answer is larger than 65536 bytes'],
      [true, undefined],
    ]);
    // Stopped reading: far less than the endless answer would have sent in the meantime.
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('sessions', () => {
  it('a second 1000 continues the open session (create again), another queue is -2; 5002, 2023 and 2024 act on it', async () => {
    const tp = await thirdParty();
    const platform = await mock({ channels: [channel(tp.url)], agents: [...agents, { id: 'B2', name: 'Bea' }], queues: [{ id: 1, acceptAfterSeconds: 0 }, { id: 2, acceptAfterSeconds: 0.05, agentId: 'B2' }] });
    const client = new TpiClient({ url: platform.url, key: KEY });
    await client.requestChat({ clientId: 'c', queueId: 1 });
    const create = await until(() => tp.received.find((r) => r.name === 'create'), 'create', 5000);
    const sessionId = create.body.sessionId as number;
    expect(await client.raw({ type: 1000, clientId: 'c', queueId: 2 })).toMatchObject({ result: -2 });
    expect(await client.requestChat({ clientId: 'c', queueId: 1 })).toMatchObject({ result: 1, queueLength: 0, continueLastSession: true });
    await until(() => tp.received.filter((r) => r.name === 'create').length === 2, 'the second create', 5000);

    expect(await client.changeClient({ sessionId, clientId: 'c2' })).toMatchObject({ clientId: 'c2', sessionId });
    expect(await client.raw({ type: 2001, sessionId, clientId: 'c', text: 'old id' })).toMatchObject({ result: -9 });
    await client.sendText({ sessionId, clientId: 'c2', text: 'to take back', msgId: 'm-9' });
    await client.notice({ sessionId, noticeType: 6, notice: 'm-9' });
    expect(await client.raw({ type: 2024, sessionId, noticeType: 6, notice: 'm-9' })).toMatchObject({ result: -33 });
    expect(platform.state().messages.find((m) => m.msgId === 'm-9')).toMatchObject({ revoked: true });

    expect(await client.transferToHuman({ sessionId, transferInfo: '{"queueId":2}' })).toMatchObject({ result: 1, queueLength: 1 });
    const third = await until(() => tp.received.filter((r) => r.name === 'create')[2], 'the create after the transfer', 5000);
    expect(third.body).toMatchObject({ sessionId, agentId: 'B2', clientId: 'c2' });
    expect(await client.raw({ type: 2023, sessionId, transferInfo: 'not json' })).toMatchObject({ result: -31 });
  });
});

describe('scripted queues', () => {
  it('refuses at once, times out and goes off hours as scripted; 1002 is idempotent', async () => {
    const tp = await thirdParty();
    const platform = await mock({
      channels: [channel(tp.url)],
      agents,
      queues: [
        { id: 2, refuse: 'noAgent' },
        { id: 3, refuse: 'offHours' },
        { id: 4, refuse: 'invalidQueue' },
        { id: 5, timeoutAfterSeconds: 0.1 },
        { id: 6, offHoursAfterSeconds: 0.1 },
        { id: 7 },
      ],
    });
    const client = new TpiClient({ url: platform.url, key: KEY });
    for (const [queueId, code] of [[2, -5], [3, -3], [4, -4], [99, -7]] as const) {
      expect(await client.raw({ type: 1000, clientId: 'c', queueId })).toMatchObject({ result: code, message: expect.stringMatching(/\w/) as string });
    }
    const timedOut = await client.requestChat({ clientId: 't', queueId: 5 });
    const offHours = await client.requestChat({ clientId: 'o', queueId: 6 });
    expect(await client.pollRequest({ requestId: timedOut.requestId! })).toMatchObject({ requestStatus: RequestStatus.WAITING });
    await until(() => platform.state().requests.find((r) => r.requestId === timedOut.requestId)?.requestStatus === RequestStatus.TIMEOUT, 'the time-out', 5000);
    await until(() => platform.state().requests.find((r) => r.requestId === offHours.requestId)?.requestStatus === RequestStatus.OFF_HOUR, 'off hours', 5000);
    const t = await client.pollRequest({ requestId: timedOut.requestId! });
    expect(t).toMatchObject({ result: 1, requestStatus: RequestStatus.TIMEOUT, queueLength: 0 });
    expect(t.message).toMatch(/^success; ended: /);
    expect(await client.pollRequest({ requestId: offHours.requestId! })).toMatchObject({ requestStatus: RequestStatus.OFF_HOUR, message: expect.stringContaining('ended') as string });

    const waiting = await client.requestChat({ clientId: 'w', queueId: 7 });
    expect(await client.raw({ type: 1000, clientId: 'w', queueId: 7 })).toMatchObject({ result: -1 });
    expect(await client.cancelRequest({ requestId: waiting.requestId! })).toEqual({ result: 1, message: 'success' });
    expect(await client.cancelRequest({ requestId: waiting.requestId! })).toEqual({ result: 1, message: 'already canceled' });
    expect(await client.raw({ type: 1002, requestId: timedOut.requestId })).toMatchObject({ result: -10 });
    expect(tp.received).toEqual([]);
  });

  it('queueLength is the place in the queue, and moves up', async () => {
    const tp = await thirdParty();
    const platform = await mock({ channels: [channel(tp.url)], agents, queues: [{ id: 1 }] });
    const client = new TpiClient({ url: platform.url, key: KEY });
    const a = await client.requestChat({ clientId: 'a', queueId: 1 });
    const b = await client.requestChat({ clientId: 'b', queueId: 1 });
    expect([a.queueLength, b.queueLength]).toEqual([1, 2]);
    await client.cancelRequest({ requestId: a.requestId! });
    expect(await client.pollRequest({ requestId: b.requestId! })).toMatchObject({ queueLength: 1 });
  });
});

describe('bad input', () => {
  it('answers HTTP 200 with the code and a message that says what was wrong', async () => {
    const tp = await thirdParty();
    const platform = await mock({ channels: [channel(tp.url)], agents, queues: [{ id: 1, acceptAfterSeconds: 0 }] });
    const client = new TpiClient({ url: platform.url, key: KEY });
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ type: 1000, queueId: 1 }, -6, /missing field "clientId"/],
      [{ type: 1000, clientId: 'c', queueId: '1' }, -7, /field "queueId" must be an integer/],
      [{ type: 1000, clientId: 'c', queueId: 1, from: 'FAX' }, -8, /field "from"/],
      [{ type: 1000, clientId: 'c', queueId: 1, serverAddr: 'ftp://x' }, -8, /serverAddr/],
      [{ type: 2001, sessionId: '1299', clientId: 'c', text: 'hi' }, -11, /field "sessionId" must be an integer from 1 to 9007199254740991; got "1299"/],
      [{ type: 2001, sessionId: 77, clientId: 'c', text: 'hi' }, -11, /no session 77/],
      [{ type: 1001, requestId: 5 }, -10, /no request 5/],
      [{ type: 2002, sessionId: 1, clientId: 'c', imgData: 'not an image' }, -8, /data URI/],
      [{ type: 5001, sessionId: 1, ratingId: 1.5 }, -8, /field "ratingId" must be an integer/],
      [{ type: 5001, sessionId: 1, ratingId: 1 }, -11, /no session 1/],
      [{ type: 9999 }, -8, /unknown type 9999/],
      [{ clientId: 'c' }, -8, /missing field "type"/],
      [{ type: 5, loginName: 'a', password: 'b' }, -19, /agent/],
    ];
    for (const [body, code, message] of cases) {
      const answer = await client.raw(body);
      expect({ body, answer }).toMatchObject({ answer: { result: code, message: expect.stringMatching(message) as string } });
    }
    const response = await fetch(`${platform.url}/EliteWebChat/tpi`, { method: 'POST', headers: { 'x-webchat-key': KEY }, body: '{not json' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ result: -8, message: expect.stringContaining('not valid JSON') as string });
    expect(await new TpiClient({ url: platform.url, key: 'another-key-that-is-long-enough' }).raw({ type: 1001, requestId: 1 })).toMatchObject({ result: -8, message: expect.stringMatching(/key/i) as string });
    expect((await fetch(`${platform.url}/EliteWebChat/tpi`)).status).toBe(404);

    // -9 (not the session's customer) and -2 (open session in another queue) on a real session.
    await client.requestChat({ clientId: 'c', queueId: 1 });
    const create = await until(() => tp.received.find((r) => r.name === 'create'), 'create', 5000);
    const sessionId = create.body.sessionId as number;
    expect(await client.raw({ type: 2001, sessionId, clientId: 'someone-else', text: 'hi' })).toMatchObject({ result: -9 });
    expect(await client.raw({ type: 2001, sessionId, clientId: 'c', text: 'hi', color: 'red' })).toEqual({ result: 1, message: 'success; ignored unknown field(s): color' });
    await expect(client.sendText({ sessionId, clientId: 'c', text: '' })).rejects.toMatchObject({ code: -8 } satisfies Partial<TpiError>);
  });
});

describe('the later wire', () => {
  it('visitorLogon, a 1000 with its token, updateRequestStatus, messages by messageId, history, logout', async () => {
    const tp = await thirdParty();
    const platform = await mock({
      channels: [channel(tp.url, { laterCallbacks: ['updateRequestStatus'] })],
      agents,
      queues: [{ id: 1, acceptAfterSeconds: 0.1, replies: ['ok: {text}'], positionMessage: 'You are number {position}' }],
      customers: [{ loginName: 'alice', password: 'pw', name: 'Alice' }],
    });
    const client = new TpiClient({ url: platform.url, key: KEY, path: '/webchat/tpi' });
    const visitorId = randomUUID().toUpperCase();
    const logged = await client.visitorLogon({ visitorId });
    expect(logged).toMatchObject({ result: 1, clientId: visitorId.toLowerCase(), token: expect.any(String) as string, expiresAt: expect.any(Number) as number });
    const token = logged.token!;
    const asked = await client.requestChat({ token, queueId: 1, clientId: logged.clientId! });
    expect(asked).toMatchObject({ queueLength: 1, positionInQueueMessage: 'You are number 1' });
    await client.preMessage({ token, requestId: asked.requestId!, text: 'waiting…' });

    const update = await until(() => tp.received.find((r) => r.name === 'updateRequestStatus'), 'updateRequestStatus', 5000);
    const create = await until(() => tp.received.find((r) => r.name === 'create'), 'create', 5000);
    const sessionId = create.body.sessionId as number;
    expect(update.body).toMatchObject({ clientId: logged.clientId, requestId: asked.requestId, sessionId, requestStatus: RequestStatus.ACCEPTED, queueLength: 0, message: 'accepted' });

    const first = await client.sendText({ token, sessionId, text: 'hello', messageId: 'x-1' } as Parameters<TpiClient['sendText']>[0]);
    const again = await client.sendText({ token, sessionId, text: 'hello', messageId: 'x-1' } as Parameters<TpiClient['sendText']>[0]);
    expect([first.message, again.message]).toEqual(['success', 'success; duplicate msgId, already stored']);
    const voice = { token, sessionId, voiceLength: 3, voiceData: 'AAAA', messageId: 'v-1' };
    expect((await client.sendVoice(voice)).message).toBe('success');
    expect((await client.sendVoice(voice)).message).toBe('success; duplicate messageId, already stored');
    await until(() => tp.received.some((r) => r.body.content === 'ok: [voice 3 s]'), 'the replies', 5000);

    const history = await client.history({ token });
    expect(history.hisMessages!.map((m) => [m.userType, m.text])).toEqual([
      [2, 'ok: [voice 3 s]'],
      [1, '[voice 3 s]'],
      [2, 'ok: hello'],
      [1, 'hello'],
      [1, 'waiting…'],
    ]);
    expect((await client.history({ token, maxCount: 2, fromMessageId: history.hisMessages![1]!.id })).hisMessages!.map((m) => m.text)).toEqual(['ok: hello', 'hello']);
    expect(await client.availableAgents({ queueId: 1 })).toMatchObject({ agents: [{ id: 'SELITE', activeSessions: 1, maxActiveSessions: 5 }] });

    // Another customer's token touches none of this session; a wrong clientId beside a token is -15.
    const other = await client.logon({ loginName: 'alice', password: 'pw' });
    expect(await client.raw({ type: 2001, token: other.token, sessionId, text: 'x' })).toMatchObject({ result: -11 });
    expect(await client.raw({ type: 2001, token, sessionId, clientId: 'alice', text: 'x' })).toMatchObject({ result: -15 });
    expect(await client.raw({ type: 1, loginName: 'alice', password: 'wrong' })).toMatchObject({ result: -20 });
    await client.logout({ token });
    expect(await client.raw({ type: 2001, token, sessionId, text: 'x' })).toMatchObject({ result: -15, message: expect.stringMatching(/token/) as string });
    expect(await client.raw({ type: 1001, token: 'no-such-token-0123456789', requestId: asked.requestId })).toMatchObject({ result: -15 });
  });
});

describe('the control API', () => {
  it('plays the agent by hand over HTTP and shows the state', async () => {
    const tp = await thirdParty();
    const platform = await mock({ channels: [channel(tp.url)], agents, queues: [{ id: 1 }] });
    const client = new TpiClient({ url: platform.url, key: KEY });
    const asked = await client.requestChat({ clientId: 'c', queueId: 1 });
    const post = async (path: string, body?: unknown) => {
      const response = await fetch(`${platform.url}${path}`, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const accepted = await post(`/mock/requests/${asked.requestId}/accept`);
    expect(accepted).toMatchObject({ status: 200, body: { ok: true, sessionId: expect.any(Number) as number } });
    const sessionId = accepted.body.sessionId as number;
    expect(await post(`/mock/sessions/${sessionId}/agent-message`, { text: 'by hand' })).toMatchObject({ status: 200, body: { ok: true } });
    expect(await post(`/mock/sessions/${sessionId}/agent-message`, {})).toMatchObject({ status: 400 });
    expect(await post(`/mock/sessions/${sessionId}/push-rating`)).toMatchObject({ status: 200 });
    expect(await post(`/mock/sessions/${sessionId}/close`)).toMatchObject({ status: 200 });
    expect(await post(`/mock/sessions/${sessionId}/close`)).toMatchObject({ status: 409 });
    expect(await post(`/mock/sessions/424242/close`)).toMatchObject({ status: 404 });
    await platform.callbacksDelivered();
    expect(tp.received.map((r) => r.name)).toEqual(['create', 'msg', 'pushRating', 'close']);
    const state = (await (await fetch(`${platform.url}/mock/state`)).json()) as Record<string, unknown[]>;
    expect(state.requests).toHaveLength(1);
    expect(state.sessions).toHaveLength(1);
    expect(state.messages).toHaveLength(1);
    expect(state.callbacks).toHaveLength(4);
    expect(state.callbacks!.every((c) => (c as { status: string }).status === 'delivered')).toBe(true);
  });
});

describe('the configuration', () => {
  it('is checked against its schema, naming each bad field', () => {
    expect(() => resolveConfig({ queues: [{ id: 'one' }] })).toThrow(MockConfigError);
    try {
      resolveConfig({ queues: [{ id: 1, acceptAfter: 2 }], channels: [{ id: 'x', webhookSecrets: ['nope'] }] });
      expect.fail('no error');
    } catch (error) {
      const text = (error as MockConfigError).problems.join('\n');
      expect(text).toMatch(/\/queues\/0/);
      expect(text).toMatch(/\/channels\/0\/webhookSecrets\/0/);
    }
    expect(() => resolveConfig({ queues: [{ id: 1, agentId: 'NOBODY' }] })).toThrow(/no agent "NOBODY"/);
    expect(resolveConfig(undefined).queues[0]).toMatchObject({ id: 1, acceptAfterSeconds: 1 });
  });
});
