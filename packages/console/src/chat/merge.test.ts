import type { MessageView, SessionSummary } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { applyToSession, hasMessage, insertMessage, mergeMessages, mergeSession } from './merge';

const m = (id: number, extra: Partial<MessageView> = {}): MessageView => ({
  id,
  sessionId: 1,
  sender: 'customer',
  kind: 'text',
  text: `m${id}`,
  createdAt: id * 1000,
  clientTime: null,
  ...extra,
});

const session: SessionSummary = {
  id: 1,
  requestId: 1,
  channelId: 'c',
  queueId: 1,
  agentId: 'A',
  clientId: 'u1',
  nickname: 'n',
  from: 'PC',
  status: 'open',
  requestedAt: 0,
  startedAt: 1000,
  closedAt: null,
  closedBy: null,
  rating: null,
  channelKind: 'tpi',
  visitor: null,
  agentReadUpTo: 0,
};

describe('insertMessage', () => {
  it('appends, inserts in id order, and keeps a known id once', () => {
    let list: readonly MessageView[] = [m(1), m(3)];
    list = insertMessage(list, m(4));
    list = insertMessage(list, m(2));
    expect(list.map((x) => x.id)).toEqual([1, 2, 3, 4]);
    const same = insertMessage(list, m(3));
    expect(same).toBe(list);
    expect(hasMessage(list, 2)).toBe(true);
    expect(hasMessage(list, 5)).toBe(false);
  });
});

describe('mergeMessages', () => {
  it('unites a fetch with what the feed brought, without doubles', () => {
    const live = [m(1), m(2), m(5)];
    const fetched = [m(1), m(2), m(3), m(4), m(5)];
    expect(mergeMessages(live, fetched).map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
  });
  it('answers the same array when nothing is new', () => {
    const live = [m(1), m(2)];
    expect(mergeMessages(live, [m(2), m(1)])).toBe(live);
    expect(mergeMessages(live, [])).toBe(live);
  });
  it('takes an unsorted or self-duplicated fetch', () => {
    expect(mergeMessages([m(2)], [m(3), m(1), m(3)]).map((x) => x.id)).toEqual([1, 2, 3]);
  });
});

describe('applyToSession', () => {
  it('applies ratings, id changes and the end', () => {
    let s = applyToSession(session, m(10, { kind: 'event', event: { event: 'rated', ratingId: 5, comments: 'ok' } }));
    expect(s.rating).toEqual({ ratingId: 5, comments: 'ok', at: 10_000 });
    // A TPI rating's further answers come with its event.
    expect(applyToSession(session, m(10, { kind: 'event', event: { event: 'rated', ratingId: 5, comments: '', extends: { speed: 4, solved: true } } })).rating).toEqual({ ratingId: 5, comments: '', at: 10_000, extends: { speed: 4, solved: true } });
    s = applyToSession(s, m(11, { kind: 'event', event: { event: 'client-changed', from: 'u1', to: 'u2' } }));
    expect(s.clientId).toBe('u2');
    s = applyToSession(s, m(12, { kind: 'event', sender: 'agent', event: { event: 'closed', by: 'agent' } }));
    expect(s).toMatchObject({ status: 'closed', closedBy: 'agent', closedAt: 12_000 });
  });
  it('leaves the session as it is for ordinary messages', () => {
    expect(applyToSession(session, m(2))).toBe(session);
  });
});

describe('mergeSession', () => {
  it('never reopens a chat an event already closed', () => {
    const closed = { ...session, status: 'closed' as const, closedBy: 'customer' as const, closedAt: 5 };
    expect(mergeSession(closed, session).status).toBe('closed');
  });
  it('keeps the newer rating', () => {
    const rated = { ...session, rating: { ratingId: 3, comments: '', at: 20 } };
    const older = { ...session, rating: { ratingId: 1, comments: '', at: 10 } };
    expect(mergeSession(rated, older).rating?.ratingId).toBe(3);
  });
  it('moves the read mark forward only', () => {
    const read = { ...session, agentReadUpTo: 9 };
    expect(mergeSession(read, { ...session, agentReadUpTo: 4 })).toBe(read);
    expect(mergeSession(read, { ...session, agentReadUpTo: 12 }).agentReadUpTo).toBe(12);
  });
  it('takes a visitor whose surroundings changed, and keeps the same one otherwise', () => {
    const visitor = { source: 'PC' as const, pageUrl: 'https://a/', pageTitle: 'A', browser: null, language: 'en', fields: { order: '7' }, identifiedUserId: null };
    const web = { ...session, channelKind: 'web' as const, visitor };
    expect(mergeSession(web, { ...web, visitor: { ...visitor, fields: { order: '7' } } })).toBe(web);
    expect(mergeSession(web, { ...web, visitor: { ...visitor, pageUrl: 'https://a/b' } }).visitor?.pageUrl).toBe('https://a/b');
  });
  it('takes a TPI rating’s further answers, which only a fetch carries, and a changed context', () => {
    const live = { ...session, rating: { ratingId: 5, comments: '', at: 20 } };
    const fetched = { ...session, rating: { ratingId: 5, comments: '', at: 20, extends: { speed: 4 } } };
    expect(mergeSession(live, fetched).rating?.extends).toEqual({ speed: 4 });
    expect(mergeSession(fetched, { ...fetched, rating: { ...fetched.rating, extends: { speed: 4 } } })).toBe(fetched);
    const context = { brand: 'Shop', tracks: [{ title: 'A', url: 'https://a/' }] };
    const withContext = { ...session, context };
    expect(mergeSession(session, withContext).context).toEqual(context);
    expect(mergeSession(withContext, { ...session, context: { ...context } })).toBe(withContext);
  });
});
