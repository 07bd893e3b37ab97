// Numbers: a seeded random generator, percentiles, and how times are printed.

/** @param {number} seed */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @typedef {{ n: number, p50: number | null, p95: number | null, max: number | null, mean: number | null }} Stats
 * @param {(number | null)[]} values nulls (timeouts) are left out, and counted by the caller
 * @returns {Stats}
 */
export function stats(values) {
  const v = /** @type {number[]} */ (values.filter((x) => typeof x === 'number' && Number.isFinite(x))).sort((a, b) => a - b);
  const rank = (/** @type {number} */ p) => (v.length === 0 ? null : /** @type {number} */ (v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)]));
  return {
    n: v.length,
    p50: rank(0.5),
    p95: rank(0.95),
    max: v.length === 0 ? null : /** @type {number} */ (v.at(-1)),
    mean: v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length,
  };
}

/** @param {number | null | undefined} v */
export const ms = (v) => (v === null || v === undefined ? 'n/a' : v < 10 ? v.toFixed(1) : v.toFixed(0));
/** @param {Stats} s */
export const triple = (s) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}`;

/** @param {number} total @param {number} parts @returns {number[]} */
export const split = (total, parts) => Array.from({ length: parts }, (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts));
