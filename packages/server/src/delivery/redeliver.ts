/**
 * Putting a callback back in the outbox by hand (an admin from the callback log, a supervisor
 * from a failed reply): pending again, due now, with a fresh retry window and its attempts
 * counted from zero (so its backoff starts over and a reply shows as sent again); every earlier
 * attempt stays in callback_attempts. The caller wakes the worker.
 */
import type { CallbackStatus } from '@elitewebchat/protocol';
import type { Db } from '../db/database.js';
import type { CallbackRow } from '../db/schema.js';

export type Redelivery =
  | { outcome: 'redelivered'; callback: CallbackRow }
  | { outcome: 'not-found' }
  /** Its status is not one the caller may send again from. */
  | { outcome: 'refused'; status: CallbackStatus };

export async function redeliverCallback(db: Db, id: number, opts: { now: number; windowMs: number; from: readonly CallbackStatus[] }): Promise<Redelivery> {
  // Conditional, so that two redeliveries at once (or one racing the worker) put it back once.
  const callback = await db
    .updateTable('callbacks')
    .set({ status: 'pending', attempts: 0, last_error: null, next_attempt_at: opts.now, retry_until: opts.now + opts.windowMs, delivered_at: null })
    .where('id', '=', id)
    .where('status', 'in', opts.from)
    .returningAll()
    .executeTakeFirst();
  if (callback) return { outcome: 'redelivered', callback };
  const found = await db.selectFrom('callbacks').select('status').where('id', '=', id).executeTakeFirst();
  return found ? { outcome: 'refused', status: found.status } : { outcome: 'not-found' };
}
