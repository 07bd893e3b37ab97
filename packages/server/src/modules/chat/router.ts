/**
 * Runs the routing engine against the store and carries out its plan. Runs one pass at a time
 * (a wake-up during a pass schedules one more), and only while the routing lock lets this
 * process route. Whatever routes, each accept re-checks the agent's open chats inside its own
 * transaction, so capacity holds even when two routers run at once on one store.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { createCallback, enqueueCallback } from '../../delivery/outbox.js';
import { planAssignments, type RoutableAgent } from '../../routing/engine.js';
import type { SessionRow } from '../../db/schema.js';
import type { BridgeNotices } from './bridge-notices.js';
import type { ChatContext } from './context.js';
import { OfferService } from './offers.js';
import { queueIsOpen } from './queues.js';

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
        do {
          this.again = false;
          await this.ctx.routingLock.tryRun(() => this.runOnce());
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
    const waiting = await db
      .selectFrom('chat_requests as r')
      .leftJoin('sessions as s', 's.id', 'r.session_id')
      .select(['r.id', 'r.queue_id as queueId', 's.transferred_from'])
      .where('r.status', '=', RequestStatus.WAITING)
      .orderBy('r.id')
      .execute();
    if (waiting.length === 0) return;
    const now = clock();
    // A disabled queue, or one whose hours just ended, routes nothing (the sweeper ends those);
    // a manual queue's requests wait for an agent to take them.
    const queues = await db.selectFrom('queues').selectAll().execute();
    const serving = new Set(queues.filter((q) => q.enabled === 1 && q.assignment !== 'manual' && queueIsOpen(q, now)).map((q) => q.id));
    const offering = new Set(queues.filter((q) => q.assignment === 'offer').map((q) => q.id));
    const candidates = waiting.filter((w) => serving.has(w.queueId));
    if (candidates.length === 0) return;
    // A request offered to someone waits for their answer; one never goes to an agent who refused it.
    const offered = candidates.filter((w) => offering.has(w.queueId)).map((w) => w.id);
    const history = offered.length === 0
      ? []
      : await db.selectFrom('offers').select(['request_id', 'agent_id', 'status']).where('request_id', 'in', offered).where('status', 'in', ['open', 'declined', 'expired']).execute();
    const pending = new Set(history.filter((h) => h.status === 'open').map((h) => h.request_id));
    const refusedBy = new Map<number, Set<string>>();
    // A chat transferred to a queue does not go back to the agent who sent it there.
    for (const w of candidates) if (w.transferred_from) refusedBy.set(w.id, new Set([w.transferred_from]));
    for (const h of history) {
      if (h.status === 'open') continue;
      let set = refusedBy.get(h.request_id);
      if (!set) refusedBy.set(h.request_id, (set = new Set()));
      set.add(h.agent_id);
    }
    const agents = await this.routableAgents();
    const plan = planAssignments(
      candidates.filter((w) => !pending.has(w.id)).map((w) => ({ id: w.id, queueId: w.queueId, refusedBy: refusedBy.get(w.id) })),
      agents,
      now,
    );
    for (const { requestId, agentId } of plan) {
      const queueId = candidates.find((w) => w.id === requestId)?.queueId;
      if (queueId !== undefined && offering.has(queueId)) await this.offers.offer(requestId, agentId);
      else await this.accept(requestId, agentId);
    }
  }

  private async routableAgents(): Promise<RoutableAgent[]> {
    const { db } = this.ctx;
    const online = await db
      .selectFrom('agents')
      .select(['id', 'max_chats', 'idle_since'])
      .where('status', '=', 'online')
      .where('enabled', '=', 1)
      .execute();
    if (online.length === 0) return [];
    const ids = online.map((a) => a.id);
    const [memberships, loads, offers] = await Promise.all([
      db.selectFrom('agent_queues').select(['agent_id', 'queue_id']).where('agent_id', 'in', ids).execute(),
      db
        .selectFrom('sessions')
        .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'open')
        .where('agent_id', 'in', ids)
        .groupBy('agent_id')
        .execute(),
      db
        .selectFrom('offers')
        .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'open')
        .groupBy('agent_id')
        .execute(),
    ]);
    // An open offer holds a place of the agent's maxChats until it is answered.
    const load = new Map(loads.map((l) => [l.agent_id, Number(l.n)]));
    for (const o of offers) load.set(o.agent_id, (load.get(o.agent_id) ?? 0) + Number(o.n));
    const queuesOf = new Map<string, number[]>();
    for (const m of memberships) {
      const list = queuesOf.get(m.agent_id);
      if (list) list.push(m.queue_id);
      else queuesOf.set(m.agent_id, [m.queue_id]);
    }
    return online.map((a) => ({
      id: a.id,
      open: load.get(a.id) ?? 0,
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
   * its whole history, and the third party gets a new `create` for the same session id.
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
      const [open, held] = await Promise.all([
        trx.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('agent_id', '=', agent.id).where('status', '=', 'open').executeTakeFirstOrThrow(),
        trx.selectFrom('offers').select((eb) => eb.fn.countAll<number>().as('n')).where('agent_id', '=', agent.id).where('status', '=', 'open').where('request_id', '!=', requestId).executeTakeFirstOrThrow(),
      ]);
      if (Number(open.n) + Number(held.n) >= agent.max_chats) throw new NotAccepted('no-room');
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
      await enqueueCallback(trx, session, 'create', createCallback(agent, session, now), now);
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
    events.emit({ type: 'request-ended', queueId: done.queueId, status: done.status, visitorId: done.visitorId });
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
