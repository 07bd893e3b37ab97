/**
 * Which customers are typing now, by session, and what (a TPI 2021 live preview; '' when only
 * "typing" is known): set by `chat.typing` and `chat.preview`, cleared by `typing: false`, an
 * empty preview, the customer's next message, the chat closing, or EXPIRE_MS after the last
 * signal (a lost `false` must not leave "typing…" up for good).
 */
import { ServerEvent } from '@elitewebchat/protocol/browser';
import { createStore, type Store } from '../app/store';
import type { Realtime } from '../realtime/realtime';

export const EXPIRE_MS = 8_000;

export class CustomerTyping {
  /** Session id → what the customer is typing ('' when not known). */
  readonly store: Store<ReadonlyMap<number, string>> = createStore<ReadonlyMap<number, string>>(new Map());
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  set(sessionId: number, typing: boolean): void {
    if (!typing) return this.clear(sessionId);
    this.show(sessionId, this.store.get().get(sessionId) ?? '');
  }

  /** What the customer is typing, not yet sent; '' clears it. */
  preview(sessionId: number, text: string): void {
    if (text === '') return this.clear(sessionId);
    this.show(sessionId, text);
  }

  private show(sessionId: number, text: string): void {
    const timer = this.timers.get(sessionId);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.set(
      sessionId,
      setTimeout(() => this.clear(sessionId), EXPIRE_MS),
    );
    this.store.set((s) => (s.get(sessionId) === text ? s : new Map(s).set(sessionId, text)));
  }

  clear(sessionId: number): void {
    const timer = this.timers.get(sessionId);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(sessionId);
    this.store.set((s) => {
      if (!s.has(sessionId)) return s;
      const next = new Map(s);
      next.delete(sessionId);
      return next;
    });
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.store.set(new Map());
  }
}

/** Feeds `typing` from the live feed. Answers what stops it. */
export function listenCustomerTyping(realtime: Realtime, typing: CustomerTyping): () => void {
  const offs = [
    realtime.on(ServerEvent.CHAT_TYPING, (e) => typing.set(e.sessionId, e.typing)),
    realtime.on(ServerEvent.CHAT_PREVIEW, (e) => typing.preview(e.sessionId, e.text)),
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
