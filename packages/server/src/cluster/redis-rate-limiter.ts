/**
 * A cluster-wide token bucket: the same limit as InMemoryRateLimiter (perSecond, burst), but
 * one bucket per key for all the nodes, in Redis, so a limit of 20 a second with bursts of 40
 * is that across the cluster, not per node.
 *
 * One Lua script reads, refills, takes and writes the bucket, so concurrent takes from any
 * number of nodes never both spend the same token. A bucket is a hash {tokens, at} that
 * expires once it would have refilled completely: a missing bucket is a full one, so the
 * expiry changes nothing but memory.
 *
 * Time: Redis's own clock (TIME, inside the script), not the nodes'. A bucket is shared, so
 * every node must measure its refill on one clock: with each node's clock, a node whose clock
 * is ahead would refill everyone's bucket early at each of its takes, and one behind would
 * refill nothing. The passed `clock` of InMemoryRateLimiter exists for tests' fake time; here
 * agreement between nodes matters more, so there is none to pass (tests wait real time). As in
 * memory, a clock stepped back (Redis host's NTP) refills nothing and takes nothing away.
 */
import type { Redis } from 'ioredis';
import type { Rate, RateLimiter } from './rate-limiter.js';
import { defineScript } from './redis.js';

const TAKE = `
-- KEYS[1] the bucket; ARGV[1] tokens a second; ARGV[2] burst; ARGV[3] ms until idle expiry
-- Scripts that read TIME and then write are replicated by their effects (Redis >= 5 always).
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local perSecond = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
local elapsed = now - at
if elapsed < 0 then elapsed = 0 end
tokens = math.min(burst, tokens + elapsed / 1000 * perSecond)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return taken
`;

export class RedisRateLimiter implements RateLimiter {
  private readonly take$: (keys: string[], args: (string | number)[]) => Promise<number>;
  private readonly keyPrefix: string;
  private readonly idleMs: number;

  /**
   * `name` tells this limiter's buckets from another's (a channel id and a visitor id may be
   * the same text): keys are `<prefix>rate:<name>:<key>`.
   */
  constructor(
    redis: Redis,
    prefix: string,
    name: string,
    private readonly rate: Rate,
  ) {
    if (!(rate.perSecond > 0) || !(rate.burst >= 1)) throw new Error(`rate ${name}: perSecond must be > 0 and burst >= 1`);
    this.take$ = defineScript<number>(redis, 'ewcRateTake', 1, TAKE);
    this.keyPrefix = `${prefix}rate:${name}:`;
    // From empty to full, plus a second for rounding and Redis's expiry granularity.
    this.idleMs = Math.ceil((rate.burst / rate.perSecond) * 1000) + 1000;
  }

  async take(key: string): Promise<boolean> {
    return (await this.take$([this.keyPrefix + key], [this.rate.perSecond, this.rate.burst, this.idleMs])) === 1;
  }
}
