import { ServerEvent, type SessionView, type WaitingRequestView } from '@elitewebchat/protocol/browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Realtime } from '../realtime/realtime';
import { ChatStore } from './chat-store';
import { listenWaitingRequests, WaitingRequests } from './waiting-requests';

const waitingRequest = (requestId: number): WaitingRequestView => ({
  requestId,
  queueId: 3,
  channelId: 'web',
  clientId: `c${requestId}`,
  nickname: `n${requestId}`,
  from: 'PC',
  place: requestId,
  waitingSince: 1_000 * requestId,
  preMessages: 1,
  visitor: null,
});

const sessionFor = (requestId: number): SessionView => ({
  id: 100 + requestId,
  requestId,
  channelId: 'web',
  queueId: 3,
  agentId: 'A1',
  clientId: `c${requestId}`,
  nickname: `n${requestId}`,
  from: 'PC',
  status: 'open',
  requestedAt: 0,
  startedAt: 5,
  closedAt: null,
  closedBy: null,
  rating: null,
  channelKind: 'web',
  visitor: null,
  agentReadUpTo: 0,
  messages: [{ id: 9, sessionId: 100 + requestId, sender: 'customer', kind: 'pre', text: 'hi', createdAt: 1, clientTime: null }],
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const ids = (w: WaitingRequests) => w.store.get().requests?.map((r) => r.requestId);

describe('WaitingRequests', () => {
  let waiting: WaitingRequestView[];
  let calls: { method: string; url: string; body: unknown }[];
  let takeAnswer: (requestId: number) => Response;
  /** When set, GETs wait for it to be called before answering. */
  let holdGet: Promise<void> | null;

  beforeEach(() => {
    waiting = [waitingRequest(1), waitingRequest(2)];
    calls = [];
    holdGet = null;
    takeAnswer = (requestId) => {
      waiting = waiting.filter((r) => r.requestId !== requestId);
      return json(200, sessionFor(requestId));
    };
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ method: String(init.method), url, body: init.body });
      if (init.method === 'POST') return takeAnswer(Number(url.split('/')[5]));
      const answer = { requests: waiting };
      if (holdGet) await holdGet;
      return json(200, answer);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('fetches what waits in my manual queues', async () => {
    const w = new WaitingRequests(new ChatStore(() => true));
    expect(w.store.get().requests).toBeNull();
    await w.refresh();
    expect(ids(w)).toEqual([1, 2]);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/v1/agent/queue']);
  });

  it('a refresh asked for while one runs makes one more afterwards, not one each', async () => {
    const w = new WaitingRequests(new ChatStore(() => true));
    const first = w.refresh();
    void w.refresh();
    void w.refresh();
    await first;
    await vi.waitFor(() => expect(calls.length).toBe(2));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls.length).toBe(2);
  });

  it('taking one opens its chat, takes it off the list and refetches', async () => {
    const chats = new ChatStore(() => true);
    const w = new WaitingRequests(chats);
    await w.refresh();
    const result = await w.take(2);
    expect(result.ok).toBe(true);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe('/api/v1/agent/queue/2/take');
    expect(post?.body).toBeNull();
    expect(ids(w)).toEqual([1]);
    expect(chats.state.activeId).toBe(102);
    expect(chats.chat(102)?.messages.map((m) => m.id)).toEqual([9]);
    expect(w.store.get().taking).toBeNull();
    expect(w.store.get().note).toBeNull();
    await vi.waitFor(() => expect(calls.filter((c) => c.method === 'GET').length).toBe(2));
  });

  it('someone else was first (409): keeps the server’s message for that request and refetches', async () => {
    const chats = new ChatStore(() => true);
    const w = new WaitingRequests(chats);
    await w.refresh();
    // A2 took request 1 meanwhile.
    waiting = [waitingRequest(2)];
    takeAnswer = () => json(409, { error: { code: 'CONFLICT', message: 'request 1 was taken by A2 first' } });
    const result = await w.take(1);
    expect(result).toEqual({ ok: false, note: { requestId: 1, message: 'request 1 was taken by A2 first' } });
    expect(w.store.get().note).toEqual({ requestId: 1, message: 'request 1 was taken by A2 first' });
    expect(chats.state.chats.size).toBe(0);
    expect(chats.state.activeId).toBeNull();
    await vi.waitFor(() => expect(ids(w)).toEqual([2]));
    expect(w.store.get().taking).toBeNull();
    // The note stays until dismissed or the next take.
    expect(w.store.get().note?.requestId).toBe(1);
    w.dismissNote();
    expect(w.store.get().note).toBeNull();
  });

  it('not in my queues (404) is a note too, cleared by the next take', async () => {
    const w = new WaitingRequests(new ChatStore(() => true));
    await w.refresh();
    takeAnswer = () => json(404, { error: { code: 'NOT_FOUND', message: 'no request 1 in your queues' } });
    await w.take(1);
    expect(w.store.get().note?.message).toBe('no request 1 in your queues');
    takeAnswer = (id) => json(200, sessionFor(id));
    await w.take(2);
    expect(w.store.get().note).toBeNull();
  });

  it('a list fetched before a take does not bring the taken request back', async () => {
    const w = new WaitingRequests(new ChatStore(() => true));
    await w.refresh();
    let release = () => undefined as void;
    holdGet = new Promise<void>((r) => (release = r));
    const stale = w.refresh(); // answers [1, 2]: taken before the take below
    await vi.waitFor(() => expect(calls.length).toBe(2));
    holdGet = null;
    await w.take(1);
    expect(ids(w)).toEqual([2]);
    release();
    await stale;
    expect(ids(w)).toEqual([2]);
    await vi.waitFor(() => expect(calls.filter((c) => c.method === 'GET').length).toBe(3));
    await new Promise((r) => setTimeout(r, 10));
    expect(ids(w)).toEqual([2]);
  });

  it('a failed fetch keeps the list and says why', async () => {
    const w = new WaitingRequests(new ChatStore(() => true));
    await w.refresh();
    vi.stubGlobal('fetch', () => Promise.resolve(json(500, { error: { code: 'INTERNAL', message: 'boom' } })));
    await w.refresh();
    expect(ids(w)).toEqual([1, 2]);
    expect(w.store.get().error).toBe('boom');
  });

  it('refetches on every (re)connect and on queues.changed, until stopped', async () => {
    const listeners = new Map<string, () => void>();
    const realtime = {
      onResync: (l: () => void) => {
        listeners.set('resync', l);
        return () => listeners.delete('resync');
      },
      on: (event: string, l: () => void) => {
        listeners.set(event, l);
        return () => listeners.delete(event);
      },
    } as unknown as Realtime;
    const w = new WaitingRequests(new ChatStore(() => true));
    const stop = listenWaitingRequests(realtime, w);
    listeners.get('resync')?.();
    await vi.waitFor(() => expect(ids(w)).toEqual([1, 2]));
    waiting = [waitingRequest(2)];
    listeners.get(ServerEvent.QUEUES_CHANGED)?.();
    await vi.waitFor(() => expect(ids(w)).toEqual([2]));
    stop();
    expect(listeners.size).toBe(0);
  });
});
