import type { OfferView, SessionView } from '@elitewebchat/protocol/browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatStore } from './chat-store';
import { applyOfferEvent, formatCountdown, mergeFetched, Offers, secondsLeft } from './offers-store';

const offer = (requestId: number, over: Partial<OfferView> = {}): OfferView => ({
  requestId,
  queueId: 7,
  channelId: 'wechat',
  clientId: `c${requestId}`,
  nickname: `n${requestId}`,
  from: 'WECHAT',
  waitingSince: 1_000,
  offeredAt: 10_000 + requestId,
  deadline: 30_000 + requestId,
  visitor: null,
  preMessages: [],
  transferNote: null,
  ...over,
});

const ids = (list: readonly OfferView[]) => list.map((o) => o.requestId);

describe('offer events and fetches', () => {
  it('a new offer joins in the order offered; a repeated one replaces itself; an ended one goes', () => {
    let list = applyOfferEvent([], { kind: 'new', offer: offer(2) });
    list = applyOfferEvent(list, { kind: 'new', offer: offer(1) });
    expect(ids(list)).toEqual([1, 2]);
    const again = applyOfferEvent(list, { kind: 'new', offer: offer(2, { nickname: 'renamed' }) });
    expect(ids(again)).toEqual([1, 2]);
    expect(again[1]?.nickname).toBe('renamed');
    expect(ids(applyOfferEvent(list, { kind: 'ended', requestId: 1, reason: 'expired' }))).toEqual([2]);
    // Ending what is not there changes nothing (same list: no re-render).
    expect(applyOfferEvent(list, { kind: 'ended', requestId: 9, reason: 'withdrawn' })).toBe(list);
  });

  it('a fetch answer gets the events that came while it ran on top: what ended stays gone, what came stays', () => {
    // The server answered [1, 2] as of when it ran; meanwhile 2 ended and 3 was offered.
    const merged = mergeFetched(
      [offer(2), offer(1)],
      [
        { kind: 'ended', requestId: 2, reason: 'declined' },
        { kind: 'new', offer: offer(3) },
      ],
    );
    expect(ids(merged)).toEqual([1, 3]);
    // Offered and ended again while the fetch ran: gone.
    expect(ids(mergeFetched([], [{ kind: 'new', offer: offer(4) }, { kind: 'ended', requestId: 4, reason: 'withdrawn' }]))).toEqual([]);
  });
});

describe('the countdown', () => {
  it('counts whole seconds left to the server’s deadline, corrected by the clock skew, never below 0', () => {
    expect(secondsLeft(30_000, 10_000, 0)).toBe(20);
    expect(secondsLeft(30_000, 10_001, 0)).toBe(20);
    expect(secondsLeft(30_000, 29_001, 0)).toBe(1);
    expect(secondsLeft(30_000, 30_000, 0)).toBe(0);
    expect(secondsLeft(30_000, 99_000, 0)).toBe(0);
    // This browser's clock runs 5 minutes ahead of the server's.
    expect(secondsLeft(30_000, 10_000 + 300_000, 300_000)).toBe(20);
  });

  it('reads as m:ss', () => {
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(9)).toBe('0:09');
    expect(formatCountdown(20)).toBe('0:20');
    expect(formatCountdown(65)).toBe('1:05');
    expect(formatCountdown(600)).toBe('10:00');
    expect(formatCountdown(-3)).toBe('0:00');
  });
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const sessionFor = (requestId: number): SessionView => ({
  id: 100 + requestId,
  requestId,
  channelId: 'wechat',
  queueId: 7,
  agentId: 'A1',
  clientId: `c${requestId}`,
  nickname: `n${requestId}`,
  from: 'WECHAT',
  status: 'open',
  requestedAt: 0,
  startedAt: 5,
  closedAt: null,
  closedBy: null,
  rating: null,
  channelKind: 'tpi',
  visitor: null,
  agentReadUpTo: 0,
  messages: [{ id: 9, sessionId: 100 + requestId, sender: 'customer', kind: 'pre', text: 'hi', createdAt: 1, clientTime: null }],
});

describe('Offers', () => {
  let served: OfferView[];
  let calls: { method: string; url: string; body: unknown }[];
  let answer: (method: string, url: string) => Response;
  let holdGet: Promise<void> | null;

  beforeEach(() => {
    served = [offer(1), offer(2)];
    calls = [];
    holdGet = null;
    answer = (method, url) => {
      if (url.endsWith('/accept')) return json(200, sessionFor(Number(url.split('/')[5])));
      if (url.endsWith('/decline')) return new Response(null, { status: 204 });
      return json(200, { offers: served });
    };
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ method: String(init.method), url, body: init.body });
      const response = answer(String(init.method), url);
      if (init.method === 'GET' && holdGet) await holdGet;
      return response;
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('an offer that ends while the fetch is under way does not come back with its answer', async () => {
    const offers = new Offers(new ChatStore(() => true), () => 50_000);
    let release = () => undefined as void;
    holdGet = new Promise<void>((r) => (release = r));
    const fetching = offers.refresh();
    await vi.waitFor(() => expect(calls.length).toBe(1));
    offers.receive({ kind: 'ended', requestId: 1, reason: 'expired' });
    offers.receive({ kind: 'new', offer: offer(3, { offeredAt: 49_000 }) });
    release();
    await fetching;
    expect(ids(offers.state.offers)).toEqual([2, 3]);
    expect(offers.state.loaded).toBe(true);
    // The clock skew comes from the live offer: this browser is 1 s ahead.
    expect(offers.state.skewMs).toBe(1_000);
    // Later events apply as they come.
    offers.receive({ kind: 'ended', requestId: 2, reason: 'withdrawn' });
    expect(ids(offers.state.offers)).toEqual([3]);
  });

  it('accepting opens the chat and takes the card away', async () => {
    const chats = new ChatStore(() => true);
    const offers = new Offers(chats);
    await offers.refresh();
    const result = await offers.accept(2);
    expect(result.ok).toBe(true);
    expect(calls.at(-1)).toMatchObject({ method: 'POST', url: '/api/v1/agent/offers/2/accept' });
    expect(ids(offers.state.offers)).toEqual([1]);
    expect(chats.state.activeId).toBe(102);
    expect(chats.chat(102)?.messages.map((m) => m.text)).toEqual(['hi']);
    expect(offers.state.busy).toBeNull();
  });

  it('a 409 on accept keeps the server’s message as a note and lets the server’s list decide about the card', async () => {
    const chats = new ChatStore(() => true);
    const offers = new Offers(chats);
    await offers.refresh();
    const message = 'request 1 is not offered to you (any more): its offer ran out, was withdrawn or went to someone else';
    answer = (method) => (method === 'POST' ? json(409, { error: { code: 'CONFLICT', message } }) : json(200, { offers: served }));
    served = [offer(2)];
    const result = await offers.accept(1);
    expect(result.ok).toBe(false);
    expect(offers.state.note).toEqual({ requestId: 1, nickname: 'n1', action: 'accept', message, code: 'CONFLICT' });
    expect(chats.state.chats.size).toBe(0);
    await vi.waitFor(() => expect(ids(offers.state.offers)).toEqual([2]));
    offers.dismissNote();
    expect(offers.state.note).toBeNull();
  });

  it('declining sends the reason (or none) and takes the card away', async () => {
    const offers = new Offers(new ChatStore(() => true));
    await offers.refresh();
    expect((await offers.decline(1, '  busy with a complaint ')).ok).toBe(true);
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/api/v1/agent/offers/1/decline', body: JSON.stringify({ reason: 'busy with a complaint' }) });
    await offers.decline(2, '   ');
    expect(calls.at(-1)?.body).toBe('{}');
    expect(ids(offers.state.offers)).toEqual([]);
  });
});
