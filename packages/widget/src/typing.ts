/**
 * The customer's typing signal: `true` when typing starts and again every few seconds while it
 * goes on (the agent's indicator fades without it), `false` on send, blur or a pause.
 */
export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class TypingSignal {
  private typing = false;
  private lastSent = 0;
  private idle: unknown = null;

  constructor(
    private readonly emit: (typing: boolean) => void,
    private readonly timers: Timers = realTimers,
    private readonly throttleMs = 3_000,
    private readonly idleMs = 5_000,
  ) {}

  /** A keystroke that leaves text in the composer. */
  input(): void {
    const now = this.timers.now();
    if (!this.typing || now - this.lastSent >= this.throttleMs) {
      this.typing = true;
      this.lastSent = now;
      this.emit(true);
    }
    if (this.idle !== null) this.timers.clear(this.idle);
    this.idle = this.timers.set(() => this.stop(), this.idleMs);
  }

  /** Sent, blurred, emptied or paused. */
  stop(): void {
    if (this.idle !== null) this.timers.clear(this.idle);
    this.idle = null;
    if (!this.typing) return;
    this.typing = false;
    this.emit(false);
  }
}
