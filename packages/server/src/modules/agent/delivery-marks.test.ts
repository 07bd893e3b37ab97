/**
 * What agents see of their own replies, through the real platform: a third party on loopback
 * that answers or fails, the agent API and feed, a supervisor's feed and redelivery, and web-chat
 * visitors acknowledging over their own sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryView, MessageView, SessionView } from '@elitewebchat/protocol';
import type { AgentFeed } from '../../test-support/agent-client.js';
import { Visitor } from '../../test-support/visitor-client.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

const worlds: World[] = [];
const visitors: Visitor[] = [];
afterEach(async () => {
  for (const v of visitors.splice(0)) v.close();
  for (const w of worlds.splice(0)) await w.close();
});

const SUPERVISOR = agent('S', { role: 'supervisor', queues: [] });

async function world(options: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  const w = await startWorld({ agents: [agent('A', { maxChats: 5 }), SUPERVISOR], ...options });
  worlds.push(w);
  return w;
}

/** The agent's reply as the agent API shows it now. */
async function replyIn(w: World, token: string, sessionId: number, messageId: number): Promise<MessageView | undefined> {
  const res = await w.p.api<SessionView>('GET', `/api/v1/agent/sessions/${sessionId}`, token);
  return res.body.messages.find((m) => m.id === messageId);
}

const deliveries = (feed: AgentFeed, messageId: number) => feed.of('message.delivery').filter((e) => e.messageId === messageId).map((e) => e.delivery as DeliveryView);

async function reply(w: World, token: string, sessionId: number, text: string): Promise<MessageView> {
  const res = await w.p.api<MessageView>('POST', `/api/v1/agent/sessions/${sessionId}/messages`, token, { text });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('delivery marks of TPI replies', () => {
  it('goes sent → delivered when the third party answers result 1', async () => {
    const w = await world();
    const token = await w.online('a');
    const feed = await w.feed(token);
    const sessionId = await w.openChat('c-ok');
    const sent = await reply(w, token, sessionId, 'hello there');
    // The answer to sending it: stored, nothing heard back yet.
    expect(sent.delivery).toEqual({ state: 'sent', attempts: 0, lastError: null, callbackId: null });
    const delivered = await feed.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === sent.id, 'the delivered mark');
    expect(delivered).toMatchObject({ sessionId, messageId: sent.id, delivery: { state: 'delivered', attempts: 1, lastError: null } });
    const callbackId = (delivered.delivery as DeliveryView).callbackId;
    expect(callbackId).toBeGreaterThan(0);
    // The agent API shows the same, in a session and in its pages and lists.
    expect((await replyIn(w, token, sessionId, sent.id))?.delivery).toEqual({ state: 'delivered', attempts: 1, lastError: null, callbackId });
    const page = await w.p.api<{ messages: MessageView[] }>('GET', `/api/v1/agent/sessions/${sessionId}/messages?after=0`, token);
    expect(page.body.messages.find((m) => m.id === sent.id)?.delivery?.state).toBe('delivered');
    const list = await w.p.api<{ sessions: SessionView[] }>('GET', '/api/v1/agent/sessions', token);
    expect(list.body.sessions[0]?.messages.find((m) => m.id === sent.id)?.delivery?.state).toBe('delivered');
    // The customer's own messages carry no mark.
    await w.p.tpi({ type: 2001, sessionId, clientId: 'c-ok', text: 'thanks' });
    const customer = await feed.waitFor((e) => e.name === 'chat.message' && e.data.sender === 'customer', 'the customer message');
    expect(customer.delivery).toBeUndefined();
  });

  it('shows retrying with attempts and the last error, then failed; a supervisor redelivers it and it is delivered', async () => {
    let down = true;
    const w = await world({ config: { delivery: { windowMs: 400, baseBackoffMs: 20, maxBackoffMs: 40 } } });
    w.tp.answer = (name) => (down && name === 'msg' ? { status: 500, body: { result: 0, message: 'down' } } : 'ok');
    const token = await w.online('a');
    const feed = await w.feed(token);
    const sessionId = await w.openChat('c-down');
    const boss = await w.login('s');
    const watcher = await w.feed(boss);
    expect(await watcher.socket.emitWithAck('session.watch', { sessionId })).toEqual({ ok: true });

    const sent = await reply(w, token, sessionId, 'are you there?');
    const failed = await feed.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === sent.id && (e.data.delivery as DeliveryView).state === 'failed', 'the failed mark');
    const marks = deliveries(feed, sent.id);
    // Every attempt told, in order: retrying with the attempts so far, then the dead letter.
    expect(marks.slice(0, -1).every((d) => d.state === 'retrying' && d.lastError === 'HTTP 500')).toBe(true);
    expect(marks.slice(0, -1).map((d) => d.attempts)).toEqual(marks.slice(0, -1).map((_, i) => i + 1));
    expect(marks.length).toBeGreaterThanOrEqual(2);
    const dead = failed.delivery as DeliveryView;
    expect(dead).toMatchObject({ state: 'failed', attempts: marks.length, lastError: 'HTTP 500' });
    expect((await replyIn(w, token, sessionId, sent.id))?.delivery).toEqual(dead);
    // Whoever watches the session sees the same.
    await watcher.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === sent.id && (e.data.delivery as DeliveryView).state === 'failed', 'the watcher told');

    // Only supervisors and admins send it again, and only a dead one.
    const path = `/api/v1/supervisor/callbacks/${dead.callbackId}/redeliver`;
    expect((await w.p.api('POST', path, token)).status).toBe(403);
    expect((await w.p.api('POST', '/api/v1/supervisor/callbacks/999999/redeliver', boss)).status).toBe(404);
    down = false;
    const again = await w.p.api<DeliveryView>('POST', path, boss);
    expect(again).toEqual({ status: 200, body: { state: 'sent', attempts: 0, lastError: null, callbackId: dead.callbackId } });
    await watcher.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === sent.id && (e.data.delivery as DeliveryView).state === 'delivered', 'delivered, told to the watcher');
    await feed.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === sent.id && (e.data.delivery as DeliveryView).state === 'delivered', 'delivered, told to the agent');
    expect((await replyIn(w, token, sessionId, sent.id))?.delivery).toEqual({ state: 'delivered', attempts: 1, lastError: null, callbackId: dead.callbackId });
    expect(w.tp.ofName('msg').filter((m) => m.body.content === 'are you there?')).toHaveLength(1);
    const conflict = await w.p.api<{ error: { code: string } }>('POST', path, boss);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('CONFLICT');
  });
});

describe('delivery marks of web-chat replies', () => {
  async function webChat(w: World, name: string): Promise<{ v: Visitor; sessionId: number }> {
    const v = new Visitor(w.p.url, 'web');
    visitors.push(v);
    await v.visit();
    await v.connect();
    await v.expect(201, 'POST', '/requests', { nickname: name });
    const state = await v.waitForState((s) => s.state === 'chatting', `${name}'s chat accepted`);
    return { v, sessionId: state.sessionId as number };
  }

  const marksOf = (feed: AgentFeed, state: string) =>
    feed
      .of('message.delivery')
      .filter((e) => (e.delivery as DeliveryView).state === state)
      .map((e) => e.messageId as number);

  it('moves a reply to delivered when a page of the visitor has it and to read when seen, for the visitor’s own chat only', async () => {
    const w = await world({ more: { channels: [{ id: 'web', kind: 'web', queues: [1] }] } });
    const token = await w.online('a');
    const feed = await w.feed(token);
    const ann = await webChat(w, 'Ann');
    const bob = await webChat(w, 'Bob');

    const r1 = await reply(w, token, ann.sessionId, 'first');
    const fromAnn = await ann.v.expect<{ message: { id: number } }>(201, 'POST', '/messages', { text: 'hi', clientMsgId: 'a1' });
    const r2 = await reply(w, token, ann.sessionId, 'second');
    expect(r2.delivery?.state).toBe('sent');

    // A customer's message is no reply to acknowledge: nothing delivered. (One socket's marks are stored in order.)
    ann.v.socket!.emit('received', { upTo: fromAnn.message.id });
    ann.v.socket!.emit('read', { upTo: r1.id });
    await feed.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === r1.id, 'r1 read');
    expect(marksOf(feed, 'read')).toEqual([r1.id]);
    expect(marksOf(feed, 'delivered')).toEqual([]);
    expect((await replyIn(w, token, ann.sessionId, r1.id))?.delivery).toEqual({ state: 'read', attempts: 0, lastError: null, callbackId: null });

    // Received up to the second: only it becomes delivered (the first stays read).
    ann.v.socket!.emit('received', { upTo: r2.id });
    await feed.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === r2.id, 'r2 delivered');
    expect(marksOf(feed, 'delivered')).toEqual([r2.id]);
    expect((await replyIn(w, token, ann.sessionId, r1.id))?.delivery?.state).toBe('read');
    expect((await replyIn(w, token, ann.sessionId, r2.id))?.delivery?.state).toBe('delivered');

    // Bob cannot mark Ann's replies; his own marks still work.
    const b1 = await reply(w, token, bob.sessionId, 'hello Bob');
    bob.v.socket!.emit('read', { upTo: r2.id });
    bob.v.socket!.emit('read', { upTo: b1.id });
    await feed.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === b1.id, "Bob's own reply read");
    expect(marksOf(feed, 'read')).toEqual([r1.id, b1.id]);
    expect((await replyIn(w, token, ann.sessionId, r2.id))?.delivery?.state).toBe('delivered');

    // A mark never goes back: another tab of Ann's sends an older one, then a newer one moves only what is new.
    const tab = new Visitor(w.p.url, 'web');
    visitors.push(tab);
    tab.token = ann.v.token;
    await tab.connect();
    const r3 = await reply(w, token, ann.sessionId, 'third');
    tab.socket!.emit('received', { upTo: r1.id });
    tab.socket!.emit('received', { upTo: r3.id });
    await feed.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === r3.id, 'r3 delivered');
    expect(marksOf(feed, 'delivered')).toEqual([r2.id, r3.id]);
    tab.socket!.emit('read', { upTo: r3.id });
    await feed.waitFor((e) => e.name === 'message.delivery' && e.data.messageId === r3.id && (e.data.delivery as DeliveryView).state === 'read', 'r3 read');
    expect(marksOf(feed, 'read')).toEqual([r1.id, b1.id, r2.id, r3.id]);
    const session = await w.p.api<SessionView>('GET', `/api/v1/agent/sessions/${ann.sessionId}`, token);
    expect(session.body.messages.filter((m) => m.sender === 'agent').map((m) => m.delivery?.state)).toEqual(['read', 'read', 'read']);
  });
});
