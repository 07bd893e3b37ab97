/**
 * Queues that route by offer: the chosen agent sees the chat offered with a deadline and
 * accepts or declines; a decline or a time-out passes it on and is never offered to them again;
 * REFUSED (2) when every online agent refused it or the queue's maxRefusals is reached; an agent
 * who lets offers run out is set away, not responding, and the board shows it.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, manualClock } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

type Offer = { requestId: number; deadline: number; nickname: string; preMessages: { kind: string; text?: string }[] };

describe('offers', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  const offersOf = async (token: string) => (await w!.p.api<{ offers: Offer[] }>('GET', '/api/v1/agent/offers', token)).body.offers;

  it('offers a request with its pre-messages and deadline; it waits in its place until accepted, and only the one offered can accept it', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 7, 3, 0, 0));
    w = await startWorld({ clock: clock.now, queues: [{ id: 7, name: 'offered', assignment: 'offer', offerTimeoutSeconds: 30, whenNoAgentOnline: 'wait' }], agents: [agent('A', { queues: [7], maxChats: 1 }), agent('B', { queues: [7] })] });
    const { p, tp } = w;
    const first = await p.tpi({ type: 1000, clientId: 'c1', nickname: 'Ann', queueId: 7 });
    await p.tpi({ type: 2005, requestId: first.requestId, text: 'my order is late' });
    const a = await w.login('a');
    const feed = await w.feed(a);
    await w.status(a, 'online');
    const offered = await feed.waitFor((e) => e.name === 'offer.new', 'offer.new');
    expect(offered).toMatchObject({ requestId: first.requestId, nickname: 'Ann', deadline: clock.now() + 30_000, preMessages: [{ kind: 'pre', text: 'my order is late' }] });
    expect(await offersOf(a)).toEqual([expect.objectContaining({ requestId: first.requestId, deadline: clock.now() + 30_000 })]);

    // Still waiting to the third party, in its place, while offered.
    const second = await p.tpi({ type: 1000, clientId: 'c2', queueId: 7 });
    expect(await p.tpi({ type: 1001, requestId: first.requestId })).toMatchObject({ requestStatus: RequestStatus.WAITING, queueLength: 1 });
    expect(second.queueLength).toBe(2);

    // B has nothing offered: accepting or declining it is a 409.
    const b = await w.online('b');
    await eventually(async () => (await offersOf(b)).some((o) => o.requestId === second.requestId), 5_000, 'the second request offered to B');
    const notMine = await p.api<{ error: { message: string } }>('POST', `/api/v1/agent/offers/${first.requestId}/accept`, b);
    expect(notMine.status).toBe(409);
    expect(notMine.body.error.message).toContain(`request ${first.requestId} is not offered to you`);
    expect((await p.api('POST', `/api/v1/agent/offers/${first.requestId}/decline`, b, {})).status).toBe(409);

    const accepted = await p.api<{ id: number; agentId: string; messages: { kind: string; text?: string }[] }>('POST', `/api/v1/agent/offers/${first.requestId}/accept`, a);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ agentId: 'A', messages: [{ kind: 'pre', text: 'my order is late' }] });
    expect((await p.tpi({ type: 1001, requestId: first.requestId })).requestStatus).toBe(RequestStatus.ACCEPTED);
    await tp.waitFor(() => tp.ofName('create').find((c) => c.body.sessionId === accepted.body.id));
    await feed.waitFor((e) => e.name === 'offer.ended' && e.data.requestId === first.requestId && e.data.reason === 'accepted', 'offer.ended accepted');
    expect(await offersOf(a)).toEqual([]);
    // Accepting twice: no longer offered.
    expect((await p.api('POST', `/api/v1/agent/offers/${first.requestId}/accept`, a)).status).toBe(409);
  });

  it('passes a declined request on, never back to who declined it, and ends it REFUSED once every online agent has', async () => {
    w = await startWorld({ queues: [{ id: 7, name: 'offered', assignment: 'offer', offerTimeoutSeconds: 60, maxRefusals: 5, whenNoAgentOnline: 'wait' }], agents: ['A', 'B', 'C'].map((id) => agent(id, { queues: [7] })) });
    const { p } = w;
    const tokens = { A: await w.online('a'), B: await w.online('b') };
    const { requestId } = await p.tpi({ type: 1000, clientId: 'c1', queueId: 7 });
    const holder = async () => {
      for (const [id, token] of Object.entries(tokens)) if ((await offersOf(token)).some((o) => o.requestId === requestId)) return id as 'A' | 'B';
      return undefined;
    };
    const firstAgent = await eventually(holder, 5_000, 'an offer');
    expect((await p.api('POST', `/api/v1/agent/offers/${requestId}/decline`, tokens[firstAgent], { reason: 'not my product' })).status).toBe(204);
    const secondAgent = await eventually(async () => {
      const h = await holder();
      return h !== firstAgent ? h : undefined;
    }, 5_000, 'the offer passed on');
    expect(secondAgent).not.toBe(firstAgent);
    expect((await p.tpi({ type: 1001, requestId })).requestStatus).toBe(RequestStatus.WAITING);
    expect((await p.api('POST', `/api/v1/agent/offers/${requestId}/decline`, tokens[secondAgent!], {})).status).toBe(204);
    // Both online agents refused it (2 refusals, below maxRefusals): REFUSED, and 1001 says why.
    const polled = await p.tpi({ type: 1001, requestId });
    expect(polled).toMatchObject({ requestStatus: RequestStatus.REFUSED, queueLength: 0 });
    expect(polled.message).toBe('success; ended: every online agent of queue 7 declined it or let its offer run out (2 refusals)');
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    expect(metrics).toContain('webchat_offers_total{outcome="offered",node="test"} 2');
    expect(metrics).toContain('webchat_offers_total{outcome="declined",node="test"} 2');
    expect(metrics).toContain('webchat_requests_ended_total{queue="7",state="REFUSED",node="test"} 1');
    const reasons = await p.platform.store.db.selectFrom('offers').select(['agent_id', 'status', 'reason']).where('request_id', '=', requestId as number).orderBy('id').execute();
    expect(reasons).toEqual([
      { agent_id: firstAgent, status: 'declined', reason: 'not my product' },
      { agent_id: secondAgent, status: 'declined', reason: null },
    ]);
  });

  it('sets away an agent who lets offers run out twice in a row, and ends a request REFUSED at the queue\'s maxRefusals, counting time-outs', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 7, 3, 0, 0));
    w = await startWorld({ clock: clock.now, queues: [{ id: 7, name: 'offered', assignment: 'offer', offerTimeoutSeconds: 10, maxRefusals: 2, whenNoAgentOnline: 'wait' }], agents: ['A', 'B', 'C', 'D'].map((id) => agent(id, { queues: [7], maxChats: 1 })) });
    const { p } = w;
    const a = await w.login('a');
    const feed = await w.feed(a);
    await w.status(a, 'online');
    const agentA = async () => p.platform.store.db.selectFrom('agents').select(['id', 'status', 'away_reason']).where('id', '=', 'A').executeTakeFirstOrThrow();
    const expire = async () => {
      clock.advance(10_000);
      await p.platform.sweeper.sweep();
    };
    // A alone is online and lets two offers in a row run out: each request is REFUSED (its only agent refused), and A is set away.
    for (const [n, clientId] of ['c1', 'c2'].entries()) {
      const { requestId } = await p.tpi({ type: 1000, clientId, queueId: 7 });
      await feed.waitFor((e) => e.name === 'offer.new' && e.data.requestId === requestId, `offer ${n + 1}`);
      await expire();
      await feed.waitFor((e) => e.name === 'offer.ended' && e.data.requestId === requestId && e.data.reason === 'expired', `offer ${n + 1} expired`);
      expect((await p.tpi({ type: 1001, requestId })).requestStatus).toBe(RequestStatus.REFUSED);
      expect(await agentA()).toEqual(n === 0 ? { id: 'A', status: 'online', away_reason: null } : { id: 'A', status: 'away', away_reason: 'not-responding' });
    }
    await p.platform.store.db.updateTable('agents').set({ role: 'supervisor' }).where('id', '=', 'D').execute();
    const board = await p.api<{ agents: { id: string; status: string; awayReason: string | null }[] }>('GET', '/api/v1/supervisor/board', await w.login('d'));
    expect(board.body.agents.find((x) => x.id === 'A')).toMatchObject({ status: 'away', awayReason: 'not-responding' });
    // Coming back online is the agent's own choice again.
    await w.status(a, 'online');
    expect(await agentA()).toEqual({ id: 'A', status: 'online', away_reason: null });
    await w.status(a, 'offline');

    // B, C and D online: a request offered to two of them in turn, both let it run out: maxRefusals 2, though D never saw it.
    const tokens = [await w.online('b'), await w.online('c'), await w.online('d')];
    const { requestId } = await p.tpi({ type: 1000, clientId: 'c3', queueId: 7 });
    const holders = async () => (await Promise.all(tokens.map(async (t) => (await offersOf(t)).some((o) => o.requestId === requestId)))).filter(Boolean).length || undefined;
    await eventually(holders, 5_000, 'offer');
    await expire();
    await eventually(holders, 5_000, 'offer passed on');
    await expire();
    const polled = await p.tpi({ type: 1001, requestId });
    expect(polled.requestStatus).toBe(RequestStatus.REFUSED);
    expect(polled.message).toBe("success; ended: refused 2 times: the queue's maxRefusals (2) was reached");
    expect(await p.platform.store.db.selectFrom('offers').select('status').where('request_id', '=', requestId as number).execute()).toEqual([{ status: 'expired' }, { status: 'expired' }]);
  });

  it('withdraws an offer when its agent leaves, without counting a refusal, and offers it to the next agent', async () => {
    w = await startWorld({ queues: [{ id: 7, name: 'offered', assignment: 'offer', offerTimeoutSeconds: 60, maxRefusals: 1, whenNoAgentOnline: 'wait' }], agents: [agent('A', { queues: [7] }), agent('B', { queues: [7] })] });
    const { p } = w;
    const a = await w.login('a');
    const feed = await w.feed(a);
    await w.status(a, 'online');
    const { requestId } = await p.tpi({ type: 1000, clientId: 'c1', queueId: 7 });
    await feed.waitFor((e) => e.name === 'offer.new' && e.data.requestId === requestId, 'offer to A');
    const b = await w.online('b');
    await w.status(a, 'away');
    await feed.waitFor((e) => e.name === 'offer.ended' && e.data.requestId === requestId && e.data.reason === 'withdrawn', 'withdrawn');
    // maxRefusals is 1: had leaving counted as a refusal, the request would have ended.
    await eventually(async () => (await offersOf(b)).some((o) => o.requestId === requestId) || undefined, 5_000, 'offered to B');
    expect((await p.tpi({ type: 1001, requestId })).requestStatus).toBe(RequestStatus.WAITING);
    expect((await p.api('POST', `/api/v1/agent/offers/${requestId}/accept`, a)).status).toBe(409);
    expect((await p.api('POST', `/api/v1/agent/offers/${requestId}/accept`, b)).status).toBe(200);
  });

  it('settles an accept and a refusal of one offer that come at the same moment: one of them, never a deadlock', async () => {
    w = await startWorld({ queues: [{ id: 7, name: 'offered', assignment: 'offer', offerTimeoutSeconds: 60, whenNoAgentOnline: 'wait' }], agents: [agent('A', { queues: [7], maxChats: 100 })] });
    const { p } = w;
    const a = await w.login('a');
    const feed = await w.feed(a);
    await w.status(a, 'online');
    const { offers } = p.platform.router;
    for (let i = 0; i < 20; i++) {
      const requestId = (await p.tpi({ type: 1000, clientId: `c${i}`, queueId: 7 })).requestId as number;
      await feed.waitFor((e) => e.name === 'offer.new' && e.data.requestId === requestId, `offer ${i}`);
      // The agent's accept and their decline (as a sweep's expiry would be) at once: each locks
      // the agent and the offer, and in the same order, or PostgreSQL ends one as a deadlock.
      const [accepted, refused] = await Promise.allSettled([p.platform.router.accept(requestId, 'A', { viaOffer: true }), offers.refuse(requestId, 'A', 'declined', null)]);
      expect(refused.status, `refusal ${i}: ${refused.status === 'rejected' ? String(refused.reason) : ''}`).toBe('fulfilled');
      expect(accepted.status, `accept ${i}: ${accepted.status === 'rejected' ? String(accepted.reason) : ''}`).toBe('fulfilled');
      const tookIt = accepted.status === 'fulfilled' && accepted.value.accepted;
      expect(tookIt, `exactly one of them, ${i}`).toBe(!(refused.status === 'fulfilled' && refused.value));
    }
    feed.close();
  });
});
