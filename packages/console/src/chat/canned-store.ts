/** Canned replies (mine and the shared ones), and matching a typed `/shortcut` against them. */
import type { CannedReply } from '@elitewebchat/protocol/browser';
import { createStore, type Store } from '../app/store';
import { agentApi } from '../api/agent';

export interface CannedState {
  replies: readonly CannedReply[];
  loaded: boolean;
  error: string | null;
}

export class CannedStore {
  readonly store: Store<CannedState> = createStore<CannedState>({ replies: [], loaded: false, error: null });

  async load(): Promise<void> {
    try {
      const replies = await agentApi.cannedReplies();
      this.store.set({ replies: sortReplies(replies), loaded: true, error: null });
    } catch (error) {
      this.store.set((s) => ({ ...s, loaded: true, error: error instanceof Error ? error.message : String(error) }));
    }
  }

  async add(shortcut: string, text: string): Promise<void> {
    const reply = await agentApi.addCannedReply(shortcut, text);
    this.store.set((s) => ({ ...s, replies: sortReplies([...s.replies, reply]) }));
  }

  async remove(id: number): Promise<void> {
    await agentApi.deleteCannedReply(id);
    this.store.set((s) => ({ ...s, replies: s.replies.filter((r) => r.id !== id) }));
  }
}

function sortReplies(replies: readonly CannedReply[]): CannedReply[] {
  // Mine before shared ones with the same shortcut: the personal one wins on Tab.
  return [...replies].sort((a, b) => a.shortcut.localeCompare(b.shortcut) || Number(a.shared) - Number(b.shared));
}

/** The `/word` just before the caret, if the caret ends one: where it starts and what follows `/`. */
export function slashTokenAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(?:^|\s)\/(\S*)$/.exec(before);
  if (!m) return null;
  const query = m[1] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Replies whose shortcut starts with `query` (case-insensitive), exact matches first. */
export function matchReplies(replies: readonly CannedReply[], query: string, max = 8): CannedReply[] {
  const q = query.toLowerCase();
  const exact: CannedReply[] = [];
  const prefix: CannedReply[] = [];
  for (const r of replies) {
    const s = r.shortcut.toLowerCase();
    if (s === q) exact.push(r);
    else if (s.startsWith(q)) prefix.push(r);
  }
  return [...exact, ...prefix].slice(0, max);
}
