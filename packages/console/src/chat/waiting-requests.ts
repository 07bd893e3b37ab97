/**
 * Requests waiting in my manual queues (`assignment: manual`), to take by hand: fetched on every
 * (re)connect and `queues.changed` (the waiting counts moved), and after every take. Taking one
 * puts the chat in the chat store and makes it the active one; when someone else was first (409),
 * or it is gone from my queues (404), the server's message is kept as a note and the list refetched.
 */
import { ServerEvent, type SessionView, type WaitingRequestView } from '@elitewebchat/protocol/browser';
import { Coalesced } from '../app/coalesced';
import { createStore, type Store } from '../app/store';
import { agentApi } from '../api/agent';
import type { Realtime } from '../realtime/realtime';
import type { ChatStore } from './chat-store';

/** Why the last take failed, for the request it was about. */
export interface TakeNote {
  requestId: number;
  /** The server's message (`request 7 was taken by A2 first`), or the network error. */
  message: string;
}

export interface WaitingState {
  /** Oldest first; null until fetched. */
  requests: readonly WaitingRequestView[] | null;
  /** The last fetch failed (the list kept is the one before). */
  error: string | null;
  note: TakeNote | null;
  /** The request being taken now, if any. */
  taking: number | null;
}

export type TakeResult = { ok: true; session: SessionView } | { ok: false; note: TakeNote };

export class WaitingRequests {
  readonly store: Store<WaitingState> = createStore<WaitingState>({ requests: null, error: null, note: null, taking: null });
  private readonly fetches = new Coalesced(() => this.fetch());
  /** Bumped by every local change: a fetch that began before one must not undo it. */
  private generation = 0;

  constructor(private readonly chats: ChatStore) {}

  /** Fetches again; calls while a fetch runs make one more afterwards. */
  refresh(): Promise<void> {
    return this.fetches.run();
  }

  /**
   * Takes a request: on success the chat is in the chat store and active, and the request off the
   * list; on failure the server's message is the note. The list is refetched either way.
   */
  async take(requestId: number): Promise<TakeResult> {
    this.store.set((s) => ({ ...s, taking: requestId, note: null }));
    try {
      const session = await agentApi.takeRequest(requestId);
      this.generation++;
      this.store.set((s) => ({ ...s, requests: s.requests?.filter((r) => r.requestId !== requestId) ?? null }));
      // `chat.assigned` brings the same session: merged by id, whichever comes first.
      this.chats.upsertSessions([session], { announce: false, fresh: false });
      this.chats.setActive(session.id);
      return { ok: true, session };
    } catch (error) {
      // 409 (taken first, not online, no room, auto queue), 404 (not in my queues) or the network.
      const note = { requestId, message: error instanceof Error ? error.message : String(error) };
      this.store.set((s) => ({ ...s, note }));
      return { ok: false, note };
    } finally {
      this.store.set((s) => (s.taking === requestId ? { ...s, taking: null } : s));
      void this.refresh();
    }
  }

  dismissNote(): void {
    this.store.set((s) => (s.note === null ? s : { ...s, note: null }));
  }

  private async fetch(): Promise<void> {
    const generation = this.generation;
    try {
      const requests = await agentApi.waitingRequests();
      if (generation !== this.generation) {
        // Something changed meanwhile (a take): this answer may predate it; ask again.
        this.fetches.runAgain();
        return;
      }
      this.store.set((s) => ({ ...s, requests, error: null }));
    } catch (error) {
      this.store.set((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
    }
  }
}

/** Refetches on every (re)connect and whenever the waiting counts of my queues change. Answers what stops it. */
export function listenWaitingRequests(realtime: Realtime, waiting: WaitingRequests): () => void {
  const refresh = () => void waiting.refresh();
  const offs = [realtime.onResync(refresh), realtime.on(ServerEvent.QUEUES_CHANGED, refresh)];
  return () => {
    for (const off of offs) off();
  };
}
