/**
 * Ends waiting requests that can no longer be served: waited past the queue's maximum
 * (TIMEOUT), its third party went silent for the queue's dropAfterSilentSeconds (DROPPED), the
 * queue's hours ended (OFF_HOUR), or every agent of a refusing queue left (NO_AGENT_ONLINE). Runs on a timer and whenever an agent leaves; also after a restart, so a
 * request whose time ran out while the process was down ends as it should.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import type { BridgeNotices } from './bridge-notices.js';
import type { ChatContext } from './context.js';
import type { OfferService } from './offers.js';
import { endQueuedSession } from './queued-sessions.js';
import { queueIsOpen } from './queues.js';

export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private caughtUp = false;

  constructor(
    private readonly ctx: ChatContext,
    private readonly offers: OfferService,
    private readonly bridges: BridgeNotices,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.ctx.config.sweepIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Sweeps soon; returns when a sweep that started after this call has finished (one under way
   * may have read the store before what the caller changed). Calls during a sweep share the next.
   */
  sweep(): Promise<void> {
    if (this.running) {
      this.next ??= this.running.then(() => {
        this.next = undefined;
        return this.sweep();
      });
      return this.next;
    }
    this.running = this.sweepOnce()
      .catch((error: unknown) => this.ctx.log.error({ err: error }, 'sweep failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async sweepOnce(): Promise<void> {
    // Offers run out (and pass on) before requests are judged; a restart relays what bridges missed.
    await this.offers.sweep();
    if (!this.caughtUp) {
      await this.bridges.catchUp();
      this.caughtUp = true;
    }
    const { db, clock } = this.ctx;
    const now = clock();
    const waiting = await db
      .selectFrom('chat_requests')
      .select(['id', 'queue_id', 'created_at', 'visitor_id', 'heard_at', 'session_id'])
      .where('status', '=', RequestStatus.WAITING)
      .execute();
    if (waiting.length === 0) return;
    const queueIds = [...new Set(waiting.map((w) => w.queue_id))];
    const queues = new Map((await db.selectFrom('queues').selectAll().where('id', 'in', queueIds).execute()).map((q) => [q.id, q]));
    const online = await db
      .selectFrom('agent_queues')
      .innerJoin('agents', 'agents.id', 'agent_queues.agent_id')
      .select('agent_queues.queue_id')
      .where('agent_queues.queue_id', 'in', queueIds)
      .where('agents.status', '=', 'online')
      .where('agents.enabled', '=', 1)
      .execute();
    const staffed = new Set(online.map((o) => o.queue_id));

    for (const request of waiting) {
      const queue = queues.get(request.queue_id);
      let status: number | undefined;
      if (!queue) status = RequestStatus.DROPPED;
      // A chat transferred to a queue has waited since its transfer (heard_at), not since it first asked.
      else if (now >= (request.session_id === null ? request.created_at : (request.heard_at ?? request.created_at)) + queue.max_wait_seconds * 1000) status = RequestStatus.TIMEOUT;
      // Only a third party polls; a web chat's customer is told by push and never polls.
      // A chat transferred to a queue has a session: its third party has nothing to poll.
      else if (queue.drop_after_silent_seconds !== null && request.visitor_id === null && request.session_id === null && now >= (request.heard_at ?? request.created_at) + queue.drop_after_silent_seconds * 1000) {
        status = RequestStatus.DROPPED;
      }
      else if (!queueIsOpen(queue, now)) status = RequestStatus.OFF_HOUR;
      else if (queue.when_no_agent_online === 'refuse' && !staffed.has(queue.id)) status = RequestStatus.NO_AGENT_ONLINE;
      if (status === undefined) continue;
      const ended = await db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('chat_requests')
          .set({ status, ended_at: now })
          .where('id', '=', request.id)
          .where('status', '=', RequestStatus.WAITING)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return undefined;
        return { session: request.session_id === null ? undefined : await endQueuedSession(trx, request.session_id, now) };
      });
      if (!ended) continue;
      this.ctx.events.emit({ type: 'request-ended', queueId: request.queue_id, status, visitorId: request.visitor_id, requestId: request.id });
      if (ended.session) {
        this.ctx.events.emit({ type: 'closed', agentId: '', sessionId: ended.session.id, by: 'system' });
        this.ctx.events.emit({ type: 'outbox' });
      }
    }
  }
}
