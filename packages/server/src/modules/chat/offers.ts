/**
 * Offers (queues with `assignment: offer`): the router picks an agent as for any queue, but the
 * request is offered to them until a deadline instead of given. The agent accepts (the router's
 * accept, which re-checks everything in its own transaction) or declines; a decline or a
 * time-out is a refusal: the request is never offered to that agent again, and after the
 * queue's `maxRefusals` of them, or once every online agent of the queue has refused it, it ends
 * as REFUSED (2). Until then it waits as any request does, in its place. An agent who lets
 * `offerMissesBeforeAway` offers in a row run out is set away, not responding.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../common/store-errors.js';
import { agentLoad } from './agent-load.js';
import type { BridgeNotices } from './bridge-notices.js';
import type { ChatContext } from './context.js';
import { endQueuedSession } from './queued-sessions.js';

export type Refusal = 'declined' | 'expired';

export class OfferService {
  constructor(
    private readonly ctx: ChatContext,
    private readonly bridges: BridgeNotices,
    private readonly wake: () => void,
  ) {
    ctx.events.on((event) => {
      if (event.type === 'agent-status' && event.status !== 'online') {
        void this.withdrawFrom(event.agentId).catch((error: unknown) => ctx.log.error({ err: error }, 'withdrawing offers failed'));
      }
    });
  }

  /**
   * Offers a waiting request to an agent who is online with room and has not refused it; says
   * whether it did. The agent's row is written first to take its lock, as an accept does.
   */
  async offer(requestId: number, agentId: string): Promise<boolean> {
    const { db, clock, events } = this.ctx;
    const now = clock();
    const made = db.transaction().execute(async (trx) => {
      const agent = await trx
        .updateTable('agents')
        .set((eb) => ({ missed_offers: eb.ref('missed_offers') }))
        .where('id', '=', agentId)
        .where('status', '=', 'online')
        .where('enabled', '=', 1)
        .returningAll()
        .executeTakeFirst();
      if (!agent) return undefined;
      const request = await trx.selectFrom('chat_requests').selectAll().where('id', '=', requestId).where('status', '=', RequestStatus.WAITING).executeTakeFirst();
      if (!request) return undefined;
      const queue = await trx.selectFrom('queues').select(['assignment', 'offer_timeout_seconds']).where('id', '=', request.queue_id).executeTakeFirst();
      if (queue?.assignment !== 'offer') return undefined;
      const [load, before] = await Promise.all([
        agentLoad(trx, agentId),
        trx.selectFrom('offers').select(['agent_id', 'status']).where('request_id', '=', requestId).where('status', 'in', ['open', 'declined', 'expired']).execute(),
      ]);
      if (load.chats + load.offers >= agent.max_chats) return undefined;
      if (before.some((o) => o.status === 'open' || o.agent_id === agentId)) return undefined;
      const deadline = now + queue.offer_timeout_seconds * 1000;
      await trx.insertInto('offers').values({ request_id: requestId, agent_id: agentId, offered_at: now, deadline, status: 'open', reason: null, ended_at: null }).execute();
      await this.bridges.offer(trx, agent, request, deadline, now);
      return { bridged: agent.bridge_id !== null };
    });
    // Offered meanwhile by another router on the same store (offers_one_open): theirs stands.
    const done = await made.catch((error: unknown) => {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    });
    if (!done) return false;
    events.emit({ type: 'offer', agentId, requestId, change: 'new' });
    if (done.bridged) events.emit({ type: 'outbox' });
    return true;
  }

  /** The agent declines (or let run out) what is offered to them; false: nothing was. */
  async refuse(requestId: number, agentId: string, how: Refusal, reason: string | null): Promise<boolean> {
    const { db, dialect, clock, events, config } = this.ctx;
    const now = clock();
    const done = await db.transaction().execute(async (trx) => {
      // The agent's row first, as an accept takes it (router.ts) before the offer's: in the same
      // order, or an accept and this at the same moment deadlock on PostgreSQL.
      await trx
        .selectFrom('agents')
        .select('id')
        .where('id', '=', agentId)
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .execute();
      const ended = await trx
        .updateTable('offers')
        .set({ status: how, reason, ended_at: now })
        .where('request_id', '=', requestId)
        .where('agent_id', '=', agentId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(ended.numUpdatedRows) === 0) return undefined;
      let setAway = false;
      if (how === 'expired') {
        const agent = await trx
          .updateTable('agents')
          .set((eb) => ({ missed_offers: eb('missed_offers', '+', 1) }))
          .where('id', '=', agentId)
          .returning(['missed_offers', 'status'])
          .executeTakeFirstOrThrow();
        if (agent.missed_offers >= config.offerMissesBeforeAway && agent.status === 'online') {
          await trx.updateTable('agents').set({ status: 'away', away_reason: 'not-responding', missed_offers: 0, updated_at: now }).where('id', '=', agentId).execute();
          setAway = true;
        }
      } else {
        await trx.updateTable('agents').set({ missed_offers: 0 }).where('id', '=', agentId).execute();
      }
      const refused = await this.refusedForGood(trx, requestId);
      if (!refused) return { setAway, ended: undefined };
      const request = await trx
        .updateTable('chat_requests')
        .set({ status: RequestStatus.REFUSED, ended_at: now, end_note: refused })
        .where('id', '=', requestId)
        .where('status', '=', RequestStatus.WAITING)
        .returningAll()
        .executeTakeFirst();
      const session = request && request.session_id !== null ? await endQueuedSession(trx, request.session_id, now) : undefined;
      return { setAway, ended: request, session };
    });
    if (!done) return false;
    events.emit({ type: 'offer', agentId, requestId, change: how });
    if (done.setAway) events.emit({ type: 'agent-status', agentId, status: 'away' });
    if (done.ended) {
      events.emit({ type: 'request-ended', queueId: done.ended.queue_id, status: RequestStatus.REFUSED, visitorId: done.ended.visitor_id, requestId });
      if (done.session) {
        events.emit({ type: 'closed', agentId: '', sessionId: done.session.id, by: 'system' });
        events.emit({ type: 'outbox' });
      }
    }
    this.wake();
    return true;
  }

  /**
   * Whether a request's refusals end it, and why: the queue's maxRefusals reached, or no online
   * agent of its queue is left who has not refused it.
   */
  private async refusedForGood(trx: Db, requestId: number): Promise<string | undefined> {
    const request = await trx
      .selectFrom('chat_requests as r')
      .innerJoin('queues as q', 'q.id', 'r.queue_id')
      .select(['r.queue_id', 'q.max_refusals'])
      .where('r.id', '=', requestId)
      .executeTakeFirst();
    if (!request) return undefined;
    const refusals = await trx.selectFrom('offers').select('agent_id').where('request_id', '=', requestId).where('status', 'in', ['declined', 'expired']).execute();
    if (refusals.length >= request.max_refusals) {
      return `refused ${refusals.length} times: the queue's maxRefusals (${request.max_refusals}) was reached`;
    }
    const refusedBy = new Set(refusals.map((r) => r.agent_id));
    const online = await trx
      .selectFrom('agent_queues')
      .innerJoin('agents', 'agents.id', 'agent_queues.agent_id')
      .select('agents.id')
      .where('agent_queues.queue_id', '=', request.queue_id)
      .where('agents.status', '=', 'online')
      .where('agents.enabled', '=', 1)
      .execute();
    if (online.every((a) => refusedBy.has(a.id))) {
      return `every online agent of queue ${request.queue_id} declined it or let its offer run out (${refusals.length} refusals)`;
    }
    return undefined;
  }

  /** Offers past their deadline run out (a refusal), and offers to agents who left are withdrawn. */
  async sweep(): Promise<void> {
    const now = this.ctx.clock();
    const due = await this.ctx.db.selectFrom('offers').select(['request_id', 'agent_id']).where('status', '=', 'open').where('deadline', '<=', now).execute();
    for (const o of due) await this.refuse(o.request_id, o.agent_id, 'expired', null);
    const left = await this.ctx.db
      .selectFrom('offers')
      .innerJoin('agents', 'agents.id', 'offers.agent_id')
      .select('offers.agent_id')
      .distinct()
      .where('offers.status', '=', 'open')
      .where((eb) => eb.or([eb('agents.status', '!=', 'online'), eb('agents.enabled', '=', 0)]))
      .execute();
    for (const a of left) await this.withdrawFrom(a.agent_id);
  }

  /** An agent left: what was offered to them goes to someone else, and is not a refusal. */
  async withdrawFrom(agentId: string): Promise<void> {
    const now = this.ctx.clock();
    const withdrawn = await this.ctx.db
      .updateTable('offers')
      .set({ status: 'withdrawn', ended_at: now })
      .where('agent_id', '=', agentId)
      .where('status', '=', 'open')
      .returning('request_id')
      .execute();
    for (const w of withdrawn) this.ctx.events.emit({ type: 'offer', agentId, requestId: w.request_id, change: 'withdrawn' });
    if (withdrawn.length > 0) this.wake();
  }
}
