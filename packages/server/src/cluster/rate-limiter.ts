/**
 * Rate limits by key (a channel, a customer). One process: token buckets in memory, idle
 * ones forgotten so memory stays bounded by the active keys. Several processes would each
 * limit their own share with this one; a shared limiter implements the same interface.
 */
export interface Rate {
  perSecond: number;
  burst: number;
}

export interface RateLimiter {
  /** Takes one token; false when the key is over its rate. */
  take(key: string): boolean | Promise<boolean>;
}

export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: Rate,
    private readonly clock: () => number,
  ) {}

  take(key: string): boolean {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size > 100_000) this.prune(now);
      bucket = { tokens: this.rate.burst, at: now };
      this.buckets.set(key, bucket);
    }
    // A clock stepped back (NTP) refills nothing and takes nothing away.
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.rate.perSecond);
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
