/**
 * Token buckets by key (a channel, a customer). In memory: in cluster mode each node limits
 * its own share. Idle buckets are forgotten so memory stays bounded by the active keys.
 */
export interface Rate {
  perSecond: number;
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: Rate,
    private readonly clock: () => number,
  ) {}

  /** Takes one token; false when the key is over its rate. */
  take(key: string): boolean {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size > 100_000) this.prune(now);
      bucket = { tokens: this.rate.burst, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private prune(now: number): void {
    const full = (this.rate.burst / this.rate.perSecond) * 1000;
    for (const [key, b] of this.buckets) if (now - b.at > full) this.buckets.delete(key);
  }
}
