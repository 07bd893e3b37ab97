/** Delay before the next attempt: doubling from the base up to the cap, ±20% jitter so that many failed callbacks do not retry in step. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.max(1, Math.round(exp * (0.8 + 0.4 * random())));
}
