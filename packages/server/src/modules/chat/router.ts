/**
 * Runs the routing engine against the store and carries out its plan. Runs one pass at a time
 * (a wake-up during a pass schedules one more), and only while the routing lock lets this
 * process route. Whatever routes, each accept re-checks the agent's open chats inside its own
 * transaction, so capacity holds even when two routers run at once on one store.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { createCallback, enqueueCallback } from '../../delivery/outbox.js';
import { sql } from 'kysely';
import { moreNeeded, placesByQueue, planAssignments, type QueuePlaces, type RoutableAgent, type WaitingRequest } from '../../routing/engine.js';
import type { SessionRow } from '../../db/schema.js';
import type { BridgeNotices } from './bridge-notices.js';
import type { ChatContext } from './context.js';
import { agentLoad } from './agent-load.js';
import { OfferService } from './offers.js';
import { queueIsOpen } from './queues.js';
import { announceNewAgent } from './transfers.js';

/** Queues read by one statement (SQLite takes at most 500 SELECTs in a compound one). */
const QUEUES_PER_READ = 100;
/** Ids in one IN list, well within either store's limit on parameters. */
const IDS_PER_READ = 1_000;

/** While another process holds the routing lock: how often, and how many times, to try again. */
const LOCK_RETRY_MS = 100;
const LOCK_RETRIES = 50;

export class Router {
  private running: Promise<void> | undefined;
  private again = false;
  readonly offers: OfferService;

  constructor(
    private readonly ctx: ChatContext,
    private readonly bridges: BridgeNotices,
  ) {
    this.offers = new OfferService(ctx, bridges, () => void this.wake());
  }

  /** Asks for a routing run soon; returns when the run that covers this wake-up has finished. */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        let waited = 0;
        do {
          this.again = false;
          // Another process routing now may have read the queues before what woke this one was
          // stored: try again shortly, for a while, rather than leave it to the next wake-up.
          if (!(await this.ctx.routingLock.tryRun(() => this.runOnce())) && waited++ < LOCK_RETRIES) {
            await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
            this.again = true;
          }
        } while (this.again);
      } catch (error) {
        this.ctx.log.error({ err: error }, 'routing run failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async runOnce(): Promise<void> {
    const { db, clock } = this.ctx;
    // Nobody has room (a deep backlog, a new request): nothing to read.
    const agents = await this.routableAgents();
    if (agents.length === 0) return;
    const now = clock();
    // A disabled queue, or one whose hours just ended, routes nothing (the sweeper ends those);
    // a manual queue's requests wait for an agent to take them.
    const queues = await db.selectFrom('queues').selectAll().execute();
    const serving = new Set(queues.filter((q) => q.enabled === 1 && q.assignment !== 'manual' && queueIsOpen(q, now)).map((q) => q.id));
    const offering = new Set(queues.filter((q) => q.assignment === 'offer').map((q) => q.id));
    const places = placesByQueue(agents);
    for (const queueId of places.keys()) if (!serving.has(queueId)) places.delete(queueId);
    if (places.size === 0) return;
    const candidates = await this.oldestWaiting(places, offering);
    if (candidates.length === 0) return;
    const plan = planAssignments(candidates, agents, now);
    const queueOf = new Map(candidates.map((w) => [w.id, w.queueId]));
    for (const { requestId, agentId } of plan) {
      if (offering.has(queueOf.get(requestId) ?? 0)) await this.offers.offer(requestId, agentId);
      else await this.accept(requestId, agentId);
    }
  }

  /**
   * The oldest waiting requests of each queue with room, as many as the plan can need
   * (engine.ts, moreNeeded): a deep backlog is read only as far as its agents' free places, one
   * statement for all queues (and more only for queues whose oldest were refused by agents with
   * room), along the index on (queue_id, status, id). A request offered to someone waits for their
   * answer and is not read; one never goes to an agent who refused it (declined it, or let its offer
   * run out); a chat transferred to a queue does not go back to the agent who sent it there.
   */
  private async oldestWaiting(places: ReadonlyMap<number, QueuePlaces>, offering: ReadonlySet<number>): Promise<WaitingRequest[]> {
    const { db } = this.ctx;
    const read = new Map<number, WaitingRequest[]>();
    let wanted = new Map([...places].map(([queueId, p]) => [queueId, { after: 0, limit: p.free }]));
    while (wanted.size > 0) {
      const rows: { id: number; queueId: number; transferred_from: string | null }[] = [];
      // Offering queues first, so that the statement's text depends only on how many of each.
      const parts = [...wanted].sort(([a], [b]) => Number(offering.has(b)) - Number(offering.has(a)) || a - b);
      for (let i = 0; i < parts.length; i += QUEUES_PER_READ) {
        const [first, ...rest] = parts.slice(i, i + QUEUES_PER_READ).map(([queueId, { after, limit }]) =>
          db
            .selectFrom((eb) =>
              eb
                .selectFrom('chat_requests as r')
                .leftJoin('sessions as s', 's.id', 'r.session_id')
                .select(['r.id', 'r.queue_id as queueId', 's.transferred_from'])
                .where('r.queue_id', '=', queueId)
                .where('r.status', '=', RequestStatus.WAITING)
                .where('r.id', '>', after)
                .$if(offering.has(queueId), (qb) =>
                  qb.where(({ not, exists, selectFrom }) =>
                    not(exists(selectFrom('offers as o').select('o.id').whereRef('o.request_id', '=', 'r.id').where('o.status', '=', sql.lit('open')))),
                  ),
                )
                .orderBy('r.id')
                .limit(limit)
                .as('w'),
            )
            .selectAll(),
        );
        if (!first) continue;
        rows.push(...(await rest.reduce((query, part) => query.unionAll(part), first).execute()));
      }
      const refusedBy = new Map<number, Set<string>>();
      for (const row of rows) if (row.transferred_from) refusedBy.set(row.id, new Set([row.transferred_from]));
      const offered = rows.filter((row) => offering.has(row.queueId)).map((row) => row.id);
      for (let i = 0; i < offered.length; i += IDS_PER_READ) {
        const refusals = await db
          .selectFrom('offers')
          .select(['request_id', 'agent_id'])
          .where('request_id', 'in', offered.slice(i, i + IDS_PER_READ))
          .where('status', 'in', ['declined', 'expired'])
          .execute();
        for (const r of refusals) {
          let set = refusedBy.get(r.request_id);
          if (!set) refusedBy.set(r.request_id, (set = new Set()));
          set.add(r.agent_id);
        }
      }
      const pages = new Map<number, WaitingRequest[]>();
      for (const row of rows.sort((a, b) => a.id - b.id)) {
        let page = pages.get(row.queueId);
        if (!page) pages.set(row.queueId, (page = []));
        page.push({ id: row.id, queueId: row.queueId, refusedBy: refusedBy.get(row.id) });
      }
      const next = new Map<number, { after: number; limit: number }>();
      for (const [queueId, { limit }] of wanted) {
        const page = pages.get(queueId) ?? [];
        const all = [...(read.get(queueId) ?? []), ...page];
        read.set(queueId, all);
        const last = page.at(-1);
        // Fewer than asked for: that was all of the queue.
        if (!last || page.length < limit) continue;
        const more = moreNeeded(all, places.get(queueId));
        // Twice as many each time: a long run of refused requests takes few reads.
        if (more > 0) next.set(queueId, { after: last.id, limit: Math.max(more, 2 * limit) });
      }
      wanted = next;
    }
    return [...read.values()].flat();
  }

  /**
   * The online agents with a free place and their queues: agents at their maxChats take
   * nothing, so the plan does not need them. An open offer holds a place of the agent's maxChats
   * until it is answered.
   */
  private async routableAgents(): Promise<RoutableAgent[]> {
    const { db } = this.ctx;
    const withRoom = await db
      .selectFrom((eb) =>
        eb
          .selectFrom('agents as a')
          .select((inner) => [
            'a.id',
            'a.max_chats',
            'a.idle_since',
            inner(
              inner.selectFrom('sessions as s').select((c) => c.fn.countAll<number>().as('n')).whereRef('s.agent_id', '=', 'a.id').where('s.status', '=', 'open'),
              '+',
              // The literal lets SQLite use the partial index of open offers by agent.
              inner.selectFrom('offers as o').select((c) => c.fn.countAll<number>().as('n')).whereRef('o.agent_id', '=', 'a.id').where('o.status', '=', sql.lit('open')),
            ).as('open'),
          ])
          .where('a.status', '=', 'online')
          .where('a.enabled', '=', 1)
          .as('x'),
      )
      .selectAll()
      .where((eb) => eb('x.open', '<', eb.ref('x.max_chats')))
      .execute();
    if (withRoom.length === 0) return [];
    const memberships: { agent_id: string; queue_id: number }[] = [];
    const ids = withRoom.map((a) => a.id);
    for (let i = 0; i < ids.length; i += IDS_PER_READ) {
      memberships.push(...(await db.selectFrom('agent_queues').select(['agent_id', 'queue_id']).where('agent_id', 'in', ids.slice(i, i + IDS_PER_READ)).execute()));
    }
    const queuesOf = new Map<string, number[]>();
    for (const m of memberships) {
      const list = queuesOf.get(m.agent_id);
      if (list) list.push(m.queue_id);
      else queuesOf.set(m.agent_id, [m.queue_id]);
    }
    return withRoom.map((a) => ({
      id: a.id,
      open: Number(a.open),
      maxChats: a.max_chats,
      idleSince: a.idle_since,
      queueIds: queuesOf.get(a.id) ?? [],
    }));
  }

  /**
   * Gives a waiting request to an agent, if the agent is still online with room and the
   * request still waits; says whether it did (or, for an offer, why not). The agent's row is
   * written first, which takes its lock (a row lock on PostgreSQL, the write lock on SQLite)
   * before the open chats are counted: two accepts for one agent cannot both see room for one
   * more. Open offers to the agent hold places too, except the one being accepted.
   *
   * A request transferred to a queue still has its session: the session goes to the agent, with
   * its whole history, and the third party gets a new `create` for the same session id (or
   * `agentsUpdate`, if its channel asked for it: announceNewAgent).
   */
  async accept(requestId: number, agentId: string, options: { viaOffer?: boolean } = {}): Promise<AcceptOutcome> {
    const { db, clock, events } = this.ctx;
    const now = clock();
    const done = await db.transaction().execute(async (trx) => {
      const agent = await trx
        .updateTable('agents')
        .set({ idle_since: now, ...(options.viaOffer ? { missed_offers: 0 } : {}) })
        .where('id', '=', agentId)
        .where('status', '=', 'online')
        .where('enabled', '=', 1)
        .returningAll()
        .executeTakeFirst();
      if (!agent) throw new NotAccepted('agent-unavailable');
      if (options.viaOffer) {
        const taken = await trx
          .updateTable('offers')
          .set({ status: 'accepted', ended_at: now })
          .where('request_id', '=', requestId)
          .where('agent_id', '=', agentId)
          .where('status', '=', 'open')
          .where('deadline', '>', now)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 0) throw new NotAccepted('not-offered');
      }
      const load = await agentLoad(trx, agent.id, requestId);
      if (load.chats + load.offers >= agent.max_chats) throw new NotAccepted('no-room');
      const status = agent.bridge_id === null ? RequestStatus.ACCEPTED : RequestStatus.ENTERPRISE_WECHAT_ACCEPTED;
      const request = await trx
        .updateTable('chat_requests')
        .set({ status, ended_at: now })
        .where('id', '=', requestId)
        .where('status', '=', RequestStatus.WAITING)
        .returningAll()
        .executeTakeFirst();
      if (!request) throw new NotAccepted('gone');
      // Offered to someone else meanwhile (a take, a supervisor's assignment): no longer theirs to answer.
      const withdrawn = await trx
        .updateTable('offers')
        .set({ status: 'withdrawn', ended_at: now })
        .where('request_id', '=', request.id)
        .where('status', '=', 'open')
        .returning('agent_id')
        .execute();
      let session: SessionRow;
      if (request.session_id !== null) {
        session = await trx
          .updateTable('sessions')
          .set({ agent_id: agent.id, status: 'open', bridge_relayed_id: 0, queue_id: request.queue_id })
          .where('id', '=', request.session_id)
          .where('status', '=', 'queued')
          .returningAll()
          .executeTakeFirstOrThrow();
      } else {
        session = await trx
          .insertInto('sessions')
          .values({
            request_id: request.id,
            channel_id: request.channel_id,
            client_id: request.client_id,
            nickname: request.nickname,
            source: request.source,
            queue_id: request.queue_id,
            agent_id: agent.id,
            callback_base: request.server_addr,
            status: 'open',
            requested_at: request.created_at,
            created_at: now,
            visitor: request.visitor,
            customer_context: request.customer_context,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.updateTable('chat_requests').set({ session_id: session.id }).where('id', '=', request.id).execute();
        await trx
          .updateTable('messages')
          .set({ session_id: session.id })
          .where('request_id', '=', request.id)
          .where('session_id', 'is', null)
          .execute();
      }
      // A chat transferred to the queue: the third party already has its session.
      if (request.session_id !== null) await announceNewAgent(trx, session, agent, now);
      else await enqueueCallback(trx, session, 'create', createCallback(agent, session, now), now);
      if (agent.bridge_id !== null) await this.bridges.assigned(trx, agent, request, session, now);
      return { sessionId: session.id, queueId: request.queue_id, visitorId: request.visitor_id, status, withdrawn: withdrawn.map((w) => w.agent_id) };
    }).catch((error: unknown) => {
      // Rolled back: nothing of this accept was written, not even the agent's idle time.
      if (error instanceof NotAccepted) return error.why;
      throw error;
    });
    if (typeof done === 'string') return { accepted: false, why: done };
    if (options.viaOffer) events.emit({ type: 'offer', agentId, requestId, change: 'accepted' });
    for (const other of done.withdrawn) events.emit({ type: 'offer', agentId: other, requestId, change: 'withdrawn' });
    events.emit({ type: 'request-ended', queueId: done.queueId, status: done.status, visitorId: done.visitorId, requestId });
    events.emit({ type: 'assigned', agentId, sessionId: done.sessionId });
    events.emit({ type: 'outbox' });
    return { accepted: true, sessionId: done.sessionId };
  }
}

/** Why an accept did not happen: the agent went or has no room, the request went, or it was not offered to them (any more). */
export type NotAcceptedReason = 'agent-unavailable' | 'no-room' | 'gone' | 'not-offered';
export type AcceptOutcome = { accepted: true; sessionId: number } | { accepted: false; why: NotAcceptedReason };

/** An accept that must not happen after all: roll it back. */
class NotAccepted extends Error {
  constructor(readonly why: NotAcceptedReason) {
    super(why);
  }
}
