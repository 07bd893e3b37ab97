/**
 * The login limiter shared by every node, so a guesser gets one allowance for the cluster, not
 * one per node. Same behaviour as InMemoryLoginLimiter (auth/login-limiter.ts): after 5
 * failures for a username (case-insensitive) each further try waits a doubling delay from 1 s,
 * capped at 5 minutes; per source address the same from 20 failures; failures an hour old are
 * forgotten; a success clears the username's count (not the address's).
 *
 * A counter is a hash {failures, until, last} at `<prefix>login:user:<name>` or
 * `<prefix>login:addr:<address>`. A Lua script counts a failure in a counter (reads, counts and
 * writes at once), so failures arriving on several nodes at once are all counted. One script
 * call per counter, not one for both: they are independent, and a script of one key stays
 * valid on a sharded Redis.
 *
 * Times are the caller's `now` (the interface passes it, and tests move it), as in memory;
 * Redis's clock only drops a counter an hour after its last failure, when it would be
 * forgotten anyway.
 */
import type { Redis } from 'ioredis';
import type { LoginLimiter, LoginVerdict } from '../auth/login-limiter.js';
import { defineScript } from './redis.js';

// The numbers of InMemoryLoginLimiter (redis-login-limiter.test.ts runs both side by side).
const USER_FREE_FAILURES = 5;
const ADDRESS_FREE_FAILURES = 20;
const CAP_MS = 5 * 60_000;
const FORGET_MS = 3600_000;

const FAIL = `
-- KEYS[1] a counter; ARGV[1] now (ms); ARGV[2] failures allowed before delays;
-- ARGV[3] cap (ms); ARGV[4] forget after (ms)
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local forget = tonumber(ARGV[4])
local r = redis.call('HMGET', KEYS[1], 'failures', 'until', 'last')
local failures = tonumber(r[1]) or 0
local untilMs = tonumber(r[2]) or 0
local last = tonumber(r[3]) or now
if now - last > forget then failures = 0 end
failures = failures + 1
if failures >= free then untilMs = now + math.min(cap, 1000 * 2 ^ (failures - free)) end
redis.call('HSET', KEYS[1], 'failures', string.format('%d', failures), 'until', string.format('%.17g', untilMs), 'last', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], forget + 1)
return failures
`;

export class RedisLoginLimiter implements LoginLimiter {
  private readonly fail$: (keys: string[], args: (string | number)[]) => Promise<number>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.fail$ = defineScript<number>(redis, 'ewcLoginFail', 1, FAIL);
  }

  async check(username: string, address: string, now: number): Promise<LoginVerdict> {
    const [byUser, byAddress] = await Promise.all([
      this.redis.hget(this.userKey(username), 'until'),
      this.redis.hget(this.addressKey(address), 'until'),
    ]);
    const waitOf = (until: string | null) => (until !== null && Number(until) > now ? Number(until) - now : 0);
    const wait = Math.max(waitOf(byUser), waitOf(byAddress));
    return { allowed: wait === 0, retryAfterMs: wait };
  }

  async failed(username: string, address: string, now: number): Promise<void> {
    await Promise.all([
      this.fail$([this.userKey(username)], [now, USER_FREE_FAILURES, CAP_MS, FORGET_MS]),
      this.fail$([this.addressKey(address)], [now, ADDRESS_FREE_FAILURES, CAP_MS, FORGET_MS]),
    ]);
  }

  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.userKey(username));
  }

  private userKey(username: string): string {
    return `${this.prefix}login:user:${username.toLowerCase()}`;
  }

  private addressKey(address: string): string {
    return `${this.prefix}login:addr:${address}`;
  }
}
