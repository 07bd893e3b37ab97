/**
 * An agent bridge, played over real HTTP on loopback: it gets its agents' offers, assigned
 * chats and customer messages as signed callbacks at /AgentBridge/{name}, and answers through
 * /api/v1/bridge/* with its key. A request accepted by a bridged agent is
 * ENTERPRISE_WECHAT_ACCEPTED (11); everything else is as for any session, to the third party.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../delivery/signature.js';
import { TINY_PNG } from '../../test-support/chat.js';
import { BRIDGE_RECEIVER, ThirdParty } from '../../test-support/third-party.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

const KEY = 'bridge-key-0123456789abcdef';
const OTHER_KEY = 'other-bridge-key-0123456789';
const SECRET = 'whsec_YnJpZGdlIHRlc3Qgc2VjcmV0IDAxMjM0NTY3ODk=';

describe('agent bridges', () => {
  let w: World | undefined;
  let bridge: ThirdParty | undefined;
  afterEach(async () => {
    await w?.close();
    await bridge?.stop();
    w = undefined;
    bridge = undefined;
  });

  const start = async (assignment: 'auto' | 'offer') => {
    bridge = new ThirdParty(BRIDGE_RECEIVER);
    const url = await bridge.start();
    w = await startWorld({
      queues: [{ id: 9, name: 'wecom', assignment, whenNoAgentOnline: 'wait' }],
      agents: [agent('A', { queues: [] }), { id: 'W001', name: '王五', queues: [9], bridge: 'wecom' }, { id: 'W002', name: 'other', queues: [], bridge: 'other' }],
      agentBridges: [
        { id: 'wecom', key: KEY, callbackBase: url, webhookSecrets: [SECRET] },
        { id: 'other', key: OTHER_KEY, callbackBase: url },
      ],
    });
    return { w, bridge };
  };

  /** A bridge's call; key null: sent without one. */
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, key: string | null = KEY) => {
    const res = await fetch(`${w!.p.url}${path}`, {
      method,
      headers: { ...(key ? { 'x-bridge-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const type = res.headers.get('content-type');
    const text = await res.text();
    return { status: res.status, body: (type?.startsWith('application/json') ? JSON.parse(text) : {}) as T, type };
  };

  it('carries a whole conversation: offer, accept (11), the customer\'s messages and image, replies, a rating request and the close', async () => {
    const { w, bridge } = await start('offer');
    const { p, tp } = w;
    expect((await call('PUT', '/api/v1/bridge/agents/W001/status', { status: 'online' })).status).toBe(200);

    const { requestId } = await p.tpi({ type: 1000, clientId: 'wx-1', nickname: '小明', queueId: 9 });
    const offer = await bridge.waitFor(() => bridge.ofName('offer').find((c) => c.body.requestId === requestId), 10_000, 'offer');
    expect(offer.body).toMatchObject({ agentId: 'W001', requestId, clientId: 'wx-1', nickname: '小明', queueId: 9, preMessages: [] });
    // Signed with the bridge's own secret, as a channel's callbacks are.
    expect(verifyWebhook(SECRET, offer.headers, JSON.stringify(offer.body), Math.floor(Date.now() / 1000))).toBe(true);
    await p.tpi({ type: 2005, requestId, text: '你好，我要退货' });
    expect((await p.tpi({ type: 1001, requestId })).requestStatus).toBe(RequestStatus.WAITING);

    const accepted = await call<{ ok: true; sessionId: number }>('POST', `/api/v1/bridge/offers/${requestId}/accept`, { agentId: 'W001' });
    expect(accepted.status).toBe(200);
    const { sessionId } = accepted.body;
    const polled = await p.tpi({ type: 1001, requestId });
    expect(polled).toMatchObject({ requestStatus: RequestStatus.ENTERPRISE_WECHAT_ACCEPTED, queueLength: 0 });
    const create = await tp.waitFor(() => tp.ofName('create').find((c) => c.body.sessionId === sessionId));
    expect(create.body).toMatchObject({ agentId: 'W001', agentName: '王五', clientId: 'wx-1' });

    // The bridge is told it has the chat, then gets what the customer typed while waiting, and after.
    await p.tpi({ type: 2001, sessionId, clientId: 'wx-1', text: '订单号 123' });
    await p.tpi({ type: 2002, sessionId, clientId: 'wx-1', imgName: 'photo.png', imgData: TINY_PNG });
    const messages = await bridge.waitFor(() => (bridge.ofName('message').length >= 3 ? bridge.ofName('message') : undefined), 10_000, 'three messages');
    expect(bridge.delivered.map((c) => c.name).slice(0, 5)).toEqual(['offer', 'assigned', 'message', 'message', 'message']);
    expect(bridge.ofName('assigned')[0]!.body).toMatchObject({ agentId: 'W001', requestId, sessionId, clientId: 'wx-1' });
    expect(messages.map((m) => m.body.text ?? null)).toEqual(['你好，我要退货', '订单号 123', null]);
    const imageUrl = messages[2]!.body.imageUrl as string;
    expect(imageUrl).toMatch(/^\/api\/v1\/bridge\/images\/\d+$/);
    const image = await call('GET', imageUrl);
    expect(image.status).toBe(200);
    expect(image.type).toBe('image/png');
    expect((await call('GET', imageUrl, undefined, null)).status).toBe(401);
    expect((await call('GET', imageUrl, undefined, OTHER_KEY)).status).toBe(404);

    // Replies, a rating request and the close reach the third party as any agent's would.
    const sent = await call<{ messageId: number }>('POST', `/api/v1/bridge/sessions/${sessionId}/messages`, { agentId: 'W001', text: '好的，已为您登记' });
    expect(sent.status).toBe(200);
    const msg = await tp.waitFor(() => tp.ofName('msg').find((c) => c.body.sessionId === sessionId));
    expect(msg.body).toMatchObject({ agentId: 'W001', content: '好的，已为您登记', clientId: 'wx-1' });
    expect((await call('POST', `/api/v1/bridge/sessions/${sessionId}/rating-request`, { agentId: 'W001' })).status).toBe(200);
    await tp.waitFor(() => tp.ofName('pushRating').find((c) => c.body.sessionId === sessionId));
    expect((await call('POST', `/api/v1/bridge/sessions/${sessionId}/close`, { agentId: 'W001' })).status).toBe(200);
    await tp.waitFor(() => tp.ofName('close').find((c) => c.body.sessionId === sessionId));
    const closed = await bridge.waitFor(() => bridge.ofName('closed').find((c) => c.body.sessionId === sessionId), 10_000, 'closed');
    expect(closed.body).toMatchObject({ agentId: 'W001', by: 'agent', reason: null });
    // Every message once, in order.
    expect(bridge.ofName('message').map((m) => m.body.messageId)).toEqual([...new Set(bridge.ofName('message').map((m) => m.body.messageId))].sort((a, b) => Number(a) - Number(b)));
    expect((await call('POST', `/api/v1/bridge/sessions/${sessionId}/messages`, { agentId: 'W001', text: 'late' })).status).toBe(409);
  });

  it('assigns directly in an auto queue, ends a request the only bridged agent declined as REFUSED, and acts only for its own agents', async () => {
    const { w, bridge } = await start('auto');
    const { p } = w;
    // Without a key, or with another bridge's: nothing.
    expect((await call('PUT', '/api/v1/bridge/agents/W001/status', { status: 'online' }, null)).status).toBe(401);
    expect((await call('PUT', '/api/v1/bridge/agents/W001/status', { status: 'online' }, 'not-a-bridge-key-at-all')).status).toBe(401);
    expect((await call('PUT', '/api/v1/bridge/agents/W001/status', { status: 'online' }, OTHER_KEY)).status).toBe(404);
    expect((await call('PUT', '/api/v1/bridge/agents/A/status', { status: 'online' })).status).toBe(404);
    expect((await call('PUT', '/api/v1/bridge/agents/W001/status', { status: 'online' })).status).toBe(200);

    const { requestId } = await p.tpi({ type: 1000, clientId: 'wx-2', queueId: 9 });
    const assigned = await bridge.waitFor(() => bridge.ofName('assigned').find((c) => c.body.requestId === requestId), 10_000, 'assigned');
    expect(bridge.ofName('offer')).toEqual([]);
    expect((await p.tpi({ type: 1001, requestId })).requestStatus).toBe(RequestStatus.ENTERPRISE_WECHAT_ACCEPTED);
    // Nothing is offered in an auto queue: declining is a 409.
    expect((await call('POST', `/api/v1/bridge/offers/${requestId}/decline`, { agentId: 'W001' })).status).toBe(409);
    // The customer ends it: the bridge hears.
    await p.tpi({ type: 4001, sessionId: assigned.body.sessionId });
    const closed = await bridge.waitFor(() => bridge.ofName('closed').find((c) => c.body.sessionId === assigned.body.sessionId), 10_000, 'closed');
    expect(closed.body).toMatchObject({ by: 'customer' });

    // Switch the queue to offers: a decline by its only agent refuses the request.
    await p.platform.store.db.updateTable('queues').set({ assignment: 'offer' }).where('id', '=', 9).execute();
    const second = await p.tpi({ type: 1000, clientId: 'wx-3', queueId: 9 });
    await bridge.waitFor(() => bridge.ofName('offer').find((c) => c.body.requestId === second.requestId), 10_000, 'offer');
    const declined = await call('POST', `/api/v1/bridge/offers/${second.requestId}/decline`, { agentId: 'W001', reason: '下班了' });
    expect(declined.status).toBe(200);
    const polled = await p.tpi({ type: 1001, requestId: second.requestId });
    expect(polled.requestStatus).toBe(RequestStatus.REFUSED);
    expect(polled.message).toContain('every online agent of queue 9 declined it');
  });
});
