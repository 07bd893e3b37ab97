/**
 * The agent's read mark on a chat, for the web chat to show: the id of the newest customer
 * message the agent has had on screen. Sent (`chat.read`) only when it grows beyond what was
 * sent already and what the server holds (another tab's mark).
 */
import type { MessageView } from '@elitewebchat/protocol/browser';

/** The id of the newest customer message of an id-sorted list, or 0. */
export function newestCustomerId(messages: readonly MessageView[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as MessageView;
    if (m.sender === 'customer') return m.id;
  }
  return 0;
}

/** The mark to send for `messages` when `marked` is already known, or null for none. */
export function readMarkToSend(messages: readonly MessageView[], marked: number): number | null {
  const newest = newestCustomerId(messages);
  return newest > marked ? newest : null;
}

export class ReadMarks {
  /** Per session: the mark sent (or being sent). */
  private readonly sent = new Map<number, number>();

  constructor(private readonly send: (sessionId: number, upTo: number) => Promise<boolean>) {}

  /** The agent sees `messages` of a session whose mark the server holds as `serverMark`. */
  seen(sessionId: number, messages: readonly MessageView[], serverMark: number): void {
    const before = this.sent.get(sessionId) ?? 0;
    const upTo = readMarkToSend(messages, Math.max(before, serverMark));
    if (upTo === null) return;
    this.sent.set(sessionId, upTo);
    void this.send(sessionId, upTo).then(
      (ok) => this.settle(sessionId, upTo, before, ok),
      () => this.settle(sessionId, upTo, before, false),
    );
  }

  /** Not taken (offline, a timeout): forget it, so that the next look sends it again. */
  private settle(sessionId: number, upTo: number, before: number, ok: boolean): void {
    if (ok || this.sent.get(sessionId) !== upTo) return;
    if (before > 0) this.sent.set(sessionId, before);
    else this.sent.delete(sessionId);
  }
}
