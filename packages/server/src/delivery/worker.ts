/**
 * Sends the outbox. Per session strictly in order: only a session's oldest pending callback is
 * ever due, so a failing `create` holds back that session's later callbacks and no other
 * session's. Many sessions are served at once, at most `perChannel` of one channel, so that a
 * hanging third party cannot take every slot. Woken when a callback is written, and on a timer
 * for retries and for what a previous process left pending.
 *
 * A failed attempt is retried after a doubling, jittered delay, or after the third party's
 * Retry-After on 429/503. Still failing when its window ends, a callback becomes a dead letter:
 * it no longer holds back its session, and an admin can see it and send it again.
 */
import type { Logger } from 'pino';
import type { DeliveryConfig } from '../config.js';
import type { Db } from '../db/database.js';
import type { CallbackRow, ChannelRow } from '../db/schema.js';
import type { OutboxClaims } from '../cluster/outbox-claims.js';
import type { EventBus } from '../cluster/event-bus.js';
import type { Metrics } from '../metrics.js';
import { literalTargetProblem } from './address-guard.js';
import { retryDelay } from './backoff.js';
import { ChannelDispatchers } from './channel-dispatchers.js';
import { announceDelivery, callbackDelivery } from './marks.js';
import { sendCallback, type AttemptOutcome } from './send.js';
import { webhookHeaders } from './signature.js';

/** Consecutive failures of one channel at which it is reported (and every tenfold after). */
const REPORT_AFTER = 5;

export class DeliveryWorker {
  private readonly inFlight = new Map<number, { channelId: string; work: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private stopped = false;
  private readonly dispatchers: ChannelDispatchers;
  /** Consecutive failed attempts per channel, since its last success. */
  readonly failing = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly config: DeliveryConfig,
    private readonly channel: (id: string) => ChannelRow | undefined,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly clock: () => number,
    private readonly claims: OutboxClaims,
    /** Where a reply's new delivery mark is told (the agent's feed); absent: told nowhere. */
    private readonly events?: Pick<EventBus, 'emit'>,
  ) {
    this.dispatchers = new ChannelDispatchers(config.timeoutMs);
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), this.config.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due callbacks now. */
  wake(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    void this.poll()
      .catch((error: unknown) => this.log.error({ err: error }, 'callback poll failed'))
      .finally(() => {
        this.polling = false;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.wake();
        }
      });
  }

  /** Stops taking new work and waits for attempts under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.work));
    await this.dispatchers.close();
  }

  private async poll(): Promise<void> {
    const free = this.config.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const busy = this.claims.held();
    const due = await this.db
      .selectFrom('callbacks as c')
      .selectAll('c')
      .where('c.status', '=', 'pending')
      .where('c.next_attempt_at', '<=', this.clock())
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('callbacks as p')
              .select('p.id')
              .whereRef('p.session_id', '=', 'c.session_id')
              .where('p.status', '=', 'pending')
              .whereRef('p.id', '<', 'c.id'),
          ),
        ),
      )
      .$if(busy.length > 0, (q) => q.where('c.session_id', 'not in', busy))
      // Longest due first: a session retried often must not starve the others of the channel's slots.
      .orderBy('c.next_attempt_at')
      .orderBy('c.id')
      .limit(free * 2)
      .execute();
    const perChannel = new Map<string, number>();
    for (const f of this.inFlight.values()) perChannel.set(f.channelId, (perChannel.get(f.channelId) ?? 0) + 1);
    for (const row of due) {
      if (this.stopped || this.inFlight.size >= this.config.concurrency || this.inFlight.has(row.session_id)) continue;
      const n = perChannel.get(row.channel_id) ?? 0;
      if (n >= this.config.perChannel) continue;
      // Another worker may be sending this session's callbacks: theirs to finish, in order.
      const claimed = this.claims.claim(row.session_id);
      if (!(claimed instanceof Promise ? await claimed : claimed)) continue;
      // Shared claims: another process may have sent it between the read above and the claim.
      if (this.claims.shared && !(await this.stillDue(row))) {
        await this.claims.release(row.session_id);
        continue;
      }
      // The lease counts from here, so that it covers the whole send.
      const renewed = this.claims.renew(row.session_id);
      if (!(renewed instanceof Promise ? await renewed : renewed)) {
        this.log.warn({ callbackId: row.id, sessionId: row.session_id }, 'callback claim lost before sending (another node took it): not sent');
        await this.claims.release(row.session_id);
        continue;
      }
      perChannel.set(row.channel_id, n + 1);
      const work = this.deliver(row)
        .catch((error: unknown) => this.log.error({ err: error, callbackId: row.id }, 'callback bookkeeping failed'))
        .finally(() => {
          this.inFlight.delete(row.session_id);
          const released = this.claims.release(row.session_id);
          if (released instanceof Promise) return released.finally(() => this.wake());
          this.wake();
          return undefined;
        });
      this.inFlight.set(row.session_id, { channelId: row.channel_id, work });
    }
  }

  private async stillDue(row: CallbackRow): Promise<boolean> {
    const now = await this.db.selectFrom('callbacks').select(['status', 'attempts']).where('id', '=', row.id).executeTakeFirst();
    return now !== undefined && now.status === 'pending' && now.attempts === row.attempts;
  }

  private async attempt(row: CallbackRow): Promise<AttemptOutcome> {
    const channel = this.channel(row.channel_id);
    if (!channel) return { ok: false, httpStatus: null, error: `channel ${row.channel_id} no longer exists`, response: null };
    const pool = this.dispatchers.for(channel);
    const problem = literalTargetProblem(new URL(row.url), pool.trusted);
    if (problem) return { ok: false, httpStatus: null, error: `refused: ${problem}`, response: null };
    // A stable id across retries lets a receiver drop duplicates.
    const headers = webhookHeaders(JSON.parse(channel.webhook_secrets) as string[], `cb_${row.id}`, Math.floor(this.clock() / 1000), row.body);
    return sendCallback(pool.agent, row.url, row.body, headers, this.config.timeoutMs);
  }

  private async deliver(row: CallbackRow): Promise<void> {
    const started = this.clock();
    const t0 = process.hrtime.bigint();
    const outcome = await this.attempt(row);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    this.metrics.callbackSeconds.observe({ name: row.name }, seconds);
    const attempts = row.attempts + 1;
    const now = this.clock();
    const retryUntil = row.retry_until ?? row.created_at + this.config.windowMs;
    const dead = !outcome.ok && now >= retryUntil;
    this.metrics.callbackAttempts.inc({ name: row.name, outcome: outcome.ok ? 'delivered' : dead ? 'dead' : 'failed' });
    const next = now + Math.max(outcome.retryAfterMs ?? 0, retryDelay(attempts, this.config.baseBackoffMs, this.config.maxBackoffMs));
    const recorded = await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('callback_attempts')
        .values({
          callback_id: row.id,
          started_at: started,
          duration_ms: Math.round(seconds * 1000),
          http_status: outcome.httpStatus,
          error: outcome.error,
          response: outcome.response,
        })
        .execute();
      const result = await trx
        .updateTable('callbacks')
        .set(
          outcome.ok
            ? { status: 'delivered', attempts, delivered_at: now, last_error: null }
            : dead
              ? { status: 'dead', attempts, last_error: outcome.error }
              : { attempts, last_error: outcome.error, next_attempt_at: Math.min(next, Math.max(retryUntil, now)) },
        )
        .where('id', '=', row.id)
        // Only over what this attempt started from: a node that stalled past its claim never
        // overwrites the outcome another node recorded meanwhile (its attempt is still listed).
        .where('status', '=', 'pending')
        .where('attempts', '=', row.attempts)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
    if (!recorded) {
      this.log.warn({ callbackId: row.id, sessionId: row.session_id }, 'callback attempt finished after another node had recorded one: its outcome is listed, not applied');
      return;
    }
    this.track(row, outcome, attempts, dead);
    // A reply's mark changed with every attempt; other callbacks carry no message and cost nothing here.
    if (row.message_id !== null && this.events) {
      const status = outcome.ok ? 'delivered' : dead ? 'dead' : 'pending';
      const delivery = callbackDelivery({ id: row.id, status, attempts, last_error: outcome.ok ? null : outcome.error });
      await announceDelivery(this.db, this.events, row.session_id, [row.message_id], delivery);
    }
  }

  private track(row: CallbackRow, outcome: AttemptOutcome, attempts: number, dead: boolean): void {
    if (outcome.ok) {
      if ((this.failing.get(row.channel_id) ?? 0) >= REPORT_AFTER) this.log.info({ channelId: row.channel_id }, 'channel callbacks recovered');
      this.failing.set(row.channel_id, 0);
      this.metrics.channelFailing.set({ channel: row.channel_id }, 0);
      return;
    }
    const failures = (this.failing.get(row.channel_id) ?? 0) + 1;
    this.failing.set(row.channel_id, failures);
    this.metrics.channelFailing.set({ channel: row.channel_id }, failures);
    const context = { callbackId: row.id, sessionId: row.session_id, channelId: row.channel_id, name: row.name, attempts, error: outcome.error };
    if (dead) this.log.error(context, 'callback is a dead letter: its retry window ended');
    else if (failures >= REPORT_AFTER && Number.isInteger(Math.log10(failures / REPORT_AFTER))) {
      this.log.error({ ...context, consecutiveFailures: failures }, 'channel keeps failing its callbacks');
    } else this.log.warn(context, 'callback failed; will retry');
  }
}
