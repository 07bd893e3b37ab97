/**
 * Which web-chat customers are typing now, by session: set by `chat.typing`, cleared by
 * `typing: false`, by the customer's next message, by the chat closing, or EXPIRE_MS after the
 * last signal (a lost `false` must not leave "typing…" up for good).
 */
import { ServerEvent } from '@elitewebchat/protocol/browser';
import { createStore, type Store } from '../app/store';
import type { Realtime } from '../realtime/realtime';

export const EXPIRE_MS = 8_000;

export class CustomerTyping {
  readonly store: Store<ReadonlySet<number>> = createStore<ReadonlySet<number>>(new Set());
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  set(sessionId: number, typing: boolean): void {
    if (!typing) return this.clear(sessionId);
    const timer = this.timers.get(sessionId);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.set(
      sessionId,
      setTimeout(() => this.clear(sessionId), EXPIRE_MS),
    );
    this.store.set((s) => (s.has(sessionId) ? s : new Set(s).add(sessionId)));
  }

  clear(sessionId: number): void {
    const timer = this.timers.get(sessionId);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(sessionId);
    this.store.set((s) => {
      if (!s.has(sessionId)) return s;
      const next = new Set(s);
      next.delete(sessionId);
      return next;
    });
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.store.set(new Set());
  }
}

/** Feeds `typing` from the live feed. Answers what stops it. */
export function listenCustomerTyping(realtime: Realtime, typing: CustomerTyping): () => void {
  const offs = [
    realtime.on(ServerEvent.CHAT_TYPING, (e) => typing.set(e.sessionId, e.typing)),
    realtime.on(ServerEvent.CHAT_MESSAGE, (m) => {
      if (m.sessionId !== null && m.sender === 'customer') typing.clear(m.sessionId);
    }),
    realtime.on(ServerEvent.CHAT_CLOSED, (e) => typing.clear(e.sessionId)),
  ];
  return () => {
    for (const off of offs) off();
    typing.stop();
  };
}
