/** Requests waiting in some queues, oldest first, with their place: to take by hand, or to assign. */
import { RequestStatus, type ClientSource, type VisitorInfo, type WaitingRequestView } from '@elitewebchat/protocol';
import type { SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

/** At most this many are listed. */
const LIST_LIMIT = 500;

export async function waitingRequests(
  db: Db,
  /** The queues whose requests to list; undefined: all. */
  queueIds?: SelectQueryBuilder<DB, 'agent_queues' | 'queues', { id: number }>,
): Promise<WaitingRequestView[]> {
  const rows = await db
    .selectFrom('chat_requests as r')
    .select((eb) => [
      'r.id',
      'r.queue_id',
      'r.channel_id',
      'r.client_id',
      'r.nickname',
      'r.source',
      'r.created_at',
      'r.visitor',
      eb.selectFrom('messages').select(eb.fn.countAll<number>().as('n')).whereRef('messages.request_id', '=', 'r.id').as('pre'),
    ])
    .where('r.status', '=', RequestStatus.WAITING)
    .$if(queueIds !== undefined, (q) => q.where('r.queue_id', 'in', queueIds!))
    .orderBy('r.id')
    .limit(LIST_LIMIT)
    .execute();
  const places = new Map<number, number>();
  return rows.map((r) => {
    const place = (places.get(r.queue_id) ?? 0) + 1;
    places.set(r.queue_id, place);
    return {
      requestId: r.id,
      queueId: r.queue_id,
      channelId: r.channel_id,
      clientId: r.client_id,
      nickname: r.nickname,
      from: r.source as ClientSource,
      place,
      waitingSince: r.created_at,
      preMessages: Number(r.pre ?? 0),
      visitor: r.visitor === null ? null : (JSON.parse(r.visitor) as VisitorInfo),
    };
  });
}
