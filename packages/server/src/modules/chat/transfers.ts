/**
 * Moving an open chat: to another agent (an agent's transfer, or a supervisor's move), or back
 * to a queue. The session keeps its id and its whole history, both sides; a `transferred` event
 * in its stream says who moved it where, with the note. The third party learns the new agent by
 * a new `create` for the same session id, as when a session is continued, or, if its channel
 * asked for it (laterCallbacks), by `agentsUpdate` instead (announceNewAgent). A chat sent to a queue
 * waits there as its original request, so it keeps its place by its first arrival, and is not
 * routed back to the agent who sent it.
 */
import { RequestStatus, type SessionEventView } from '@elitewebchat/protocol';
import { DomainError } from '../../common/domain-error.js';
import type { Db } from '../../db/database.js';
import type { AgentRow, SessionRow } from '../../db/schema.js';
import { agentsUpdateCallback, channelAsks, createCallback, enqueueCallback } from '../../delivery/outbox.js';
import { agentLoad } from './agent-load.js';
import type { BridgeNotices } from './bridge-notices.js';
import type { ChatContext } from './context.js';
import { onlineAgentCount, queueIsOpen } from './queues.js';

/**
 * The third party learns who has a moved chat now (after a transfer to an agent, or when an
 * agent takes it from the queue it was sent to): `agentsUpdate` if its channel's laterCallbacks
 * ask for it, else a second `create` for the same session, the seed's way. In the transaction
 * that gives the chat to the agent.
 */
export async function announceNewAgent(trx: Db, session: SessionRow, agent: AgentRow, now: number): Promise<void> {
  if (!session.callback_base) return;
  if (await channelAsks(trx, session.channel_id, 'agentsUpdate')) {
    await enqueueCallback(trx, session, 'agentsUpdate', agentsUpdateCallback([agent], session, now), now);
  } else {
    await enqueueCallback(trx, session, 'create', createCallback(agent, session, now), now);
  }
}

export interface TransferRequest {
  sessionId: number;
  /** The agent whose chat it must be; undefined: any agent's (a supervisor's move). */
  fromAgentId?: string | undefined;
  toAgentId?: string | undefined;
  toQueueId?: number | undefined;
  note: string;
  /** Who does it: the agent, or the supervisor. */
  by: string;
}

export interface TransferOutcome {
  sessionId: number;
  status: 'open' | 'queued';
  agentId: string | null;
  queueId: number;
}

export class TransferService {
  constructor(
    private readonly ctx: ChatContext,
    private readonly bridges: BridgeNotices,
  ) {}

  async transfer(t: TransferRequest): Promise<TransferOutcome> {
    if ((t.toAgentId === undefined) === (t.toQueueId === undefined)) {
      throw new DomainError('INVALID_INPUT', 'give exactly one of toAgentId and toQueueId');
    }
    const { db, clock, events } = this.ctx;
    const now = clock();
    const done = await db.transaction().execute(async (trx) => {
      const session = await trx
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', t.sessionId)
        .$if(this.ctx.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!session || (t.fromAgentId !== undefined && session.agent_id !== t.fromAgentId)) {
        throw new DomainError('SESSION_NOT_FOUND', t.fromAgentId !== undefined ? `no session ${t.sessionId} of yours` : `no session ${t.sessionId}`);
      }
      if (session.status !== 'open') throw new DomainError('SESSION_CLOSED', `session ${t.sessionId} is ${session.status}: only an open chat can be transferred`);
      return t.toAgentId !== undefined ? this.toAgent(trx, session, t.toAgentId, t, now) : this.toQueue(trx, session, t.toQueueId!, t, now);
    });
    events.emit({ type: 'message', agentId: done.from, sessionId: t.sessionId, message: done.event });
    // The chat leaves its agent: their console drops it, as when it closes.
    events.emit({ type: 'closed', agentId: done.from, sessionId: t.sessionId, by: 'agent', transferred: true });
    if (done.outcome.agentId !== null) events.emit({ type: 'assigned', agentId: done.outcome.agentId, sessionId: t.sessionId });
    events.emit({ type: 'outbox' });
    events.emit({ type: 'capacity' });
    return done.outcome;
  }

  private async toAgent(trx: Db, session: SessionRow, toAgentId: string, t: TransferRequest, now: number) {
    if (toAgentId === session.agent_id) throw new DomainError('CONFLICT', `session ${session.id} is already ${toAgentId}'s`);
    const agent = await trx
      .updateTable('agents')
      .set({ idle_since: now })
      .where('id', '=', toAgentId)
      .where('enabled', '=', 1)
      .returningAll()
      .executeTakeFirst();
    if (!agent) throw new DomainError('NOT_FOUND', `no agent ${toAgentId}`);
    if (agent.status !== 'online') throw new DomainError('CONFLICT', `agent ${toAgentId} is ${agent.status}: a chat goes only to an online agent`);
    const load = await agentLoad(trx, agent.id);
    if (load.chats + load.offers >= agent.max_chats) {
      throw new DomainError('CONFLICT', `agent ${toAgentId} has no room: ${load.chats} chats${load.offers ? ` and ${load.offers} offers` : ''} of ${agent.max_chats} (maxChats)`);
    }
    await this.bridges.closed(trx, session, 'agent', 'transferred', now);
    const moved = await trx
      .updateTable('sessions')
      .set({ agent_id: agent.id, transferred_from: session.agent_id, bridge_relayed_id: 0, agent_read_id: 0 })
      .where('id', '=', session.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const event = await this.event(trx, session, { event: 'transferred', from: session.agent_id, toAgentId: agent.id, toQueueId: null, note: t.note, by: t.by }, now);
    await announceNewAgent(trx, moved, agent, now);
    if (agent.bridge_id !== null) {
      const request = await trx.selectFrom('chat_requests').selectAll().where('id', '=', session.request_id).executeTakeFirstOrThrow();
      await this.bridges.assigned(trx, agent, request, moved, now);
    }
    return { from: session.agent_id, event, outcome: { sessionId: session.id, status: 'open' as const, agentId: agent.id, queueId: session.queue_id } };
  }

  private async toQueue(trx: Db, session: SessionRow, toQueueId: number, t: TransferRequest, now: number) {
    const queue = await trx.selectFrom('queues').selectAll().where('id', '=', toQueueId).executeTakeFirst();
    if (!queue) throw new DomainError('QUEUE_NOT_FOUND', `no queue ${toQueueId}`);
    if (!queue.enabled) throw new DomainError('QUEUE_UNAVAILABLE', `queue ${toQueueId} is disabled`);
    if ((await onlineAgentCount(trx, toQueueId)).members === 0) throw new DomainError('QUEUE_UNAVAILABLE', `queue ${toQueueId} has no agents`);
    if (!queueIsOpen(queue, now)) throw new DomainError('OUTSIDE_WORKING_HOURS', `queue ${toQueueId} is outside its working hours (${queue.timezone})`);
    // The chat waits as its first request: its place is by its first arrival.
    const requeued = await trx
      .updateTable('chat_requests')
      // heard_at: when it was transferred; its wait (maxWaitSeconds) counts from then.
      .set({ status: RequestStatus.WAITING, queue_id: toQueueId, ended_at: null, end_note: null, session_id: session.id, heard_at: now })
      .where('id', '=', session.request_id)
      .executeTakeFirst();
    if (Number(requeued.numUpdatedRows) === 0) throw new DomainError('RETRY', `the request of session ${session.id} is gone`);
    await this.bridges.closed(trx, session, 'agent', 'transferred', now);
    await trx
      .updateTable('sessions')
      .set({ status: 'queued', agent_id: '', transferred_from: session.agent_id, queue_id: toQueueId, agent_read_id: 0 })
      .where('id', '=', session.id)
      .execute();
    const event = await this.event(trx, session, { event: 'transferred', from: session.agent_id, toAgentId: null, toQueueId, note: t.note, by: t.by }, now);
    return { from: session.agent_id, event, outcome: { sessionId: session.id, status: 'queued' as const, agentId: null, queueId: toQueueId } };
  }

  private event(trx: Db, session: SessionRow, event: SessionEventView, now: number) {
    return trx.insertInto('messages').values({ session_id: session.id, sender: 'agent', kind: 'event', event: JSON.stringify(event), created_at: now }).returningAll().executeTakeFirstOrThrow();
  }
}
