/**
 * Which callback worker sends a session's callbacks. A session's callbacks leave one at a
 * time, in order, so exactly one worker may be sending for a session at any moment. One
 * process: the worker's own set; several processes must claim sessions in a shared place.
 */
export interface OutboxClaims {
  /** Takes the session for this worker; false when it is already taken. */
  claim(sessionId: number): boolean | Promise<boolean>;
  /**
   * Just before a send: extends this worker's claim by a whole lease, or answers false when it
   * is no longer this worker's (its lease ran out and another took it): then nothing is sent.
   */
  renew(sessionId: number): boolean | Promise<boolean>;
  release(sessionId: number): void | Promise<void>;
  /** The sessions this worker holds now (skipped when looking for due callbacks). */
  held(): number[];
  /** Claims shared with other processes: a callback read before its claim may have been sent meanwhile. */
  readonly shared?: boolean;
}

export class InMemoryOutboxClaims implements OutboxClaims {
  private readonly sessions = new Set<number>();

  claim(sessionId: number): boolean {
    if (this.sessions.has(sessionId)) return false;
    this.sessions.add(sessionId);
    return true;
  }

  renew(sessionId: number): boolean {
    return this.sessions.has(sessionId);
  }

  release(sessionId: number): void {
    this.sessions.delete(sessionId);
  }

  held(): number[] {
    return [...this.sessions];
  }
}
