import type { LeftMessageView } from '@elitewebchat/protocol/browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countLabel, LeftMessages, OPEN_LIMIT } from './left-messages';

const left = (id: number, handledAt: number | null = null): LeftMessageView => ({
  id,
  channelId: 'web',
  queueId: 1,
  name: `n${id}`,
  contact: '138',
  text: 'call me',
  info: { source: 'PC', pageUrl: null, pageTitle: null, browser: null, language: null, fields: {}, identifiedUserId: null },
  createdAt: id,
  handledAt,
  handledBy: handledAt === null ? null : 'A',
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('LeftMessages', () => {
  let open: LeftMessageView[];
  let handled: LeftMessageView[];
  let calls: string[];
  let handledAnswer: (id: number) => Response;

  beforeEach(() => {
    open = [left(2), left(1)];
    handled = [];
    calls = [];
    handledAnswer = (id) => {
      const m = open.find((x) => x.id === id) as LeftMessageView;
      open = open.filter((x) => x.id !== id);
      const done = { ...m, handledAt: 9, handledBy: 'A' };
      handled = [done, ...handled];
      return json(200, done);
    };
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      calls.push(`${init.method} ${url}`);
      const u = new URL(url, 'http://x');
      if (init.method === 'POST') return Promise.resolve(handledAnswer(Number(u.pathname.split('/')[5])));
      const list = u.searchParams.get('status') === 'handled' ? handled : open;
      return Promise.resolve(json(200, { leftMessages: list }));
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('fetches the open ones, and the handled ones only once shown', async () => {
    const store = new LeftMessages();
    await store.refresh();
    expect(store.store.get().open?.map((m) => m.id)).toEqual([2, 1]);
    expect(store.store.get().handled).toBeNull();
    expect(calls).toEqual([`GET /api/v1/agent/left-messages?status=open&limit=${OPEN_LIMIT}`]);
    store.showHandled(true);
    await store.refresh();
    expect(calls).toContain('GET /api/v1/agent/left-messages?status=handled&limit=50');
  });

  it('marking one handled takes it off the open list and refetches', async () => {
    const store = new LeftMessages();
    await store.refresh();
    store.showHandled(true);
    await store.refresh();
    await expect(store.markHandled(2)).resolves.toBe('handled');
    expect(calls).toContain('POST /api/v1/agent/left-messages/2/handled');
    expect(store.store.get().open?.map((m) => m.id)).toEqual([1]);
    expect(store.store.get().handled?.map((m) => m.id)).toEqual([2]);
    await store.refresh();
    expect(store.store.get().open?.map((m) => m.id)).toEqual([1]);
  });

  it('someone else was first (409): says so and refetches', async () => {
    const store = new LeftMessages();
    await store.refresh();
    open = [left(1)];
    handledAnswer = () => json(409, { error: { code: 'CONFLICT', message: 'already handled' } });
    await expect(store.markHandled(2)).resolves.toBe('conflict');
    await store.refresh();
    expect(store.store.get().open?.map((m) => m.id)).toEqual([1]);
  });

  it('counts up to the page size, then "200+"', () => {
    expect(countLabel(3)).toBe('3');
    expect(countLabel(OPEN_LIMIT)).toBe(`${OPEN_LIMIT}+`);
  });
});
