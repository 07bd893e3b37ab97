/**
 * Runs the routing engine against the store and carries out its plan. Runs one pass at a time
 * (a wake-up during a pass schedules one more), and only while the routing lock lets this
 * process route. Whatever routes, each accept re-checks the agent's open chats inside its own
 * transaction, so capacity holds even when two routers run at once on one store.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { createCallback, enqueueCallback } from '../../delivery/outbox.js';
import { planAssignments, type RoutableAgent } from '../../routing/engine.js';
import type { ChatContext } from './context.js';
import { queueIsOpen } from './queues.js';

export class Router {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly ctx: ChatContext) {}

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
      .selectFrom('chat_requests')
      .select(['id', 'queue_id as queueId'])
      .where('status', '=', RequestStatus.WAITING)
      .orderBy('id')
      .execute();
    if (waiting.length === 0) return;
    const now = clock();
    // A disabled queue, or one whose hours just ended, routes nothing (the sweeper ends those);
    // a manual queue's requests wait for an agent to take them.
    const queues = await db.selectFrom('queues').selectAll().execute();
    const serving = new Set(queues.filter((q) => q.enabled === 1 && q.assignment === 'auto' && queueIsOpen(q, now)).map((q) => q.id));
    const agents = await this.routableAgents();
    const plan = planAssignments(waiting.filter((w) => serving.has(w.queueId)), agents, now);
    for (const { requestId, agentId } of plan) await this.accept(requestId, agentId);
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
    const [memberships, loads] = await Promise.all([
      db.selectFrom('agent_queues').select(['agent_id', 'queue_id']).where('agent_id', 'in', ids).execute(),
      db
        .selectFrom('sessions')
        .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'open')
        .where('agent_id', 'in', ids)
        .groupBy('agent_id')
        .execute(),
    ]);
    const load = new Map(loads.map((l) => [l.agent_id, Number(l.n)]));
    return online.map((a) => ({
      id: a.id,
      open: load.get(a.id) ?? 0,
      maxChats: a.max_chats,
      idleSince: a.idle_since,
      queueIds: memberships.filter((m) => m.agent_id === a.id).map((m) => m.queue_id),
    }));
  }

  /**
   * Gives a waiting request to an agent, if the agent is still online with room and the
   * request still waits; says whether it did. The agent's row is written first, which takes
   * its lock (a row lock on PostgreSQL, the write lock on SQLite) before the open chats are
   * counted: two accepts for one agent cannot both see room for one more.
   */
  async accept(requestId: number, agentId: string): Promise<boolean> {
    const { db, clock, events } = this.ctx;
    const now = clock();
    const sessionId = await db.transaction().execute(async (trx) => {
      const agent = await trx
        .updateTable('agents')
        .set({ idle_since: now })
        .where('id', '=', agentId)
        .where('status', '=', 'online')
        .where('enabled', '=', 1)
        .returningAll()
        .executeTakeFirst();
      if (!agent) return undefined;
      const open = await trx
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('agent_id', '=', agent.id)
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      if (Number(open.n) >= agent.max_chats) throw new NoRoom();
      const request = await trx
        .updateTable('chat_requests')
        .set({ status: RequestStatus.ACCEPTED, ended_at: now })
        .where('id', '=', requestId)
        .where('status', '=', RequestStatus.WAITING)
        .returningAll()
        .executeTakeFirst();
      if (!request) throw new NoRoom();
      const session = await trx
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
      await enqueueCallback(trx, session, 'create', createCallback(agent, session, now), now);
      return { sessionId: session.id, queueId: request.queue_id, visitorId: request.visitor_id };
    }).catch((error: unknown) => {
      // Rolled back: nothing of this accept was written, not even the agent's idle time.
      if (error instanceof NoRoom) return undefined;
      throw error;
    });
    if (!sessionId) return false;
    events.emit({ type: 'request-ended', queueId: sessionId.queueId, status: RequestStatus.ACCEPTED, visitorId: sessionId.visitorId });
    events.emit({ type: 'assigned', agentId, sessionId: sessionId.sessionId });
    events.emit({ type: 'outbox' });
    return true;
  }
}

/** An accept that must not happen after all (no room, or the request went): roll it back. */
class NoRoom extends Error {
  constructor() {
    super('no room');
  }
}
