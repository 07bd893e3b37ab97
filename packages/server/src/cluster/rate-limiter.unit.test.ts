import { describe, expect, it } from 'vitest';
import { InMemoryRateLimiter } from './rate-limiter.js';

describe('InMemoryRateLimiter', () => {
  it('takes bursts, refills with time, and is not starved by a clock stepped back', () => {
    let now = 1_000_000;
    const limiter = new InMemoryRateLimiter({ perSecond: 1, burst: 2 }, () => now);
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([true, true, false]);
    now += 1_000;
    expect([limiter.take('k'), limiter.take('k')]).toEqual([true, false]);
    // The clock goes back an hour (NTP): the bucket neither refills nor sinks below empty.
    now -= 3_600_000;
    expect(limiter.take('k')).toBe(false);
    now += 1_000;
    expect(limiter.take('k')).toBe(true);
    expect(limiter.take('other')).toBe(true);
  });
});
