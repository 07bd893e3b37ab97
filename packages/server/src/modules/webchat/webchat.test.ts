/**
 * The web chat's API and live feed, as the widget uses them, against the real platform over
 * real HTTP and sockets, with a real agent on the other side.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { identityHash } from './visitors.js';
import { agent, startWorld, type World } from '../../test-support/world.js';
import { TINY_PNG } from '../../test-support/chat.js';
import { eventually } from '../../test-support/platform.js';
import { Visitor } from '../../test-support/visitor-client.js';

const SECRET = 'a-long-random-identity-secret';
const SHOP = 'https://shop.example.com';
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

const worlds: World[] = [];
const visitors: Visitor[] = [];
afterEach(async () => {
  for (const v of visitors.splice(0)) v.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function webWorld(config: Parameters<typeof startWorld>[0] = {}) {
  const world = await startWorld({
    queues: [
      { id: 1, name: 'Support', whenNoAgentOnline: 'wait' },
      { id: 2, name: 'Night', hours: {}, whenNoAgentOnline: 'wait' },
    ],
    agents: [agent('A', { queues: [1, 2] }), { id: 'BOSS', username: 'boss', password: 'boss-password', name: 'Boss', role: 'admin' }],
    more: {
      channels: [
        {
          id: 'web',
          kind: 'web',
          queues: [1, 2],
          allowedOrigins: [SHOP],
          identitySecret: SECRET,
          preChatFields: [{ name: 'order', label: { 'zh-CN': '订单号', en: 'Order number' } }],
        },
      ],
    },
    ratings: [{ id: 1, label: { 'zh-CN': '满意', en: 'Satisfied' } }, { id: 3, label: { 'zh-CN': '不满意', en: 'Unsatisfied' } }],
    ...config,
  });
  worlds.push(world);
  return world;
}

function visitor(w: World, headers: Record<string, string> = {}): Visitor {
  const v = new Visitor(w.p.url, 'web', headers);
  visitors.push(v);
  return v;
}

describe('the web chat API', () => {
  it('carries a whole conversation between a visitor and an agent, both ways, live', async () => {
    const w = await webWorld();
    const channel = await visitor(w).expect<{ queues: unknown[]; ratings: unknown[]; preChatFields: unknown[] }>(200, 'GET', '/channel');
    expect(channel.queues).toEqual([
      { id: 1, name: 'Support', state: 'open' },
      { id: 2, name: 'Night', state: 'closed-hours' },
    ]);
    expect(channel.ratings).toHaveLength(2);

    const v = visitor(w, { 'user-agent': PHONE_UA });
    await v.visit();
    await v.connect();
    const started = await v.expect<{ state: string; place: number }>(201, 'POST', '/requests', {
      nickname: 'Ann',
      fields: { order: ' 42 ', unknown: 'dropped' },
      page: { url: `${SHOP}/cart`, title: 'Your cart' },
      language: 'en-GB',
    });
    expect(started).toMatchObject({ state: 'waiting', place: 1 });

    // Typed while queued, and sent twice (a retry): stored once, and the agent gets it first.
    const pre = await v.expect<{ message: { id: number }; duplicate: boolean }>(201, 'POST', '/messages', { text: 'hello? /::)', clientMsgId: 'm1' });
    const again = await v.expect<{ message: { id: number }; duplicate: boolean }>(201, 'POST', '/messages', { text: 'hello? /::)', clientMsgId: 'm1' });
    expect(again).toEqual({ message: pre.message, duplicate: true });

    const token = await w.login('a');
    const feed = await w.feed(token);
    await w.status(token, 'online');
    const assigned = await feed.waitFor((e) => e.name === 'chat.assigned', 'the chat');
    expect(assigned).toMatchObject({
      channelId: 'web',
      channelKind: 'web',
      nickname: 'Ann',
      from: 'MOBILE',
      visitor: { source: 'MOBILE', pageUrl: `${SHOP}/cart`, pageTitle: 'Your cart', browser: 'Chrome 131 on Android', language: 'en-GB', fields: { order: '42' }, fieldLabels: { order: { 'zh-CN': '订单号', en: 'Order number' } }, identifiedUserId: null },
      messages: [{ id: pre.message.id, kind: 'pre', text: 'hello? /::)' }],
    });
    const sessionId = assigned.id as number;
    const chatting = await v.waitForState((s) => s.state === 'chatting', 'the chat accepted');
    expect(chatting).toMatchObject({ sessionId, agent: { name: 'A' }, place: 0 });

    // Agent → visitor, live.
    const reply = await w.p.api<{ id: number }>('POST', `/api/v1/agent/sessions/${sessionId}/messages`, token, { text: 'Hi Ann /::D' });
    expect(reply.status).toBe(201);
    await v.waitFor((e) => e.name === 'message' && e.data.id === reply.body.id, 'the agent message');
    expect(v.of('message').find((m) => m.id === reply.body.id)).toMatchObject({ sender: 'agent', kind: 'text', text: 'Hi Ann /::D' });

    // Visitor → agent, live; typing both ways; the read mark back.
    v.socket!.emit('typing', { typing: true });
    await feed.waitFor((e) => e.name === 'chat.typing' && e.data.sessionId === sessionId && e.data.typing === true, 'the customer typing');
    const sent = await v.expect<{ message: { id: number } }>(201, 'POST', '/messages', { text: 'my order is late', clientMsgId: 'm2' });
    await feed.waitFor((e) => e.name === 'chat.message' && e.data.id === sent.message.id, 'the customer message');
    feed.socket.emit('chat.typing', { sessionId, typing: true }, () => undefined);
    await v.waitFor((e) => e.name === 'typing' && e.data.typing === true, 'the agent typing');
    const ack = await feed.socket.emitWithAck('chat.read', { sessionId, upTo: sent.message.id + 1000 });
    expect(ack).toEqual({ ok: true });
    // Never past the customer's newest message.
    await v.waitForState((s) => s.agentReadUpTo === sent.message.id, 'the read mark');

    // An image, served to this visitor only.
    const image = await v.expect<{ message: { image: { url: string } } }>(201, 'POST', '/images', { name: 'cart.png', dataUri: TINY_PNG, clientMsgId: 'm3' });
    const bytes = await fetch(`${w.p.url}${image.message.image.url}`, { headers: { authorization: `Bearer ${v.token}` } });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toBe('image/png');
    const stranger = visitor(w);
    await stranger.visit();
    expect((await fetch(`${w.p.url}${image.message.image.url}`, { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
    expect((await stranger.expect<{ messages: unknown[] }>(200, 'GET', '/messages?after=0')).messages).toEqual([]);

    // Catching up after an id gives exactly what came after, in order.
    const caught = await v.expect<{ messages: { id: number }[] }>(200, 'GET', `/messages?after=${pre.message.id}`);
    expect(caught.messages.map((m) => m.id)).toEqual([reply.body.id, sent.message.id, (image.message as unknown as { id: number }).id]);

    // The customer ends it; a rating on the scale; the transcript.
    const ended = await v.expect<{ state: string; closedBy: string }>(200, 'POST', '/close');
    expect(ended).toMatchObject({ state: 'ended', closedBy: 'customer' });
    await feed.waitFor((e) => e.name === 'chat.closed' && e.data.sessionId === sessionId, 'the chat closed');
    const off = await v.call<{ error: { code: string; message: string } }>('POST', '/rating', { ratingId: 2 });
    expect(off.status).toBe(400);
    expect(off.body.error.message).toContain('allowed: 1, 3');
    expect(await v.expect(200, 'POST', '/rating', { ratingId: 3, comments: 'slow' })).toMatchObject({ rating: { ratingId: 3, comments: 'slow' } });
    const transcript = await v.call<string>('GET', '/transcript?lang=en');
    expect(transcript.headers.get('content-disposition')).toBe(`attachment; filename="chat-${sessionId}.txt"`);
    expect(transcript.body).toContain('You: hello? 😊');
    expect(transcript.body).toContain('A: Hi Ann');
    expect(transcript.body).toContain('— Rated: Unsatisfied (slow)');
    expect(transcript.body).toContain('— You ended the chat');

    // A reload: the same token, the same conversation.
    const back = await v.expect<{ visitorId: string; conversation: { state: string }; messages: { id: number }[] }>(200, 'GET', '/conversation');
    expect(back.visitorId).toBe(v.visitorId);
    expect(back.conversation.state).toBe('ended');
    expect(back.messages.map((m) => m.id)).toContain(sent.message.id);
    feed.close();
  });

  it('lets a visitor whose chat the agent moved to a queue stop waiting, or end it, as a waiting visitor would', async () => {
    const w = await webWorld();
    const token = await w.login('a');
    await w.status(token, 'online');
    const feed = await w.feed(token);
    for (const how of ['/cancel', '/close'] as const) {
      const v = visitor(w);
      await v.visit();
      await v.connect();
      await v.expect(201, 'POST', '/requests', { nickname: `Ann${how}` });
      const sessionId = (await feed.waitFor((e) => e.name === 'chat.assigned' && e.data.nickname === `Ann${how}`, 'the chat')).id as number;
      await v.waitForState((s) => s.state === 'chatting', 'the chat accepted');
      // A moves it to the queue it came from: A, who sent it, does not get it back, so it waits.
      expect(await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, token, { toQueueId: 1 })).toMatchObject({ status: 200, body: { status: 'queued' } });
      expect(await v.expect(200, 'GET', '/conversation')).toMatchObject({ conversation: { state: 'waiting' } });
      // Still heard while it waits, and then the visitor gives up.
      await v.expect(201, 'POST', '/messages', { text: 'still there?', clientMsgId: `w${how.slice(1)}` });
      expect(await v.expect(200, 'POST', how)).toMatchObject({ state: 'ended', closedBy: 'customer' });
      const session = await w.p.platform.store.db.selectFrom('sessions').select(['status', 'closed_by']).where('id', '=', sessionId).executeTakeFirstOrThrow();
      expect(session).toEqual({ status: 'closed', closed_by: 'customer' });
      // Nobody gets it afterwards: the request no longer waits either.
      expect(await w.p.platform.store.db.selectFrom('chat_requests').select('status').where('session_id', '=', sessionId).executeTakeFirstOrThrow()).toEqual({ status: RequestStatus.CANCELED_BY_CLIENT });
    }
    feed.close();
  });

  it('passes on a visitor\u2019s typing as changes, at most one start a second, however fast a script sends them', async () => {
    const w = await webWorld();
    const token = await w.login('a');
    await w.status(token, 'online');
    const feed = await w.feed(token);
    const v = visitor(w);
    await v.visit();
    await v.connect();
    await v.expect(201, 'POST', '/requests', { nickname: 'Flood' });
    const sessionId = (await feed.waitFor((e) => e.name === 'chat.assigned', 'the chat')).id as number;
    await v.waitForState((s) => s.state === 'chatting', 'the chat accepted');
    for (let i = 0; i < 200; i++) v.socket!.emit('typing', { typing: i % 2 === 0 });
    await feed.waitFor((e) => e.name === 'chat.typing' && e.data.sessionId === sessionId && e.data.typing === false, 'the stop');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The first start and the stop after it; the other 99 starts came within the same second (or
    // two, on a slow machine), and stops with no start before them change nothing.
    const told = feed.events.filter((e) => e.name === 'chat.typing').map((e) => e.data.typing);
    expect(told.slice(0, 2)).toEqual([true, false]);
    expect(told.length).toBeLessThanOrEqual(4);
    feed.close();
  });

  it('ends a visitor\u2019s feed when its token expires', async () => {
    const w = await webWorld();
    const v = visitor(w);
    await v.visit();
    await w.p.platform.store.db.updateTable('visitor_tokens').set({ expires_at: Date.now() + 1_000 }).where('visitor_id', '=', v.visitorId).execute();
    await v.connect();
    const ended = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the feed outlived its token')), 10_000);
      v.socket!.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
    expect(ended).toBe('io server disconnect');
  });

  it('keeps a visitor to their own conversation: tokens, identities, channels', async () => {
    const w = await webWorld();
    const anon = visitor(w);
    await anon.visit();
    const first = anon.visitorId;
    expect((await anon.visit()).body).toMatchObject({ visitorId: first, identified: false });

    // A forged token, or none, reaches nothing.
    anon.token = 'forged';
    expect((await anon.call<{ error: { code: string } }>('GET', '/conversation')).body.error.code).toBe('UNAUTHENTICATED');

    // An identified user is the same visitor on every device, and only with a valid hash.
    const laptop = visitor(w);
    const phone = visitor(w);
    const hash = identityHash(SECRET, 'user-7');
    await laptop.visit({ userId: 'user-7', hash });
    await phone.visit({ userId: 'user-7', hash: hash.toUpperCase() });
    expect(phone.visitorId).toBe(laptop.visitorId);
    const forged = visitor(w);
    expect((await forged.visit({ userId: 'user-8', hash })).status).toBe(401);
    // After a log-out on a shared computer, the identified conversation is not reused.
    await laptop.visit();
    expect(laptop.visitorId).not.toBe(phone.visitorId);

    // A web channel takes no TPI calls, and a TPI channel is no web chat.
    expect((await w.p.tpi({ type: 1000, clientId: 'x', queueId: 1 }, { 'x-webchat-channel': 'web' })).result).toBe(-8);
    expect((await new Visitor(w.p.url, 'ch').call('GET', '/channel')).status).toBe(404);
    // Nor can an admin give it a third party's settings.
    const admin = await w.p.login('boss', 'boss-password');
    const channels = await w.p.api<{ channels: { id: string; kind: string; web: unknown }[] }>('GET', '/api/v1/admin/channels', admin);
    expect(channels.body.channels.find((c) => c.id === 'web')).toMatchObject({
      kind: 'web',
      web: { queues: [1, 2], allowedOrigins: [SHOP], verifiesIdentities: true, preChatFields: ['order'] },
    });
    expect(JSON.stringify(channels.body)).not.toContain(SECRET);
    expect((await w.p.api('PUT', '/api/v1/admin/channels/web', admin, { callbackBase: 'http://127.0.0.1:1' })).status).toBe(409);
  });

  it('answers only pages of this platform and of allowedOrigins', async () => {
    const w = await webWorld();
    const evil = visitor(w, { origin: 'https://evil.example' });
    const refused = await evil.call<{ error: { code: string; message: string } }>('POST', '/visitor', {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('allowedOrigins');
    const shop = visitor(w, { origin: SHOP });
    expect((await shop.visit()).status).toBe(200);
    const self = visitor(w, { origin: w.p.url });
    expect((await self.visit()).status).toBe(200);
    // The live feed too.
    const sneaky = visitor(w, { origin: 'https://evil.example' });
    sneaky.token = shop.token;
    await expect(sneaky.connect()).rejects.toThrow(/forbidden/);

    // The hosted page may be framed by the platform and the shop only.
    const page = await fetch(`${w.p.url}/chat/web`);
    if (page.status === 200) {
      expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${SHOP}`);
      // Served compressed as the browser asks, the hashed assets cached for good.
      const html = await page.text();
      const asset = /src="(\/chat\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset, html).toBeDefined();
      const script = await fetch(`${w.p.url}${asset}`, { headers: { 'accept-encoding': 'br' } });
      expect(script.headers.get('content-encoding')).toBe('br');
      expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await script.text()).length).toBeGreaterThan(10_000);
      const loader = await fetch(`${w.p.url}/widget.js`, { headers: { 'accept-encoding': 'gzip' } });
      expect(loader.headers.get('content-encoding')).toBe('gzip');
      expect(await loader.text()).toContain('ewc-launcher');
    } else {
      // Not built in this checkout: says so.
      expect(page.status).toBe(503);
    }
    expect((await fetch(`${w.p.url}/chat/nope`)).status).toBe(404);
  });

  it('lets a visitor leave a message when the queue is closed; its agents see it and one handles it', async () => {
    const w = await webWorld();
    const v = visitor(w);
    await v.visit();
    // Waiting, then not: the request ends as cancelled by the customer.
    expect(await v.expect(201, 'POST', '/requests', { nickname: 'Bo' })).toMatchObject({ state: 'waiting', place: 1, queueId: 1 });
    expect(await v.expect(200, 'POST', '/cancel')).toMatchObject({ state: 'idle', requestStatus: 7, place: 0 });
    const closed = await v.call<{ error: { code: string } }>('POST', '/requests', { nickname: 'Bo', queueId: 2 });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('OUTSIDE_WORKING_HOURS');
    const notOffered = await v.call<{ error: { code: string } }>('POST', '/requests', { nickname: 'Bo', queueId: 9 });
    expect(notOffered.status).toBe(404);

    const token = await w.login('a');
    const feed = await w.feed(token);
    const left = await v.expect<{ id: number }>(201, 'POST', '/left-messages', { name: 'Bo', contact: 'bo@example.com', text: 'Call me <b>tomorrow</b>', queueId: 2 });
    await feed.waitFor((e) => e.name === 'left-messages.changed', 'the left messages changed');
    const board = async () => (await w.p.api<{ queues: { id: number; leftMessagesOpen: number }[] }>('GET', '/api/v1/supervisor/board', await w.p.login('boss', 'boss-password'))).body.queues;
    expect((await board()).map((q) => [q.id, q.leftMessagesOpen])).toEqual([[1, 0], [2, 1]]);
    const list = await w.p.api<{ leftMessages: { id: number; contact: string; text: string; queueId: number }[] }>('GET', '/api/v1/agent/left-messages', token);
    expect(list.body.leftMessages).toEqual([expect.objectContaining({ id: left.id, contact: 'bo@example.com', text: 'Call me <b>tomorrow</b>', queueId: 2 })]);
    expect((await w.p.api('POST', `/api/v1/agent/left-messages/${left.id}/handled`, token)).status).toBe(200);
    expect((await w.p.api('POST', `/api/v1/agent/left-messages/${left.id}/handled`, token)).status).toBe(409);
    expect((await w.p.api<{ leftMessages: unknown[] }>('GET', '/api/v1/agent/left-messages', token)).body.leftMessages).toEqual([]);
    expect((await w.p.api<{ leftMessages: unknown[] }>('GET', '/api/v1/agent/left-messages?status=handled', token)).body.leftMessages).toHaveLength(1);
    expect((await board()).map((q) => [q.id, q.leftMessagesOpen])).toEqual([[1, 0], [2, 0]]);
    feed.close();
  });

  it('limits a visitor who calls too often, with a clear answer', async () => {
    const w = await webWorld({ config: { webchatRate: { visitor: { perSecond: 1, burst: 3 }, address: { perSecond: 1_000, burst: 1_000 } } } });
    const v = visitor(w);
    await v.visit();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await v.call('GET', '/conversation')).status);
    expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(4);
    const limited = await v.call<{ error: { code: string; message: string } }>('GET', '/conversation');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });

    // New visitors from one address are limited too, whatever made-up token they send; a
    // visitor coming back with a valid token is not a new one.
    const w2 = await webWorld({ config: { webchatRate: { visitor: { perSecond: 1_000, burst: 1_000 }, address: { perSecond: 1, burst: 2 } } } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await new Visitor(w2.p.url, 'web').call('POST', '/visitor', { token: `made-up-${i}` })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    const back = visitor(w2);
    await eventually(async () => (await back.visit()).status === 200, 5_000, 'a new visitor after the limit');
    for (let i = 0; i < 4; i++) expect((await back.visit()).status).toBe(200);
  });

  it('checks a TPI rating against the scale when there is one', async () => {
    const w = await webWorld();
    await w.online('a');
    const sessionId = await w.openChat('c1');
    const refused = await w.p.tpi({ type: 5001, sessionId, ratingId: 7, comments: '' });
    expect(refused.result).toBe(-8);
    expect(refused.message).toContain('allowed: 1, 3');
    expect((await w.p.tpi({ type: 5001, sessionId, ratingId: 1, comments: '' })).result).toBe(1);
    await eventually(async () => (await w.p.api<{ ratings: unknown[] }>('GET', '/api/v1/agent/ratings', await w.login('a'))).body.ratings.length === 2);
  });
});
