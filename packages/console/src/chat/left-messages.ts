/**
 * Messages customers left outside hours in my queues: the open ones (for the tab's count) are
 * fetched on every (re)connect and `left-messages.changed`; the handled ones only while they
 * are shown. Marking one handled refetches too (someone else may have been first: 409).
 */
import { ServerEvent, type LeftMessageView } from '@elitewebchat/protocol/browser';
import { Coalesced } from '../app/coalesced';
import { createStore, type Store } from '../app/store';
import { agentApi } from '../api/agent';
import { ApiError } from '../api/http';
import type { Realtime } from '../realtime/realtime';

/** The server's most per page: the count shows "200+" beyond. */
export const OPEN_LIMIT = 200;
export const HANDLED_LIMIT = 50;

export interface LeftMessagesState {
  /** Newest first; null until fetched. */
  open: readonly LeftMessageView[] | null;
  handled: readonly LeftMessageView[] | null;
  error: string | null;
}

export const countLabel = (n: number) => (n >= OPEN_LIMIT ? `${OPEN_LIMIT}+` : String(n));

export class LeftMessages {
  readonly store: Store<LeftMessagesState> = createStore<LeftMessagesState>({ open: null, handled: null, error: null });
  private wantHandled = false;
  private readonly fetches = new Coalesced(() => this.fetch());

  /** Fetches again; calls while a fetch runs make one more afterwards. */
  refresh(): Promise<void> {
    return this.fetches.run();
  }

  /** The handled ones are shown (fetched now and on every change) or not. */
  showHandled(on: boolean): void {
    this.wantHandled = on;
    if (on) void this.refresh();
  }

  /** Answers 'conflict' when someone else had handled it already; other failures throw. */
  async markHandled(id: number): Promise<'handled' | 'conflict'> {
    try {
      const done = await agentApi.markLeftMessageHandled(id);
      this.store.set((s) => ({
        ...s,
        open: s.open?.filter((m) => m.id !== id) ?? null,
        handled: s.handled ? [done, ...s.handled.filter((m) => m.id !== id)] : null,
      }));
      return 'handled';
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return 'conflict';
      throw error;
    } finally {
      void this.refresh();
    }
  }

  private async fetch(): Promise<void> {
    const handled = this.wantHandled;
    try {
      const [open, done] = await Promise.all([
        agentApi.leftMessages('open', OPEN_LIMIT),
        handled ? agentApi.leftMessages('handled', HANDLED_LIMIT) : Promise.resolve(null),
      ]);
      this.store.set((s) => ({ open, handled: done ?? s.handled, error: null }));
    } catch (error) {
      this.store.set((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
    }
  }
}

/** Refetches on every (re)connect and whenever the server says they changed. Answers what stops it. */
export function listenLeftMessages(realtime: Realtime, left: LeftMessages): () => void {
  const refresh = () => void left.refresh();
  const offs = [realtime.onResync(refresh), realtime.on(ServerEvent.LEFT_MESSAGES_CHANGED, refresh)];
  return () => {
    for (const off of offs) off();
  };
}
