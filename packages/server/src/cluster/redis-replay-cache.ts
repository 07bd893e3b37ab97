/**
 * The signed-call replay cache shared by every node: a signed call seen by one node is refused
 * as a replay by all of them within its window. One `SET <prefix>replay:<key> 1 NX PX <ttl>`
 * per call: it stores the key only if it was absent, atomically, and Redis forgets it when the
 * window is over.
 *
 * Same contract as InMemoryReplayCache: remembered while `untilSeconds >= nowSeconds`, i.e.
 * through the whole second `untilSeconds` of the caller's clock. The time to live is measured
 * from the caller's `nowSeconds` (the node that checked the signature's timestamp against its
 * own clock), so Redis's clock plays no part.
 */
import type { Redis } from 'ioredis';
import type { ReplayCache } from './replay-cache.js';

export class RedisReplayCache implements ReplayCache {
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keyPrefix = `${prefix}replay:`;
  }

  async remember(key: string, untilSeconds: number, nowSeconds: number): Promise<boolean> {
    const ttlMs = (untilSeconds - nowSeconds + 1) * 1000;
    // Already past its window: new by definition (in memory it would be forgotten at once).
    if (!(ttlMs > 0)) return true;
    const stored = await this.redis.set(this.keyPrefix + key, '1', 'PX', Math.ceil(ttlMs), 'NX');
    return stored === 'OK';
  }
}
