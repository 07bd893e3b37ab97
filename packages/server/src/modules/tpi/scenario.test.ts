/**
 * The whole conversation of the protocol document, over real HTTP: a test third party on
 * loopback, the platform on its store, an agent on the agent API and Socket.IO.
 */
import { RequestStatus, ResultCode } from '@elitewebchat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TINY_PNG } from '../../test-support/chat.js';
import type { TestPlatform } from '../../test-support/platform.js';
import type { ThirdParty } from '../../test-support/third-party.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

const KEY = 'mitalk-test-key-0123456789';

describe('a whole conversation over the TPI', () => {
  let w: World;
  let tp: ThirdParty;
  let p: TestPlatform;

  beforeEach(async () => {
    w = await startWorld({
      tpiHeaders: { 'x-webchat-key': KEY },
      queues: [{ id: 1, name: '售前咨询', whenNoAgentOnline: 'wait' }],
      agents: [agent('SELITE', { username: 'elite', password: 'pw-elite', name: 'Elite', alias: '坐席A', icon: 'http://x/a.png', comments: '备注信息', maxChats: 5 })],
      channels: (base) => [{ id: 'mitalk', key: KEY, callbackBase: base, allowServerAddr: [base] }],
    });
    ({ p, tp } = w);
  });

  // Closes the agent's feed too.
  afterEach(async () => {
    await w.close();
  });

  it('runs from chat request to the agent closing, with every callback in order', async () => {
    const token = await w.login('elite');
    const feed = await w.feed(token);

    // 1000 while no agent is online: the queue waits.
    const created = await p.tpi({ type: 1000, clientId: 'wx-001', nickname: 'lori', time: 1400913140127, queueId: 1, from: 'WECHAT' });
    expect(created).toMatchObject({ result: 1, queueLength: 1 });
    const requestId = created.requestId as number;
    expect(requestId).toBeGreaterThan(0);
    expect(await p.tpi({ type: 1001, requestId })).toMatchObject({ result: 1, requestStatus: RequestStatus.WAITING, queueLength: 1 });

    // Pre-messages while queued.
    for (const text of ['你好', '在吗？/::)', '第三条']) expect((await p.tpi({ type: 2005, requestId, text })).result).toBe(1);

    // The agent comes online: routed, create called back, 1001 answers ACCEPTED.
    expect((await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    const create = await tp.waitFor(() => tp.ofName('create')[0], 10_000, 'create');
    expect(create.body).toMatchObject({
      result: 1,
      agentId: 'SELITE',
      agentName: 'Elite',
      agent: { id: 'SELITE', name: 'Elite', alias: '坐席A', icon: 'http://x/a.png', commonts: '备注信息' },
      clientId: 'wx-001',
    });
    const sessionId = create.body.sessionId as number;
    expect(await p.tpi({ type: 1001, requestId })).toMatchObject({ result: 1, requestStatus: RequestStatus.ACCEPTED, queueLength: 0 });

    // The agent is told, with the pre-messages first and in order.
    const assigned = await feed.waitFor((e) => e.name === 'chat.assigned', 'chat.assigned');
    expect(assigned).toMatchObject({ id: sessionId, clientId: 'wx-001', nickname: 'lori', from: 'WECHAT', queueId: 1 });
    const pre = (assigned.messages as { kind: string; text: string }[]).map((m) => [m.kind, m.text]);
    expect(pre).toEqual([
      ['pre', '你好'],
      ['pre', '在吗？/::)'],
      ['pre', '第三条'],
    ]);

    // Customer text and image reach the agent.
    expect((await p.tpi({ type: 2001, sessionId, clientId: 'wx-001', time: Date.now(), text: '我想问一下 <b>价格</b>' })).result).toBe(1);
    expect((await p.tpi({ type: 2002, sessionId, clientId: 'wx-001', time: Date.now(), imgName: 'IMG_001', imgData: TINY_PNG })).result).toBe(1);
    const image = await feed.waitFor((e) => e.name === 'chat.message' && e.data.kind === 'image', 'image message');
    const imageUrl = (image.image as { url: string }).url;
    const img = await fetch(p.url + imageUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await img.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    expect((await fetch(p.url + imageUrl)).status).toBe(401);

    // The agent replies with an emoticon: a msg callback with the code.
    const sent = await p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, token, { text: '您好 /::) 请稍等' });
    expect(sent.status).toBe(201);
    const msg = await tp.waitFor(() => tp.ofName('msg')[0], 10_000, 'msg');
    expect(msg.body).toMatchObject({
      sessionId,
      agentId: 'SELITE',
      agentName: 'Elite',
      agentHeadimg: 'http://x/a.png',
      agentComment: '备注信息',
      content: '您好 /::) 请稍等',
      clientId: 'wx-001',
      type: 'text',
    });

    // Rating asked and given.
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/rating-request`, token)).status).toBe(201);
    const push = await tp.waitFor(() => tp.ofName('pushRating')[0], 10_000, 'pushRating');
    expect(push.body).toMatchObject({ sessionId, agentId: 'SELITE', clientId: 'wx-001' });
    expect((await p.tpi({ type: 5001, sessionId, ratingId: 1, ratingComments: '服务非常满意' })).result).toBe(1);
    await feed.waitFor((e) => e.name === 'chat.message' && (e.data.event as { event?: string } | undefined)?.event === 'rated', 'rating');

    // The customer's id changes; the old id no longer speaks for the session.
    expect(await p.tpi({ type: 5002, sessionId, clientId: 'wx-002' })).toEqual({ result: 1, message: 'success', clientId: 'wx-002', sessionId });
    expect((await p.tpi({ type: 2001, sessionId, clientId: 'wx-001', text: 'old id' })).result).toBe(ResultCode.INVALID_TO_USER_ID);
    expect((await p.tpi({ type: 2001, sessionId, clientId: 'wx-002', text: 'new id' })).result).toBe(1);

    // The agent closes: close called back, last of all; the session takes no more messages.
    const closed = await p.api<{ status: string; closedBy: string; rating: unknown }>('POST', `/api/v1/agent/sessions/${sessionId}/close`, token);
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'agent', rating: { ratingId: 1, comments: '服务非常满意' } });
    const close = await tp.waitFor(() => tp.ofName('close')[0], 10_000, 'close');
    expect(close.body).toMatchObject({ sessionId, agentId: 'SELITE', clientId: 'wx-002' });
    expect(tp.delivered.map((c) => c.name)).toEqual(['create', 'msg', 'pushRating', 'close']);
    expect((await p.tpi({ type: 2001, sessionId, clientId: 'wx-002', text: 'too late' })).result).toBe(ResultCode.INVALID_CHAT_SESSION_ID);

    // The transcript holds everything in order, as the agent API shows it.
    const history = await p.api<{ messages: { sender: string; kind: string; text?: string; image?: { name: string }; event?: { event: string } }[] }>(
      'GET',
      `/api/v1/agent/sessions/${sessionId}/messages`,
      token,
    );
    expect(history.body.messages.map((m) => m.event?.event ?? `${m.sender}:${m.kind}:${m.text ?? m.image?.name}`)).toEqual([
      'customer:pre:你好',
      'customer:pre:在吗？/::)',
      'customer:pre:第三条',
      'customer:text:我想问一下 <b>价格</b>',
      'customer:image:IMG_001',
      'agent:text:您好 /::) 请稍等',
      'rating-requested',
      'rated',
      'client-changed',
      'customer:text:new id',
      'closed',
    ]);
  });

  it('lets the customer end the chat (4001): the agent is told and no close is called back', async () => {
    const token = await w.login('elite');
    await w.status(token, 'online');
    const feed = await w.feed(token);
    const { requestId } = await p.tpi({ type: 1000, clientId: 'app-9', nickname: 'Zed', queueId: 1, from: 'APP' });
    const create = await tp.waitFor(() => tp.ofName('create')[0]);
    const sessionId = create.body.sessionId as number;
    expect(await p.tpi({ type: 1001, requestId })).toMatchObject({ requestStatus: RequestStatus.ACCEPTED });
    expect((await p.tpi({ type: 4001, sessionId, time: Date.now() })).result).toBe(1);
    expect(await feed.waitFor((e) => e.name === 'chat.closed', 'chat.closed')).toEqual({ sessionId, by: 'customer' });
    expect((await p.tpi({ type: 4001, sessionId, time: Date.now() })).result).toBe(ResultCode.INVALID_CHAT_SESSION_ID);
    const open = await p.api<{ sessions: unknown[] }>('GET', '/api/v1/agent/sessions', token);
    expect(open.body.sessions).toEqual([]);
    // Give the worker a moment to prove it has nothing more to send.
    await new Promise((r) => setTimeout(r, 200));
    expect(tp.received.map((c) => c.name)).toEqual(['create']);
  });
});
