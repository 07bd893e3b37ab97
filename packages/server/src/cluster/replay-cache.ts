/**
 * Signed TPI calls seen recently, so that a captured call cannot be replayed within its
 * signature's window. One process: a map in memory; several processes must share it.
 */
export interface ReplayCache {
  /**
   * Remembers `key` until `untilSeconds`; true when it was new, false when it was already
   * remembered (a replay).
   */
  remember(key: string, untilSeconds: number, nowSeconds: number): boolean | Promise<boolean>;
}

export class InMemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  remember(key: string, untilSeconds: number, nowSeconds: number): boolean {
    this.forgetOld(nowSeconds);
    const until = this.seen.get(key);
    if (until !== undefined && until >= nowSeconds) return false;
    this.seen.set(key, untilSeconds);
    return true;
  }

  /** Keys past their window are forgotten, in one sweep a second at most. */
  private forgetOld(now: number): void {
    if (this.seen.size < 1024 || now === this.lastSweep) return;
    this.lastSweep = now;
    for (const [k, until] of this.seen) if (until < now) this.seen.delete(k);
  }
}
