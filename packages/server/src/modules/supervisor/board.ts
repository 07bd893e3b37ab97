/** The supervisor's live board, read from the store in a few grouped queries. */
import { RequestStatus, requestStatusName } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';

/** Midnight of `now`'s day in `timeZone`, as ms since the epoch. */
export function startOfDay(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return now - ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 - (now % 1000);
}

/** Estimated wait in seconds for a place in a queue; null when unknown (WaitEstimator.estimate). */
export type EstimateWait = (queueId: number, place: number) => Promise<number | null>;

export async function board(db: Db, now: number, timeZone: string, estimate: EstimateWait) {
  const [queues, agents, members, waiting, open, left, offers] = await Promise.all([
    db.selectFrom('queues').select(['id', 'name']).orderBy('id').execute(),
    db.selectFrom('agents').select(['id', 'name', 'alias', 'status', 'max_chats', 'away_reason', 'bridge_id']).where('enabled', '=', 1).orderBy('id').execute(),
    db.selectFrom('agent_queues').selectAll().execute(),
    db
      .selectFrom('chat_requests')
      .select(['queue_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('created_at').as('oldest')])
      .where('status', '=', RequestStatus.WAITING)
      .groupBy('queue_id')
      .execute(),
    db
      .selectFrom('sessions')
      .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'open')
      .groupBy('agent_id')
      .execute(),
    db
      .selectFrom('left_messages')
      .select(['queue_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('handled_at', 'is', null)
      .groupBy('queue_id')
      .execute(),
    db
      .selectFrom('offers')
      .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'open')
      .groupBy('agent_id')
      .execute(),
  ]);
  const offersBy = new Map(offers.map((o) => [o.agent_id, Number(o.n)]));
  const openBy = new Map(open.map((o) => [o.agent_id, Number(o.n)]));
  const agentViews = agents.map((a) => ({
    id: a.id,
    name: a.name,
    alias: a.alias,
    status: a.status,
    openChats: openBy.get(a.id) ?? 0,
    maxChats: a.max_chats,
    queueIds: members.filter((m) => m.agent_id === a.id).map((m) => m.queue_id),
    awayReason: a.status === 'away' && a.away_reason === 'not-responding' ? ('not-responding' as const) : null,
    bridge: a.bridge_id,
    openOffers: offersBy.get(a.id) ?? 0,
  }));
  const queueViews = await Promise.all(queues.map(async (q) => {
    const w = waiting.find((x) => x.queue_id === q.id);
    const online = agentViews.filter((a) => a.status === 'online' && a.queueIds.includes(q.id));
    const waitingNow = w ? Number(w.n) : 0;
    return {
      id: q.id,
      name: q.name,
      waiting: waitingNow,
      longestWaitMs: w && w.oldest !== null ? Math.max(0, now - Number(w.oldest)) : 0,
      agentsOnline: online.length,
      load: { open: online.reduce((n, a) => n + a.openChats, 0), capacity: online.reduce((n, a) => n + a.maxChats, 0) },
      // What a request joining the queue now would be told.
      estimatedWaitSeconds: await estimate(q.id, waitingNow + 1),
      leftMessagesOpen: Number(left.find((l) => l.queue_id === q.id)?.n ?? 0),
    };
  }));

  const since = startOfDay(now, timeZone);
  const [ended, waits, ratings] = await Promise.all([
    db
      .selectFrom('chat_requests')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('created_at', '>=', since)
      .where('continued', '=', 0)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('sessions')
      .select((eb) => eb.fn.avg<number>(eb('created_at', '-', eb.ref('requested_at'))).as('avg'))
      .where('created_at', '>=', since)
      .executeTakeFirst(),
    db
      .selectFrom('sessions')
      .select(['rating_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('rated_at', '>=', since)
      .groupBy('rating_id')
      .execute(),
  ]);
  const requestsByState: Record<string, number> = {};
  for (const e of ended) requestsByState[requestStatusName(e.status)] = Number(e.n);
  const byRatingId: Record<string, number> = {};
  for (const r of ratings) byRatingId[String(r.rating_id)] = Number(r.n);
  const avg = waits?.avg;
  return {
    queues: queueViews,
    agents: agentViews,
    today: {
      since,
      requestsByState,
      averageWaitMs: avg === null || avg === undefined ? null : Math.round(Number(avg)),
      ratings: { count: ratings.reduce((n, r) => n + Number(r.n), 0), byRatingId },
    },
  };
}
