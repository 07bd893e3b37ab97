/**
 * Transfers: an agent hands a chat to another agent (online with room, else 409) or to a
 * queue; a supervisor assigns a waiting request or moves a chat. The session keeps its id and
 * its whole history; the third party learns the new agent by a new `create` for the same
 * session; a chat sent to a queue keeps its first arrival for its place and is not routed back
 * to who sent it.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, manualClock } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

type Session = { id: number; agentId: string; status: string; messages: { kind: string; sender: string; text?: string; event?: Record<string, unknown> }[] };

describe('transfers', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('moves a chat to another agent with its history and a note; the third party gets a new create for the same session', async () => {
    w = await startWorld({ agents: [agent('A'), agent('B', { maxChats: 1 }), agent('C')] });
    const { p, tp } = w;
    const a = await w.online('a');
    const feedA = await w.feed(a);
    const sessionId = await w.openChat('c1');
    await p.tpi({ type: 2001, sessionId, clientId: 'c1', text: 'my parcel is lost' });
    await p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, a, { text: 'let me check' });

    // Not online, or no room: 409 saying which; nothing moves.
    const offline = await p.api<{ error: { message: string } }>('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, a, { toAgentId: 'C' });
    expect(offline.status).toBe(409);
    expect(offline.body.error.message).toBe('agent C is offline: a chat goes only to an online agent');
    const b = await w.online('b');
    const other = await p.tpi({ type: 1000, clientId: 'c-other', queueId: 1 });
    await eventually(async () => (await p.tpi({ type: 1001, requestId: other.requestId })).requestStatus === RequestStatus.ACCEPTED || undefined, 5_000, 'B busy');
    const full = await p.api<{ error: { message: string } }>('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, a, { toAgentId: 'B' });
    expect(full.status).toBe(409);
    expect(full.body.error.message).toBe('agent B has no room: 1 chats of 1 (maxChats)');
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, a, { toAgentId: 'A' })).status).toBe(409);
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, a, { toAgentId: 'C', toQueueId: 1 })).status).toBe(400);
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, b, { toAgentId: 'C' })).status).toBe(404);

    const c = await w.online('c');
    const feedC = await w.feed(c);
    const moved = await p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, a, { toAgentId: 'C', note: 'VIP, refund approved' });
    expect(moved).toEqual({ status: 200, body: { sessionId, status: 'open', agentId: 'C', queueId: 1 } });
    const creates = await tp.waitFor(() => (tp.ofName('create').filter((x) => x.body.sessionId === sessionId).length === 2 ? tp.ofName('create').filter((x) => x.body.sessionId === sessionId) : undefined));
    expect(creates.map((x) => x.body.agentId)).toEqual(['A', 'C']);
    await feedA.waitFor((e) => e.name === 'chat.closed' && e.data.sessionId === sessionId, 'chat.closed for A');
    await feedC.waitFor((e) => e.name === 'chat.assigned' && e.data.id === sessionId, 'chat.assigned for C');
    expect((await p.api('GET', `/api/v1/agent/sessions/${sessionId}`, a)).status).toBe(404);
    const view = await p.api<Session>('GET', `/api/v1/agent/sessions/${sessionId}`, c);
    expect(view.body).toMatchObject({ agentId: 'C', status: 'open' });
    expect(view.body.messages.map((m) => m.text ?? m.event?.event)).toEqual(['my parcel is lost', 'let me check', 'transferred']);
    expect(view.body.messages[2]!.event).toEqual({ event: 'transferred', from: 'A', toAgentId: 'C', toQueueId: null, note: 'VIP, refund approved', by: 'A' });
    // The customer's next message reaches C, and C's reply goes out as C's.
    await p.tpi({ type: 2001, sessionId, clientId: 'c1', text: 'thanks' });
    await feedC.waitFor((e) => e.name === 'chat.message' && e.data.text === 'thanks', 'the customer message at C');
    await p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, c, { text: 'refund sent' });
    const msg = await tp.waitFor(() => tp.ofName('msg').find((x) => x.body.content === 'refund sent'));
    expect(msg.body).toMatchObject({ sessionId, agentId: 'C' });
  });

  it('sends a chat back to a queue, where it keeps its first place, takes the customer\'s messages and is not routed back to its sender', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 7, 3, 0, 0));
    w = await startWorld({
      clock: clock.now,
      queues: [{ id: 1, name: 'first line', whenNoAgentOnline: 'wait' }, { id: 2, name: 'experts', whenNoAgentOnline: 'wait', maxWaitSeconds: 600 }],
      agents: [agent('A', { queues: [1, 2], maxChats: 2 }), agent('E', { queues: [2], maxChats: 1 })],
    });
    const { p, tp } = w;
    const a = await w.online('a');
    const sessionId = await w.openChat('c1');
    const original = await p.platform.store.db.selectFrom('sessions').select('request_id').where('id', '=', sessionId).executeTakeFirstOrThrow();
    clock.advance(1_000);
    // A takes a second chat and is full; a later request waits in queue 2 (E is offline).
    const e = await w.login('e');
    await w.openChat('c-second', 2);
    const later = await p.tpi({ type: 1000, clientId: 'c-later', queueId: 2 });
    await p.platform.router.wake();
    expect(await p.tpi({ type: 1001, requestId: later.requestId })).toMatchObject({ requestStatus: RequestStatus.WAITING, queueLength: 1 });

    const sent = await p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, a, { toQueueId: 2, note: 'needs an expert' });
    expect(sent).toEqual({ status: 200, body: { sessionId, status: 'queued', agentId: null, queueId: 2 } });
    // A has room again. The transferred chat waits as its first request, ahead of the later one,
    // but A, who sent it, does not get it back: A gets the later one.
    const laterCreate = await tp.waitFor(() => tp.ofName('create').find((x) => x.body.clientId === 'c-later'));
    expect(laterCreate.body.agentId).toBe('A');
    expect(await p.tpi({ type: 1001, requestId: original.request_id })).toMatchObject({ requestStatus: RequestStatus.WAITING, queueLength: 1 });
    expect((await p.api('GET', `/api/v1/agent/sessions/${sessionId}`, a)).status).toBe(404);
    // The customer writes meanwhile: kept for the next agent. Cancelling the request is not the way to end it.
    expect((await p.tpi({ type: 2001, sessionId, clientId: 'c1', text: 'still there?' })).result).toBe(1);
    expect((await p.tpi({ type: 2005, requestId: original.request_id, text: 'hello?' })).result).toBe(1);
    const cancel = await p.tpi({ type: 1002, requestId: original.request_id });
    expect(cancel.result).not.toBe(1);
    expect(cancel.message).toContain('end it with 4001');

    // E comes online with one place: the transferred chat, first in line, goes to E.
    await w.status(e, 'online');
    const creates = await tp.waitFor(() => (tp.ofName('create').filter((x) => x.body.sessionId === sessionId).length === 2 ? tp.ofName('create').filter((x) => x.body.sessionId === sessionId) : undefined));
    expect(creates.map((x) => x.body.agentId)).toEqual(['A', 'E']);
    const view = await p.api<Session>('GET', `/api/v1/agent/sessions/${sessionId}`, e);
    expect(view.body).toMatchObject({ agentId: 'E', status: 'open' });
    expect(view.body.messages.map((m) => [m.kind, m.text ?? m.event?.event])).toEqual([['event', 'transferred'], ['text', 'still there?'], ['text', 'hello?']]);
    expect((await p.tpi({ type: 1001, requestId: original.request_id })).requestStatus).toBe(RequestStatus.ACCEPTED);
  });

  it('ends a chat that waited in a queue past its maxWaitSeconds, and tells the third party', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 7, 3, 0, 0));
    w = await startWorld({
      clock: clock.now,
      queues: [{ id: 1, name: 'first line', whenNoAgentOnline: 'wait' }, { id: 2, name: 'experts', whenNoAgentOnline: 'wait', maxWaitSeconds: 60 }],
      agents: [agent('A', { queues: [1] }), agent('E', { queues: [2] })],
    });
    const { p, tp } = w;
    const a = await w.online('a');
    const sessionId = await w.openChat('c1');
    // Two minutes of chat, then to queue 2: its wait there counts from the transfer.
    clock.advance(120_000);
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, a, { toQueueId: 2 })).status).toBe(200);
    await p.platform.sweeper.sweep();
    expect((await p.platform.store.db.selectFrom('sessions').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow()).status).toBe('queued');
    clock.advance(60_000);
    await p.platform.sweeper.sweep();
    const close = await tp.waitFor(() => tp.ofName('close').find((x) => x.body.sessionId === sessionId));
    expect(close.body).toMatchObject({ agentId: 'A', clientId: 'c1' });
    expect((await p.tpi({ type: 2001, sessionId, clientId: 'c1', text: 'hello?' })).result).not.toBe(1);
  });

  it('lets a supervisor assign a waiting request to a chosen agent and move a chat between agents', async () => {
    w = await startWorld({
      queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }, { id: 5, name: 'by hand', assignment: 'manual', whenNoAgentOnline: 'wait' }],
      agents: [agent('A', { queues: [1, 5] }), agent('B', { queues: [1] }), agent('S', { queues: [], role: 'supervisor' })],
    });
    const { p, tp } = w;
    const s = await w.login('s');
    const a = await w.online('a');
    const { requestId } = await p.tpi({ type: 1000, clientId: 'c1', queueId: 5 });
    const listed = await p.api<{ requests: { requestId: number; place: number }[] }>('GET', '/api/v1/supervisor/requests', s);
    expect(listed.body.requests).toEqual([expect.objectContaining({ requestId, place: 1 })]);
    expect((await p.api('POST', `/api/v1/supervisor/requests/${requestId}/assign`, s, { agentId: 'B' })).status).toBe(409);
    expect((await p.api('POST', `/api/v1/supervisor/requests/${requestId}/assign`, a, { agentId: 'A' })).status).toBe(403);
    const assigned = await p.api<{ sessionId: number }>('POST', `/api/v1/supervisor/requests/${requestId}/assign`, s, { agentId: 'A' });
    expect(assigned.status).toBe(200);
    const { sessionId } = assigned.body;
    expect((await p.tpi({ type: 1001, requestId })).requestStatus).toBe(RequestStatus.ACCEPTED);
    expect((await p.api('POST', `/api/v1/supervisor/requests/${requestId}/assign`, s, { agentId: 'A' })).status).toBe(409);

    const b = await w.online('b');
    const moved = await p.api('POST', `/api/v1/supervisor/sessions/${sessionId}/move`, s, { toAgentId: 'B', note: 'A is leaving' });
    expect(moved).toEqual({ status: 200, body: { sessionId, status: 'open', agentId: 'B', queueId: 5 } });
    await tp.waitFor(() => tp.ofName('create').filter((x) => x.body.sessionId === sessionId).length === 2 || undefined);
    const view = await p.api<Session>('GET', `/api/v1/agent/sessions/${sessionId}`, b);
    expect(view.body.messages.at(-1)!.event).toEqual({ event: 'transferred', from: 'A', toAgentId: 'B', toQueueId: null, note: 'A is leaving', by: 'S' });
  });
});
