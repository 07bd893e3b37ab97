/**
 * The later wire's customer log-in (types 1–5) and the rule that keeps both wires working: a
 * call with a token is a later call whose customer is the token's; a call without one is the
 * seed's, unchanged. A seed client and a later client on one channel at once.
 */
import { LaterResultCode, RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../test-support/platform.js';
import { ThirdParty, TPI_RECEIVER } from '../../test-support/third-party.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

const GUID = '0F8FAD5B-D9CB-469F-A165-70867728950E';

describe('later wire: customer log-in and tokens', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('logs customers in (3, 1, 4), carries a later client beside a seed client, and refuses tokens that are not good here', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 7, 3, 0, 0));
    w = await startWorld({
      clock: clock.now,
      channels: (tp) => [
        { id: 'ch', callbackBase: tp, allowServerAddr: [tp] },
        { id: 'other', key: 'other-channel-key-0123456', callbackBase: tp, allowServerAddr: [tp] },
      ],
    });
    const { p, tp } = w;
    await w.online('a');

    // 3: register (no password); 1 then logs in with an empty password only.
    const registered = await p.tpi({ type: 3, loginName: 'wx_user_1', name: '小明' });
    expect(registered).toMatchObject({ result: 1, clientId: 'wx_user_1', token: expect.any(String), expiresAt: clock.now() + 24 * 3600_000 });
    const token = registered.token as string;
    expect(await p.tpi({ type: 1, loginName: 'wx_user_1', password: 'guess' })).toMatchObject({ result: LaterResultCode.INVALID_LOGINNAME_OR_PASSWORD, message: 'unknown loginName or wrong password' });
    expect(await p.tpi({ type: 1, loginName: 'nobody', password: '' })).toMatchObject({ result: -20 });
    expect(await p.tpi({ type: 1, loginName: 'wx_user_1', password: '' })).toMatchObject({ result: 1, clientId: 'wx_user_1' });
    // 4: an anonymous visitor by GUID; 5: not offered, and says so.
    expect(await p.tpi({ type: 4, visitorId: GUID })).toMatchObject({ result: 1, clientId: GUID.toLowerCase() });
    expect(await p.tpi({ type: 4, visitorId: 'not-a-guid' })).toMatchObject({ result: -8 });
    const agentLogon = await p.tpi({ type: 5, loginName: 'a', password: 'pw' });
    expect(agentLogon.result).toBe(LaterResultCode.INVALID_REQUEST_TYPE);
    expect(agentLogon.message).toContain('type 5');

    // A later client (token, no clientId) and a seed client (clientId, no token) side by side.
    const later = await p.tpi({ type: 1000, token, queueId: 1, nickname: '小明' });
    expect(later).toMatchObject({ result: 1 });
    const laterCreate = await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'wx_user_1'));
    const laterSession = laterCreate.body.sessionId as number;
    const seed = await p.tpi({ type: 1000, clientId: 'seed-1', queueId: 1 });
    expect(Object.keys(seed).sort()).toEqual(['message', 'queueLength', 'requestId', 'result']);
    const seedSession = (await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'seed-1'))).body.sessionId as number;
    expect(await p.tpi({ type: 2001, token, sessionId: laterSession, text: 'hello from the app' })).toMatchObject({ result: 1, message: 'success' });
    expect(await p.tpi({ type: 2001, sessionId: seedSession, clientId: 'seed-1', text: 'hello from the seed' })).toMatchObject({ result: 1, message: 'success' });
    expect((await p.tpi({ type: 1001, token, requestId: later.requestId })).requestStatus).toBe(RequestStatus.ACCEPTED);

    // A token touches only its own customer's requests and sessions, on its own channel.
    expect(await p.tpi({ type: 4001, token, sessionId: seedSession })).toMatchObject({ result: -11 });
    expect(await p.tpi({ type: 1001, token, requestId: seed.requestId })).toMatchObject({ result: -10 });
    expect(await p.tpi({ type: 2001, token, clientId: 'seed-1', sessionId: seedSession, text: 'x' })).toMatchObject({ result: LaterResultCode.INVALID_TOKEN });
    expect(await p.tpi({ type: 2001, token, sessionId: laterSession, text: 'x' }, { 'x-webchat-key': 'other-channel-key-0123456' })).toMatchObject({ result: LaterResultCode.INVALID_TOKEN, message: 'unknown token (log in with type 1, 3 or 4 on this channel)' });
    expect(await p.tpi({ type: 2001, token: 12345, sessionId: laterSession, text: 'x' })).toMatchObject({ result: LaterResultCode.INVALID_TOKEN });
    // Expired, then logged out: -15, with why.
    const fresh = (await p.tpi({ type: 1, loginName: 'wx_user_1', password: '' })).token as string;
    clock.advance(24 * 3600_000);
    expect(await p.tpi({ type: 2001, token, sessionId: laterSession, text: 'late' })).toMatchObject({ result: -15, message: 'this token expired: log in again' });
    clock.set(Date.UTC(2026, 11, 7, 4, 0, 0));
    expect(await p.tpi({ type: 2, token: fresh })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2001, token: fresh, sessionId: laterSession, text: 'after logout' })).toMatchObject({ result: -15, message: 'this token was logged out (type 2): log in again' });
    expect(await p.tpi({ type: 2, token: fresh })).toMatchObject({ result: -15 });
    // The seed client never saw a later code, and its chat went on untouched.
    expect(await p.tpi({ type: 4001, sessionId: seedSession })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2001, sessionId: seedSession, clientId: 'seed-1', token: undefined, text: 'closed' })).toMatchObject({ result: -11 });
  });
});

describe('later wire: what the customer types', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('takes 2020 pre-messages, shows the agent 2022 typing and 2021 live previews, and keeps a token to its own sessions', async () => {
    w = await startWorld();
    const { p, tp } = w;
    const token = (await p.tpi({ type: 3, loginName: 'app-user', name: 'App' })).token as string;
    const other = (await p.tpi({ type: 4, visitorId: GUID })).token as string;
    // Waiting: 2020 is the pre-message, with a token or (for a seed client) without one.
    const asked = await p.tpi({ type: 1000, token, queueId: 1 });
    expect(await p.tpi({ type: 2020, token, requestId: asked.requestId, text: 'typed while waiting' })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2020, token: other, requestId: asked.requestId, text: 'not mine' })).toMatchObject({ result: -10 });
    // With a token, 2005 is a file (later-media.test.ts): a pre-message's shape is refused, saying what a file needs.
    const file = await p.tpi({ type: 2005, token, requestId: asked.requestId, text: 'x' });
    expect(file.message).toMatch(/^missing field "sessionId"/);
    const seedAsked = await p.tpi({ type: 1000, clientId: 'seed', queueId: 1 });
    expect(await p.tpi({ type: 2020, requestId: seedAsked.requestId, text: 'seed client, later type' })).toMatchObject({ result: 1 });

    const a = await w.login('a');
    const feed = await w.feed(a);
    await w.status(a, 'online');
    const create = await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'app-user'));
    const sessionId = create.body.sessionId as number;
    const view = await p.api<{ messages: { kind: string; text?: string }[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, a);
    expect(view.body.messages.map((m) => [m.kind, m.text])).toEqual([['pre', 'typed while waiting']]);

    expect(await p.tpi({ type: 2022, token, sessionId })).toMatchObject({ result: 1 });
    await feed.waitFor((e) => e.name === 'chat.typing' && e.data.sessionId === sessionId && e.data.typing === true, 'chat.typing');
    expect(await p.tpi({ type: 2021, token, sessionId, text: 'where is my ord' })).toMatchObject({ result: 1 });
    await feed.waitFor((e) => e.name === 'chat.preview' && e.data.sessionId === sessionId && e.data.text === 'where is my ord', 'chat.preview');
    expect(await p.tpi({ type: 2021, token: other, sessionId, text: 'spy' })).toMatchObject({ result: -11 });
    expect(await p.tpi({ type: 2022, sessionId: 999_999 })).toMatchObject({ result: -11 });
    expect(feed.of('chat.preview').map((e) => e.text)).toEqual(['where is my ord']);
    await p.tpi({ type: 4001, token, sessionId });
    expect(await p.tpi({ type: 2021, token, sessionId, text: 'after' })).toMatchObject({ result: -11 });
  });
});

describe('later wire: messageId, asking for a person, who is available', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('stores a message retried with the same messageId once, moves a chat to a person on 2023, and lists a queue\'s online agents (5004)', async () => {
    w = await startWorld({
      queues: [{ id: 1, name: 'bot', whenNoAgentOnline: 'wait' }, { id: 2, name: 'people', whenNoAgentOnline: 'wait' }],
      agents: [agent('A', { queues: [1], maxChats: 3 }), agent('B', { queues: [2], maxChats: 4 })],
    });
    const { p, tp } = w;
    const a = await w.online('a');
    const token = (await p.tpi({ type: 3, loginName: 'u1', name: 'U' })).token as string;
    await p.tpi({ type: 1000, token, queueId: 1 });
    const sessionId = (await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'u1'))).body.sessionId as number;

    // A retry after a timeout: the same messageId, one message.
    expect(await p.tpi({ type: 2001, token, sessionId, text: 'once', messageId: 'm-1' })).toMatchObject({ result: 1, message: 'success' });
    expect(await p.tpi({ type: 2001, token, sessionId, text: 'once', messageId: 'm-1' })).toMatchObject({ result: 1, message: 'success; duplicate msgId, already stored' });
    expect(await p.tpi({ type: 2001, token, sessionId, text: 'x', messageId: { bad: true } })).toMatchObject({ result: LaterResultCode.INVALID_MESSAGE_ID });
    const texts = (await p.api<{ messages: { text?: string }[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, a)).body.messages.map((m) => m.text);
    expect(texts).toEqual(['once']);
    // A seed call's messageId is not the seed's: ignored, and said so (its msgId still de-duplicates).
    const seed = await p.tpi({ type: 1000, clientId: 'seed', queueId: 1 });
    const seedSession = (await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'seed'))).body.sessionId as number;
    expect((await p.tpi({ type: 2001, clientId: 'seed', sessionId: seedSession, text: 'hi', messageId: 'z' })).message).toBe('success; ignored unknown field(s): messageId');
    expect(seed.result).toBe(1);

    // 5004: who could answer in queue 2 (B offline: nobody), then B online.
    expect(await p.tpi({ type: 5004, token, queueId: 2 })).toMatchObject({ result: 1, agents: [] });
    const b = await w.online('b');
    expect(await p.tpi({ type: 5004, queueId: 2 })).toMatchObject({ result: 1, agents: [{ id: 'B', activeSessions: 0, maxActiveSessions: 4 }] });
    expect(await p.tpi({ type: 5004, queueId: 99 })).toMatchObject({ result: -7 });

    // 2023: to a person in queue 2, keeping the session and its history; the third party gets a second create.
    expect(await p.tpi({ type: 2023, token, sessionId, transferInfo: 'not json' })).toMatchObject({ result: LaterResultCode.TRANSFER_ERROR });
    expect(await p.tpi({ type: 2023, token, sessionId, transferInfo: '{"queueId":99}' })).toMatchObject({ result: LaterResultCode.TRANSFER_ERROR, message: 'no queue 99' });
    const moved = await p.tpi({ type: 2023, token, sessionId, from: 'robot', transferInfo: '{"queueId":2}' });
    expect(moved).toMatchObject({ result: 1, requestId: expect.any(Number) });
    const creates = await tp.waitFor(() => (tp.ofName('create').filter((c) => c.body.sessionId === sessionId).length === 2 ? tp.ofName('create').filter((c) => c.body.sessionId === sessionId) : undefined));
    expect(creates.map((c) => c.body.agentId)).toEqual(['A', 'B']);
    const view = await p.api<{ messages: { kind: string; text?: string; event?: { event: string; by?: string } }[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, b);
    expect(view.body.messages.map((m) => m.text ?? m.event?.event)).toEqual(['once', 'transferred']);
    expect(view.body.messages[1]!.event).toMatchObject({ by: 'customer', toQueueId: 2 });
  });
});

describe('later wire: history', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('reads the token\'s customer\'s messages newest first across their sessions, pages back, and never another\'s', async () => {
    w = await startWorld();
    const { p, tp } = w;
    const a = await w.online('a');
    const token = (await p.tpi({ type: 3, loginName: 'h1', name: '历史' })).token as string;
    const other = (await p.tpi({ type: 3, loginName: 'h2', name: 'other' })).token as string;
    const chat = async (tok: string, clientId: string, texts: string[]) => {
      const n = tp.ofName('create').filter((c) => c.body.clientId === clientId).length;
      const asked = await p.tpi({ type: 1000, token: tok, queueId: 1 });
      expect(asked).toMatchObject({ result: 1 });
      const sessionId = (await tp.waitFor(() => tp.ofName('create').filter((c) => c.body.clientId === clientId)[n])).body.sessionId as number;
      for (const text of texts) expect(await p.tpi({ type: 2001, token: tok, sessionId, text })).toMatchObject({ result: 1 });
      expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, a, { text: `re: ${texts.at(-1)}` })).status).toBeLessThan(300);
      expect(await p.tpi({ type: 4001, token: tok, sessionId })).toMatchObject({ result: 1 });
      return { sessionId, requestId: asked.requestId as number };
    };
    const first = await chat(token, 'h1', ['one', 'two']);
    const second = await chat(token, 'h1', ['three']);
    const theirs = await chat(other, 'h2', ['secret']);

    const all = await p.tpi({ type: 5003, token, maxCount: 10 });
    expect(all.result).toBe(1);
    const his = all.hisMessages as { id: number; text: string; userType: number; userId: string; userName: string; sessionId: number }[];
    expect(his.map((m) => m.text)).toEqual(['re: three', 'three', 're: two', 'two', 'one']);
    expect(his[0]).toMatchObject({ userType: 2, userId: 'A', userName: 'A', sessionId: second.sessionId });
    expect(his[1]).toMatchObject({ userType: 1, userId: 'h1', userName: '历史' });
    // Paging back from a message, and one session only.
    expect(((await p.tpi({ type: 5003, token, fromMessageId: his[1]!.id, maxCount: 2 })).hisMessages as { text: string }[]).map((m) => m.text)).toEqual(['re: two', 'two']);
    expect(((await p.tpi({ type: 5003, token, fromSessionId: first.sessionId })).hisMessages as { text: string }[]).map((m) => m.text)).toEqual(['re: two', 'two', 'one']);
    // Another customer's session: unknown to this token; without a token, a session is needed.
    expect(await p.tpi({ type: 5003, token, fromSessionId: theirs.sessionId })).toMatchObject({ result: -11 });
    expect(await p.tpi({ type: 5003 })).toMatchObject({ result: LaterResultCode.INVALID_TOKEN });
    expect(((await p.tpi({ type: 5003, fromSessionId: theirs.sessionId })).hisMessages as { text: string }[]).map((m) => m.text)).toEqual(['re: secret', 'secret']);
  });
});

describe('later wire: notices (2024)', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('takes a message back by its messageId (kept, marked, shown withdrawn), keeps other notices in the stream, and counts 5 as typing', async () => {
    w = await startWorld();
    const { p, tp } = w;
    const a = await w.login('a');
    const feed = await w.feed(a);
    await w.status(a, 'online');
    const token = (await p.tpi({ type: 3, loginName: 'n1', name: 'N' })).token as string;
    await p.tpi({ type: 1000, token, queueId: 1 });
    const sessionId = (await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'n1'))).body.sessionId as number;
    await p.tpi({ type: 2001, token, sessionId, text: 'oops, wrong chat', messageId: 'm-9' });

    expect(await p.tpi({ type: 2024, token, sessionId, noticeType: 6, notice: 'm-9' })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2024, token, sessionId, noticeType: 6, notice: 'm-9' })).toMatchObject({ result: LaterResultCode.INVALID_MESSAGE_ID });
    expect(await p.tpi({ type: 2024, token, sessionId, noticeType: 6, notice: 'nope' })).toMatchObject({ result: LaterResultCode.INVALID_MESSAGE_ID });
    expect(await p.tpi({ type: 2024, token, sessionId, noticeType: 1, notice: 'https://shop.example/cart' })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2024, token, sessionId, noticeType: 5 })).toMatchObject({ result: 1 });
    await feed.waitFor((e) => e.name === 'chat.typing' && e.data.sessionId === sessionId, 'typing from notice 5');

    const view = await p.api<{ messages: { id: number; kind: string; text?: string; event?: Record<string, unknown> }[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, a);
    const [said, revoked, trail] = view.body.messages;
    expect(said).toMatchObject({ kind: 'text', text: 'oops, wrong chat' });
    expect(revoked!.event).toEqual({ event: 'revoked', messageId: said!.id });
    expect(trail!.event).toEqual({ event: 'notice', noticeType: 1, notice: 'https://shop.example/cart' });
    await feed.waitFor((e) => e.name === 'chat.message' && (e.data.event as { event?: string } | undefined)?.event === 'revoked', 'the revoked event live');
    // History says it was taken back.
    const his = (await p.tpi({ type: 5003, token })).hisMessages as { text: string; revokeFlag: number }[];
    expect(his).toEqual([expect.objectContaining({ text: 'oops, wrong chat', revokeFlag: 1 })]);
  });
});

describe('later wire: callbacks a channel asks for', () => {
  let w: World | undefined;
  let app: ThirdParty | undefined;
  afterEach(async () => {
    await w?.close();
    await app?.stop();
    w = undefined;
    app = undefined;
  });

  it('tells a channel that asked every change of its waiting request (updateRequestStatus) under its own callbackPath, in its language; a seed channel hears none of it', async () => {
    app = new ThirdParty({ ...TPI_RECEIVER, prefix: '/chat/' });
    const appUrl = await app.start();
    const KEY = 'app-channel-key-0123456789';
    w = await startWorld({
      queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait', positionMessage: { 'zh-CN': '排第{position}位', en: 'You are number {position}' } }],
      more: { channels: [{ id: 'app', key: KEY, callbackBase: appUrl, allowServerAddr: [appUrl], laterCallbacks: ['updateRequestStatus'], callbackPath: '/chat/{name}', language: 'en' }] },
    });
    const { p, tp } = w;
    const onApp = { 'x-webchat-key': KEY };
    const seed = await p.tpi({ type: 1000, clientId: 'seed-1', queueId: 1 });
    const token = (await p.tpi({ type: 3, loginName: 'app-1', name: 'App' }, onApp)).token as string;
    const later = await p.tpi({ type: 1000, token, queueId: 1 }, onApp);
    expect(later).toMatchObject({ result: 1, queueLength: 2, positionInQueueMessage: 'You are number 2' });
    expect(Object.keys(seed)).not.toContain('positionInQueueMessage');

    // The seed client's request leaves: the later one moved up, and is told so.
    await p.tpi({ type: 1002, requestId: seed.requestId });
    const moved = await app.waitFor(() => app!.ofName('updateRequestStatus').find((c) => c.body.queueLength === 1), 10_000, 'updateRequestStatus, place 1');
    expect(moved.body).toMatchObject({ clientId: 'app-1', requestId: later.requestId, requestStatus: RequestStatus.WAITING, message: 'You are number 1' });
    // Accepted: told, then create, both under /chat/.
    await w.online('a');
    const accepted = await app.waitFor(() => app!.ofName('updateRequestStatus').find((c) => c.body.requestStatus === RequestStatus.ACCEPTED), 10_000, 'updateRequestStatus, accepted');
    expect(accepted.body).toMatchObject({ requestId: later.requestId, queueLength: 0, message: 'accepted', sessionId: expect.any(Number) });
    const create = await app.waitFor(() => app!.ofName('create')[0], 10_000, 'create');
    expect(create.body.sessionId).toBe(accepted.body.sessionId);
    // In order per request; the session's create goes on its own (it may come before the last update).
    expect(app.received.map((r) => r.name).sort()).toEqual(['create', 'updateRequestStatus', 'updateRequestStatus']);
    expect(app.ofName('updateRequestStatus').map((c) => c.body.requestStatus)).toEqual([RequestStatus.WAITING, RequestStatus.ACCEPTED]);
    expect(tp.received.map((r) => r.name)).not.toContain('updateRequestStatus');
  });
});
