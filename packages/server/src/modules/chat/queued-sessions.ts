/**
 * A session transferred to a queue waits there (status `queued`, no agent) with its request
 * WAITING again. When the request ends without an agent (timed out, the queue closed, refused),
 * the session ends too, and the third party is told with `close`, as if an agent had closed it.
 */
import type { Db } from '../../db/database.js';
import type { SessionRow } from '../../db/schema.js';
import { enqueueCallback } from '../../delivery/outbox.js';

/** Ends a queued session; the caller tells listeners (`closed`, `outbox`) after its transaction. */
export async function endQueuedSession(trx: Db, sessionId: number, now: number): Promise<SessionRow | undefined> {
  const session = await trx
    .updateTable('sessions')
    .set({ status: 'closed', closed_at: now, closed_by: 'system' })
    .where('id', '=', sessionId)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  if (!session) return undefined;
  await trx
    .insertInto('messages')
    .values({ session_id: session.id, sender: 'system', kind: 'event', event: JSON.stringify({ event: 'closed', by: 'system' }), created_at: now })
    .execute();
  await enqueueCallback(trx, session, 'close', { sessionId: session.id, agentId: session.transferred_from ?? '', clientId: session.client_id, time: now }, now);
  return session;
}
