/** What an agent sees of a chat offered to them: who, from where, what they typed so far. */
import type { ClientSource, OfferView, VisitorInfo } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { presentMessage } from './presenter.js';

/** What is offered to an agent now (or just the one request), oldest offer first. */
export async function openOffers(db: Db, agentId: string, requestId?: number): Promise<OfferView[]> {
  const offers = await db
    .selectFrom('offers')
    .innerJoin('chat_requests as r', 'r.id', 'offers.request_id')
    .select(['offers.request_id', 'offers.offered_at', 'offers.deadline', 'r.queue_id', 'r.channel_id', 'r.client_id', 'r.nickname', 'r.source', 'r.created_at', 'r.visitor', 'r.session_id'])
    .where('offers.agent_id', '=', agentId)
    .where('offers.status', '=', 'open')
    .$if(requestId !== undefined, (q) => q.where('offers.request_id', '=', requestId!))
    .orderBy('offers.id')
    .execute();
  if (offers.length === 0) return [];
  const sessionIds = offers.flatMap((o) => (o.session_id === null ? [] : [o.session_id]));
  const [pre, events] = await Promise.all([
    db.selectFrom('messages').selectAll().where('request_id', 'in', offers.map((o) => o.request_id)).where('kind', '=', 'pre').orderBy('id').execute(),
    sessionIds.length === 0 ? [] : db.selectFrom('messages').select(['session_id', 'event']).where('session_id', 'in', sessionIds).where('kind', '=', 'event').orderBy('id').execute(),
  ]);
  /** A chat transferred to the queue: the note of its latest transfer. */
  const noteOf = (sessionId: number | null): string | null => {
    let note: string | null = null;
    for (const e of events) {
      if (e.session_id !== sessionId || !e.event) continue;
      const parsed = JSON.parse(e.event) as { event: string; note?: string };
      if (parsed.event === 'transferred') note = parsed.note ?? '';
    }
    return note;
  };
  return offers.map((o) => ({
    requestId: o.request_id,
    queueId: o.queue_id,
    channelId: o.channel_id,
    clientId: o.client_id,
    nickname: o.nickname,
    from: o.source as ClientSource,
    waitingSince: o.created_at,
    offeredAt: o.offered_at,
    deadline: o.deadline,
    visitor: o.visitor === null ? null : (JSON.parse(o.visitor) as VisitorInfo),
    preMessages: pre.filter((m) => m.request_id === o.request_id).map(presentMessage),
    transferNote: o.session_id === null ? null : noteOf(o.session_id),
  }));
}
