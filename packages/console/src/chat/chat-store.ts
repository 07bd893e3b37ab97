/**
 * One agent's chats: every open session (and the closed ones not yet put away), their messages by
 * id, unread counts and messages still being sent. Pure state changes; the wiring that feeds it
 * lives in chat-sync.ts.
 */
import type { DeliveryView, MessageView, SessionView, SessionSummary } from '@elitewebchat/protocol/browser';
import { createStore, type Store } from '../app/store';
import { withDelivery, withFetchedDeliveries } from '../messages/delivery';
import { applyToSession, insertMessage, mergeMessages, mergeSession, summaryOf } from './merge';

export interface PendingMessage {
  /** Local id (negative), never sent to the server. */
  localId: number;
  text: string;
  failed: string | null;
}

export interface ChatEntry {
  session: SessionSummary;
  messages: readonly MessageView[];
  unread: number;
  /** Assigned and not yet looked at. */
  fresh: boolean;
  pending: readonly PendingMessage[];
  /** The server holds earlier messages than the first of `messages` (see addEarlier). */
  hasEarlier: boolean;
}

export interface ChatState {
  chats: ReadonlyMap<number, ChatEntry>;
  activeId: number | null;
  /** The first fetch answered. */
  loaded: boolean;
}

/** Messages from the customer count as unread unless the agent is looking at that chat. */
const countsAsUnread = (m: MessageView) => m.sender === 'customer';

export class ChatStore {
  readonly store: Store<ChatState> = createStore<ChatState>({ chats: new Map(), activeId: null, loaded: false });
  /** What the agent had typed in each chat, kept across switches (not state: no re-render). */
  readonly drafts = new Map<number, string>();
  private nextLocalId = -1;

  constructor(
    /** Whether the agent can see the active chat now (tab visible). */
    private readonly isVisible: () => boolean = () => document.visibilityState === 'visible',
  ) {}

  get state(): ChatState {
    return this.store.get();
  }

  chat(id: number): ChatEntry | undefined {
    return this.state.chats.get(id);
  }

  private update(id: number, fn: (entry: ChatEntry) => ChatEntry | undefined): void {
    this.store.set((s) => {
      const entry = s.chats.get(id);
      if (!entry) return s;
      const next = fn(entry);
      if (next === entry) return s;
      const chats = new Map(s.chats);
      if (next === undefined) chats.delete(id);
      else chats.set(id, next);
      return { ...s, chats, activeId: next === undefined && s.activeId === id ? null : s.activeId };
    });
  }

  private watching(id: number): boolean {
    return this.state.activeId === id && this.isVisible();
  }

  /**
   * Merges fetched sessions. `announce`: messages new to us count as unread (a catch-up after an
   * outage); the very first load counts nothing. Answers the ids of new sessions.
   */
  upsertSessions(sessions: readonly SessionView[], opts: { announce: boolean; fresh?: boolean }): number[] {
    const added: number[] = [];
    this.store.set((s) => {
      let chats: Map<number, ChatEntry> | undefined;
      for (const session of sessions) {
        const entry = s.chats.get(session.id);
        let next: ChatEntry;
        if (!entry) {
          const unread = opts.announce && !this.watching(session.id) ? session.messages.filter(countsAsUnread).length : 0;
          next = {
            session: summaryOf(session),
            messages: [...session.messages].sort((a, b) => a.id - b.id),
            unread,
            fresh: opts.fresh ?? opts.announce,
            pending: [],
            hasEarlier: session.hasEarlier ?? false,
          };
          added.push(session.id);
        } else {
          // Only the latest came, and all of them are newer than anything we hold: what lies
          // between is unknown, so the fetched ones replace ours (earlier ones can be loaded).
          const gap = session.hasEarlier === true && isAfter(session.messages, entry.messages);
          const messages = gap ? [...session.messages].sort((a, b) => a.id - b.id) : withFetchedDeliveries(mergeMessages(entry.messages, session.messages), session.messages);
          const hasEarlier = gap || entry.hasEarlier;
          const newOnes = messages === entry.messages ? 0 : gap ? session.messages.length : messages.length - entry.messages.length;
          let unread = entry.unread;
          if (newOnes > 0 && opts.announce && !this.watching(session.id)) {
            const seen = new Set(entry.messages.map((m) => m.id));
            unread += session.messages.filter((m) => !seen.has(m.id) && countsAsUnread(m)).length;
          }
          const summary = mergeSession(entry.session, summaryOf(session));
          if (messages === entry.messages && summary === entry.session && unread === entry.unread && hasEarlier === entry.hasEarlier) continue;
          next = { ...entry, session: summary, messages, unread, hasEarlier };
        }
        chats ??= new Map(s.chats);
        chats.set(session.id, next);
      }
      return chats ? { ...s, chats, loaded: true } : s.loaded ? s : { ...s, loaded: true };
    });
    return added;
  }

  /** A live message: new, already known, or of a session that is not one of ours (yet). */
  addMessage(message: MessageView): 'new' | 'duplicate' | 'unknown' {
    if (message.sessionId === null || !this.state.chats.has(message.sessionId)) return 'unknown';
    const id = message.sessionId;
    let added = false;
    this.update(id, (entry) => {
      const messages = insertMessage(entry.messages, message);
      if (messages === entry.messages) return entry;
      added = true;
      const unread = countsAsUnread(message) && !this.watching(id) ? entry.unread + 1 : entry.unread;
      return { ...entry, messages, unread, session: applyToSession(entry.session, message) };
    });
    return added ? 'new' : 'duplicate';
  }

  /** A page of earlier messages, fetched: `hasMore` says whether the server has still earlier ones. */
  addEarlier(sessionId: number, messages: readonly MessageView[], hasMore: boolean): void {
    this.update(sessionId, (entry) => {
      const merged = withFetchedDeliveries(mergeMessages(entry.messages, messages), messages);
      return merged === entry.messages && hasMore === entry.hasEarlier ? entry : { ...entry, messages: merged, hasEarlier: hasMore };
    });
  }

  /** A reply's delivery mark changed (message.delivery). */
  setDelivery(sessionId: number, messageId: number, delivery: DeliveryView): void {
    this.update(sessionId, (entry) => {
      const messages = withDelivery(entry.messages, messageId, delivery);
      return messages === entry.messages ? entry : { ...entry, messages };
    });
  }

  closed(sessionId: number, by: SessionSummary['closedBy']): void {
    this.update(sessionId, (entry) =>
      entry.session.status === 'closed' ? entry : { ...entry, session: { ...entry.session, status: 'closed', closedBy: by, closedAt: entry.session.closedAt ?? Date.now() } },
    );
  }

  setActive(id: number | null): void {
    this.store.set((s) => (s.activeId === id ? s : { ...s, activeId: id }));
    if (id !== null && this.isVisible()) this.markRead(id);
  }

  markRead(id: number): void {
    this.update(id, (entry) => (entry.unread === 0 && !entry.fresh ? entry : { ...entry, unread: 0, fresh: false }));
  }

  /** Puts a closed chat away (it stays in the history). */
  dismiss(id: number): void {
    this.update(id, (entry) => (entry.session.status === 'closed' ? undefined : entry));
    if (!this.state.chats.has(id)) this.drafts.delete(id);
  }

  addPending(sessionId: number, text: string): number {
    const localId = this.nextLocalId--;
    this.update(sessionId, (entry) => ({ ...entry, pending: [...entry.pending, { localId, text, failed: null }] }));
    return localId;
  }

  /** The server took the message: it replaces the pending one. */
  confirmPending(sessionId: number, localId: number, message: MessageView): void {
    this.update(sessionId, (entry) => ({
      ...entry,
      pending: entry.pending.filter((p) => p.localId !== localId),
      messages: insertMessage(entry.messages, message),
    }));
  }

  failPending(sessionId: number, localId: number, error: string): void {
    this.update(sessionId, (entry) => ({ ...entry, pending: entry.pending.map((p) => (p.localId === localId ? { ...p, failed: error } : p)) }));
  }

  removePending(sessionId: number, localId: number): void {
    this.update(sessionId, (entry) => ({ ...entry, pending: entry.pending.filter((p) => p.localId !== localId) }));
  }

  /** Ids of chats we hold as open (to find those that closed while we were away). */
  openIds(): number[] {
    const ids: number[] = [];
    for (const [id, entry] of this.state.chats) if (entry.session.status === 'open') ids.push(id);
    return ids;
  }
}

/** Every message of `fetched` is newer than every message of `held` (both non-empty). */
function isAfter(fetched: readonly MessageView[], held: readonly MessageView[]): boolean {
  const newestHeld = held[held.length - 1]?.id;
  if (newestHeld === undefined || fetched.length === 0) return false;
  return fetched.every((m) => m.id > newestHeld);
}

export function totalUnread(state: ChatState): number {
  let n = 0;
  for (const entry of state.chats.values()) n += entry.unread + (entry.fresh && entry.unread === 0 ? 1 : 0);
  return n;
}
