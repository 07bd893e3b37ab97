/**
 * Tells the web-chat customer that the agent is typing: `true` when typing starts, again at
 * most every RESEND_MS while it goes on (the customer's side forgets a signal that is not
 * repeated), and `false` once the reply is sent, the input is emptied, or nothing was typed for
 * IDLE_MS. Timing only; who hears it is the caller's `emit`.
 */

export const RESEND_MS = 3_000;
export const IDLE_MS = 5_000;

export class TypingSignal {
  private typing = false;
  private lastTrueAt = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly emit: (typing: boolean) => void) {}

  /** The composer's text changed (typed, pasted, a canned reply or emoticon inserted). */
  input(text: string): void {
    if (text.length === 0) return this.stop();
    const now = Date.now();
    if (!this.typing || now - this.lastTrueAt >= RESEND_MS) {
      this.typing = true;
      this.lastTrueAt = now;
      this.emit(true);
    }
    if (this.idle !== undefined) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), IDLE_MS);
  }

  /** Sent, emptied, idle, or the chat is out of sight: `false`, if `true` was said. */
  stop(): void {
    if (this.idle !== undefined) clearTimeout(this.idle);
    this.idle = undefined;
    if (!this.typing) return;
    this.typing = false;
    this.emit(false);
  }
}
