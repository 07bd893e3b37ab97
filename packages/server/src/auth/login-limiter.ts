/**
 * Slows down password guessing without letting anyone lock another user out for long: after
 * 5 failures for a username (known or not, so the answer reveals nothing) each further try
 * waits a doubling delay, capped at 5 minutes, and any success clears it. Per source address
 * the same, from 20 failures, so one address cannot sweep many usernames.
 *
 * One process: counters in memory. Several processes must share them, or a guesser would get
 * each process's allowance: a shared implementation of LoginLimiter does that.
 */
export interface LoginVerdict {
  allowed: boolean;
  retryAfterMs: number;
}

interface Record {
  failures: number;
  until: number;
  last: number;
}

const CAP_MS = 5 * 60_000;

class Counter {
  private readonly records = new Map<string, Record>();

  constructor(private readonly freeFailures: number) {}

  check(key: string, now: number): number {
    const r = this.records.get(key);
    return r && r.until > now ? r.until - now : 0;
  }

  fail(key: string, now: number): void {
    const r = this.records.get(key) ?? { failures: 0, until: 0, last: now };
    // Failures an hour old are forgotten.
    if (now - r.last > 3600_000) r.failures = 0;
    r.failures += 1;
    r.last = now;
    if (r.failures >= this.freeFailures) r.until = now + Math.min(CAP_MS, 1000 * 2 ** (r.failures - this.freeFailures));
    this.records.set(key, r);
    if (this.records.size > 100_000) for (const [k, v] of this.records) if (now - v.last > 3600_000) this.records.delete(k);
  }

  clear(key: string): void {
    this.records.delete(key);
  }
}

export interface LoginLimiter {
  check(username: string, address: string, now: number): LoginVerdict | Promise<LoginVerdict>;
  failed(username: string, address: string, now: number): void | Promise<void>;
  succeeded(username: string): void | Promise<void>;
}

export class InMemoryLoginLimiter implements LoginLimiter {
  private readonly byUser = new Counter(5);
  private readonly byAddress = new Counter(20);

  check(username: string, address: string, now: number): LoginVerdict {
    const wait = Math.max(this.byUser.check(username.toLowerCase(), now), this.byAddress.check(address, now));
    return { allowed: wait === 0, retryAfterMs: wait };
  }

  failed(username: string, address: string, now: number): void {
    this.byUser.fail(username.toLowerCase(), now);
    this.byAddress.fail(address, now);
  }

  succeeded(username: string): void {
    this.byUser.clear(username.toLowerCase());
  }
}
