/** The retry delay of a failed callback: doubling from the base, capped, with ±20% jitter. */
import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff.js';

const middle = () => 0.5; // no jitter: 0.8 + 0.4 × 0.5 = 1
const lowest = () => 0;
const highest = () => 1 - Number.EPSILON; // Math.random() < 1

describe('retryDelay', () => {
  it('starts at the base and doubles with each attempt', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, 1_000, 1_000_000, middle))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    expect([1, 2, 3].map((n) => retryDelay(n, 20, 200, middle))).toEqual([20, 40, 80]);
  });

  it('stops growing at the cap', () => {
    expect([4, 5, 6, 10, 50].map((n) => retryDelay(n, 20, 200, middle))).toEqual([160, 200, 200, 200, 200]);
    expect(retryDelay(3, 1_000, 300_000, middle)).toBe(4_000);
    expect(retryDelay(20, 1_000, 300_000, middle)).toBe(300_000);
  });

  it('stays finite and capped however many attempts failed', () => {
    for (const attempts of [31, 32, 1_024, 1e6, Number.MAX_SAFE_INTEGER]) {
      const delay = retryDelay(attempts, 1_000, 300_000, middle);
      expect(delay).toBe(300_000);
    }
    // Even with a base so large that 2^30 × base is past any safe integer.
    expect(retryDelay(1e6, 2 ** 40, 300_000, middle)).toBe(300_000);
  });

  it('treats attempt 0 (or less) as the first', () => {
    expect(retryDelay(0, 1_000, 300_000, middle)).toBe(1_000);
    expect(retryDelay(-5, 1_000, 300_000, middle)).toBe(1_000);
  });

  it('jitters by at most 20% either way, below the cap and at it', () => {
    expect(retryDelay(1, 1_000, 300_000, lowest)).toBe(800);
    expect(retryDelay(1, 1_000, 300_000, highest)).toBe(1_200);
    expect(retryDelay(4, 1_000, 300_000, lowest)).toBe(6_400);
    expect(retryDelay(4, 1_000, 300_000, highest)).toBe(9_600);
    // At the cap the jitter still applies, so a delay can be up to 20% past maxMs.
    expect(retryDelay(30, 1_000, 300_000, lowest)).toBe(240_000);
    expect(retryDelay(30, 1_000, 300_000, highest)).toBe(360_000);
  });

  it('spreads delays across the whole jitter band, monotonically in the random draw', () => {
    const draws = Array.from({ length: 101 }, (_, i) => i / 101);
    const delays = draws.map((r) => retryDelay(3, 1_000, 300_000, () => r));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(delays[0]).toBe(3_200);
    expect(delays.at(-1)).toBeLessThanOrEqual(4_800);
    expect(delays.at(-1)).toBeGreaterThan(4_750);
    expect(new Set(delays).size).toBeGreaterThan(90);
  });

  it('keeps the default random source within the band', () => {
    for (let i = 0; i < 1_000; i++) {
      const attempts = 1 + (i % 12);
      const d = retryDelay(attempts, 20, 200);
      const exp = Math.min(200, 20 * 2 ** (attempts - 1));
      expect(d).toBeGreaterThanOrEqual(Math.floor(exp * 0.8));
      expect(d).toBeLessThanOrEqual(Math.ceil(exp * 1.2));
      expect(Number.isInteger(d)).toBe(true);
    }
  });

  it('is a whole number of milliseconds, at least 1', () => {
    expect(retryDelay(1, 1, 1, lowest)).toBe(1);
    expect(retryDelay(1, 1, 1, highest)).toBe(1);
    expect(retryDelay(1, 3, 100, () => 0.3)).toBe(3); // 3 × 0.92 = 2.76 → 3
    expect(retryDelay(2, 7, 100, () => 0.1)).toBe(12); // 14 × 0.84 = 11.76 → 12
  });
});
