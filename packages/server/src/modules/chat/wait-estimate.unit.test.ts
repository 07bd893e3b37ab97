/** The estimated wait from a scripted history of acceptances, without a store (docs/tpi.md, "Estimated wait"). */
import { describe, expect, it } from 'vitest';
import { estimateSeconds, placeTime, type Acceptance } from './wait-estimate.js';

const MIN = 60_000;
/** A request that arrived at `requested` and was accepted at `accepted`, in minutes. */
const at = (requested: number, accepted: number): Acceptance => ({ requestedAt: requested * MIN, acceptedAt: accepted * MIN });
const estimate = (history: Acceptance[], place: number) => estimateSeconds(placeTime(history), place);

describe('estimated wait', () => {
  it('is unknown with no recent acceptance, except at place 0', () => {
    expect(placeTime([])).toBeNull();
    expect(estimate([], 1)).toBeNull();
    expect(estimate([], 5)).toBeNull();
    expect(estimate([], 0)).toBe(0);
  });

  it('with one acceptance, is worth that request\'s wait per place', () => {
    // Waited 90 s.
    const one = [{ requestedAt: 10_000, acceptedAt: 100_000 }];
    expect(placeTime(one)).toEqual({ ms: 90_000, places: 1 });
    expect(estimate(one, 1)).toBe(90);
    expect(estimate(one, 3)).toBe(270);
    expect(estimate(one, 0)).toBe(0);
  });

  it('with several, is worth the average time between consecutive acceptances, whatever their waits', () => {
    // Accepted at minutes 0, 2, 3 and 9: 9 minutes over 3 gaps, 3 minutes a place.
    const history = [at(-5, 0), at(1, 2), at(-20, 3), at(8.5, 9)];
    expect(placeTime(history)).toEqual({ ms: 9 * MIN, places: 3 });
    expect(estimate(history, 1)).toBe(180);
    expect(estimate(history, 2)).toBe(360);
    expect(estimate(history, 10)).toBe(1800);
    // In any order.
    expect(placeTime([...history].reverse())).toEqual({ ms: 9 * MIN, places: 3 });
  });

  it('rounds up to whole seconds, once', () => {
    // 1 s over 3 gaps: a third of a second a place.
    const history = [{ requestedAt: 0, acceptedAt: 0 }, { requestedAt: 0, acceptedAt: 400 }, { requestedAt: 0, acceptedAt: 700 }, { requestedAt: 0, acceptedAt: 1_000 }];
    expect(estimate(history, 1)).toBe(1);
    expect(estimate(history, 3)).toBe(1);
    expect(estimate(history, 4)).toBe(2);
    expect(estimate(history, 6)).toBe(2);
    // 10 s over 7 gaps: 21 places are exactly 30 s, not the 31 that rounding 10/7 s first would give.
    const seven = Array.from({ length: 8 }, (_, i) => ({ requestedAt: 0, acceptedAt: i === 7 ? 10_000 : 0 }));
    expect(placeTime(seven)).toEqual({ ms: 10_000, places: 7 });
    expect(estimate(seven, 7)).toBe(10);
    expect(estimate(seven, 21)).toBe(30);
    // One request's wait of 1 ms is a second.
    expect(estimate([{ requestedAt: 5, acceptedAt: 6 }], 1)).toBe(1);
  });

  it('is 0 when every acceptance fell in the same instant, and never negative', () => {
    expect(estimate([at(0, 4), at(1, 4)], 3)).toBe(0);
    // A request accepted "before" it arrived (clocks of two processes): no wait, not a negative one.
    expect(estimate([{ requestedAt: 2_000, acceptedAt: 1_000 }], 2)).toBe(0);
  });
});
