/**
 * Merging what the feed pushes with what a fetch answers. Messages are kept sorted by id (ids grow
 * with time across all sessions), and a message seen twice is kept once. Unchanged inputs give the
 * same array back, so React skips what did not change.
 */
import type { MessageView, SessionSummary } from '@elitewebchat/protocol/browser';

/** Index of the first message whose id is >= id. */
function lowerBound(list: readonly MessageView[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as MessageView).id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function hasMessage(list: readonly MessageView[], id: number): boolean {
  const i = lowerBound(list, id);
  return i < list.length && (list[i] as MessageView).id === id;
}

/** `list` with `message` in its place, or `list` itself if it already holds that id. */
export function insertMessage(list: readonly MessageView[], message: MessageView): readonly MessageView[] {
  const last = list[list.length - 1];
  if (last === undefined || last.id < message.id) return [...list, message];
  const i = lowerBound(list, message.id);
  if (i < list.length && (list[i] as MessageView).id === message.id) return list;
  return [...list.slice(0, i), message, ...list.slice(i)];
}

/** The union of two id-sorted lists; `a` itself when `b` adds nothing. */
export function mergeMessages(a: readonly MessageView[], b: readonly MessageView[]): readonly MessageView[] {
  if (b.length === 0) return a;
  const sortedB = isSorted(b) ? b : [...b].sort((x, y) => x.id - y.id);
  const out: MessageView[] = [];
  let i = 0;
  let j = 0;
  let added = false;
  while (i < a.length || j < sortedB.length) {
    const x = a[i];
    const y = sortedB[j];
    if (y === undefined || (x !== undefined && x.id < y.id)) {
      out.push(x as MessageView);
      i++;
    } else if (x === undefined || y.id < x.id) {
      if (out.length === 0 || (out[out.length - 1] as MessageView).id !== y.id) {
        out.push(y);
        added = true;
      }
      j++;
    } else {
      // Same id: keep what we had.
      out.push(x);
      i++;
      j++;
    }
  }
  return added ? out : a;
}

function isSorted(list: readonly MessageView[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i - 1] as MessageView).id >= (list[i] as MessageView).id) return false;
  return true;
}

/** What a message changes in its session: the rating, the customer's id, the end. */
export function applyToSession(session: SessionSummary, message: MessageView): SessionSummary {
  if (message.kind !== 'event' || !message.event) return session;
  const e = message.event;
  switch (e.event) {
    case 'rated':
      if (session.rating && session.rating.at > message.createdAt) return session;
      return { ...session, rating: { ratingId: e.ratingId, comments: e.comments, at: message.createdAt, ...(e.extends ? { extends: e.extends } : {}) } };
    case 'client-changed':
      return session.clientId === e.to ? session : { ...session, clientId: e.to };
    case 'closed':
      if (session.status === 'closed') return session;
      return { ...session, status: 'closed', closedBy: e.by, closedAt: message.createdAt };
    case 'rating-requested':
    case 'transferred':
    case 'revoked':
    case 'notice':
      return session;
  }
}

/** The later view of a session's fields (a fetch may be older than an event already applied). */
export function mergeSession(current: SessionSummary, fetched: SessionSummary): SessionSummary {
  const closed = current.status === 'closed' || fetched.status === 'closed';
  // The same rating fetched wins over the one its live event made: only the fetch carries a TPI
  // rating's further answers (ratingExtends).
  const rating =
    current.rating && fetched.rating ? (current.rating.at > fetched.rating.at ? current.rating : fetched.rating) : (current.rating ?? fetched.rating);
  const merged: SessionSummary = {
    ...fetched,
    status: closed ? 'closed' : 'open',
    closedAt: fetched.closedAt ?? current.closedAt,
    closedBy: fetched.closedBy ?? current.closedBy,
    rating,
    // The read mark only moves forward; a fetch older than a mark this tab sent may lag.
    agentReadUpTo: Math.max(current.agentReadUpTo, fetched.agentReadUpTo),
  };
  return sameSession(current, merged) ? current : merged;
}

function sameSession(a: SessionSummary, b: SessionSummary): boolean {
  return (
    a.status === b.status &&
    a.clientId === b.clientId &&
    a.nickname === b.nickname &&
    a.closedAt === b.closedAt &&
    a.closedBy === b.closedBy &&
    a.rating?.at === b.rating?.at &&
    a.rating?.ratingId === b.rating?.ratingId &&
    sameValue(a.rating?.extends, b.rating?.extends) &&
    sameValue(a.context, b.context) &&
    a.queueId === b.queueId &&
    a.agentReadUpTo === b.agentReadUpTo &&
    a.channelKind === b.channelKind &&
    sameVisitor(a.visitor, b.visitor)
  );
}

/** Small plain values of a fetch (a rating's further answers, a TPI customer's context), compared by value. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The visitor's surroundings, compared by value (every fetch brings a new object). */
function sameVisitor(a: SessionSummary['visitor'], b: SessionSummary['visitor']): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function summaryOf(session: SessionSummary & { messages?: unknown; hasEarlier?: unknown }): SessionSummary {
  const { messages: _messages, hasEarlier: _hasEarlier, ...rest } = session;
  return rest;
}
