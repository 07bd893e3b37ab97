/**
 * Sends the outbox. Per session strictly in order: only a session's oldest pending callback is
 * ever due, so a failing `create` holds back that session's later callbacks and no other
 * session's. Many sessions are served at once. Woken when a callback is written, and on a timer
 * for retries and for what a previous process left pending.
 */
import { Agent } from 'undici';
import type { DeliveryConfig } from '../config.js';
import type { Db } from '../db/database.js';
import type { CallbackRow } from '../db/schema.js';
import type { Metrics } from '../modules/ops/metrics.js';
import type { Logger } from 'pino';
import { retryDelay } from './backoff.js';
import { sendCallback } from './send.js';

export class DeliveryWorker {
  private readonly inFlight = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private stopped = false;
  private readonly dispatcher: Agent;

  constructor(
    private readonly db: Db,
    private readonly config: DeliveryConfig,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly clock: () => number,
  ) {
    this.dispatcher = new Agent({ connect: { timeout: config.timeoutMs }, keepAliveTimeout: 10_000, connections: 64 });
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
    await Promise.allSettled(this.inFlight.values());
    await this.dispatcher.close();
  }

  private async poll(): Promise<void> {
    const free = this.config.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const busy = [...this.inFlight.keys()];
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
      .orderBy('c.id')
      .limit(free)
      .execute();
    for (const row of due) {
      if (this.stopped || this.inFlight.has(row.session_id)) continue;
      const work = this.deliver(row)
        .catch((error: unknown) => this.log.error({ err: error, callbackId: row.id }, 'callback bookkeeping failed'))
        .finally(() => {
          this.inFlight.delete(row.session_id);
          this.wake();
        });
      this.inFlight.set(row.session_id, work);
    }
  }

  private async deliver(row: CallbackRow): Promise<void> {
    const started = this.clock();
    const t0 = process.hrtime.bigint();
    // A stable id across retries lets a receiver drop duplicates (Standard Webhooks' webhook-id).
    const outcome = await sendCallback(this.dispatcher, row.url, row.body, { 'webhook-id': `cb_${row.id}` }, this.config.timeoutMs);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    this.metrics.callbackSeconds.observe({ name: row.name }, seconds);
    this.metrics.callbackAttempts.inc({ name: row.name, outcome: outcome.ok ? 'delivered' : 'failed' });
    const attempts = row.attempts + 1;
    const now = this.clock();
    await this.db.transaction().execute(async (trx) => {
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
      await trx
        .updateTable('callbacks')
        .set(
          outcome.ok
            ? { status: 'delivered', attempts, delivered_at: now, last_error: null }
            : { attempts, last_error: outcome.error, next_attempt_at: now + retryDelay(attempts, this.config.baseBackoffMs, this.config.maxBackoffMs) },
        )
        .where('id', '=', row.id)
        .execute();
    });
    if (!outcome.ok) {
      this.log.warn({ callbackId: row.id, sessionId: row.session_id, name: row.name, attempts, error: outcome.error }, 'callback failed; will retry');
    }
  }
}
