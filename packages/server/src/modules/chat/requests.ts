/**
 * A customer's request to chat, from 1000 until it leaves WAITING: create (1000), poll (1001),
 * pre-messages (2005) and cancel (1002).
 */
import {
  RequestStatus,
  requestStatusName,
  type ChatRequestBody,
} from '@elitewebchat/protocol';
import type { ChannelRow, ChatRequestRow, MessageRow } from '../../db/schema.js';
import type { Stored } from './customer-messages.js';
import { DomainError } from '../../common/domain-error.js';
import { createCallback, enqueueCallback } from '../../delivery/outbox.js';
import type { ChatContext } from './context.js';
import { callbackBaseFor } from './callback-base.js';
import { onlineAgentCount, queueIsOpen } from './queues.js';
import { isUniqueViolation } from '../../common/store-errors.js';

/** A request from the platform's own web chat: who asks, and what they told of their surroundings. */
export interface WebAsker {
  visitorId: string;
  /** JSON of VisitorInfo. */
  info: string;
}

export interface CreatedRequest {
  requestId: number;
  queueLength: number;
  continueLastSession?: boolean;
}

export class RequestService {
  constructor(private readonly ctx: ChatContext) {}

  /** `context`: JSON of what a later 1000 told about the customer (brand, browsing trail, address). */
  async create(channel: ChannelRow, body: ChatRequestBody, web?: WebAsker, context?: string): Promise<CreatedRequest> {
    const { db, clock } = this.ctx;
    const now = clock();
    // The web chat is told through its own sockets, never by callback.
    const base = web ? null : callbackBaseFor(channel, body.serverAddr);
    const queue = await db.selectFrom('queues').selectAll().where('id', '=', body.queueId).executeTakeFirst();
    if (!queue) throw new DomainError('QUEUE_NOT_FOUND', `no queue with queueId ${body.queueId}`);

    const open = await db
      .selectFrom('sessions')
      .selectAll()
      .where('channel_id', '=', channel.id)
      .where('client_id', '=', body.clientId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open) {
      if (open.queue_id !== queue.id || !base) {
        throw new DomainError('ALREADY_CHATTING',
          `client ${body.clientId} is already chatting in session ${open.id} of queue ${open.queue_id}; close it (4001) before asking for queue ${queue.id}`,
        );
      }
      return this.continueSession(channel, body, open.id, base, now);
    }

    const waiting = await this.waitingRequestOf(channel.id, body.clientId);
    if (waiting) throw this.alreadyWaiting(body.clientId, waiting);

    if (!queue.enabled) throw new DomainError('QUEUE_UNAVAILABLE', `queue ${queue.id} is disabled`);
    const agents = await onlineAgentCount(db, queue.id);
    if (agents.members === 0) throw new DomainError('QUEUE_UNAVAILABLE', `queue ${queue.id} has no agents`);
    if (!queueIsOpen(queue, now)) {
      throw new DomainError('OUTSIDE_WORKING_HOURS', `queue ${queue.id} is outside its working hours (${queue.timezone})`);
    }
    if (agents.online === 0 && queue.when_no_agent_online === 'refuse') {
      throw new DomainError('NO_AGENT_ONLINE', `no agent of queue ${queue.id} is online`);
    }
    const length = await db
      .selectFrom('chat_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('queue_id', '=', queue.id)
      .where('status', '=', RequestStatus.WAITING)
      .executeTakeFirstOrThrow();
    if (Number(length.n) >= queue.max_length) {
      throw new DomainError('QUEUE_FULL',
        `queue ${queue.id} is full: ${queue.max_length} requests are waiting (maxLength); try again later`,
      );
    }

    let row: ChatRequestRow;
    try {
      row = await db
        .insertInto('chat_requests')
        .values({
          channel_id: channel.id,
          client_id: body.clientId,
          nickname: body.nickname || body.clientId,
          source: body.from ?? 'PC',
          queue_id: queue.id,
          server_addr: base,
          status: RequestStatus.WAITING,
          created_at: now,
          client_time: body.time ?? null,
          continued: 0,
          visitor_id: web?.visitorId ?? null,
          visitor: web?.info ?? null,
          customer_context: context ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const other = await this.waitingRequestOf(channel.id, body.clientId);
      throw this.alreadyWaiting(body.clientId, other ?? { id: 0, queue_id: queue.id });
    }
    // Its place as of one snapshot, as 1001 reads it: 0 if it was routed meanwhile.
    const { queueLength } = await this.poll(channel, row.id);
    this.ctx.events.emit({ type: 'capacity' });
    return { requestId: row.id, queueLength };
  }

  private waitingRequestOf(channelId: string, clientId: string): Promise<{ id: number; queue_id: number } | undefined> {
    return this.ctx.db
      .selectFrom('chat_requests')
      .select(['id', 'queue_id'])
      .where('channel_id', '=', channelId)
      .where('client_id', '=', clientId)
      .where('status', '=', RequestStatus.WAITING)
      .executeTakeFirst();
  }

  private alreadyWaiting(clientId: string, waiting: { id: number; queue_id: number }): DomainError {
    return new DomainError('ALREADY_WAITING',
      `client ${clientId} already has request ${waiting.id} waiting in queue ${waiting.queue_id}`,
    );
  }

  /**
   * The customer asks again while a session of theirs is open (e.g. the third party lost it):
   * the answer resumes that session, and `create` is sent again so the third party learns its id.
   */
  private async continueSession(
    channel: ChannelRow,
    body: ChatRequestBody,
    sessionId: number,
    base: string,
    now: number,
  ): Promise<CreatedRequest> {
    const requestId = await this.ctx.db.transaction().execute(async (trx) => {
      const session = await trx
        .updateTable('sessions')
        .set({ callback_base: base })
        .where('id', '=', sessionId)
        .where('status', '=', 'open')
        .returningAll()
        .executeTakeFirst();
      if (!session) throw new DomainError('RETRY', `session ${sessionId} closed meanwhile; ask again`);
      const agent = await trx.selectFrom('agents').selectAll().where('id', '=', session.agent_id).executeTakeFirstOrThrow();
      const request = await trx
        .insertInto('chat_requests')
        .values({
          channel_id: channel.id,
          client_id: body.clientId,
          nickname: body.nickname || session.nickname,
          source: body.from ?? session.source,
          queue_id: session.queue_id,
          server_addr: base,
          status: RequestStatus.ACCEPTED,
          created_at: now,
          client_time: body.time ?? null,
          ended_at: now,
          session_id: session.id,
          continued: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await enqueueCallback(trx, session, 'create', createCallback(agent, session, now), now);
      return request.id;
    });
    this.ctx.events.emit({ type: 'outbox' });
    return { requestId, queueLength: 0, continueLastSession: true };
  }

  private async ownRequest(channel: ChannelRow, requestId: number): Promise<ChatRequestRow> {
    const row = await this.ctx.db.selectFrom('chat_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
    if (!row || row.channel_id !== channel.id) {
      throw new DomainError('REQUEST_NOT_FOUND', `no request ${requestId} for this channel`);
    }
    return row;
  }

  /**
   * 1001. The state and the place are read in one statement, so in one snapshot: a router
   * accepting in between cannot make the answer say WAITING at place 0.
   */
  async poll(channel: ChannelRow, requestId: number): Promise<{ requestStatus: number; queueLength: number; queueId: number; endNote: string | null }> {
    const row = await this.ctx.db
      .selectFrom('chat_requests as r')
      .select((eb) => [
        'r.channel_id',
        'r.status',
        'r.queue_id',
        'r.end_note',
        eb
          .selectFrom('chat_requests as w')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('w.queue_id', '=', 'r.queue_id')
          .where('w.status', '=', RequestStatus.WAITING)
          .whereRef('w.id', '<=', 'r.id')
          .as('ahead'),
      ])
      .where('r.id', '=', requestId)
      .executeTakeFirst();
    if (!row || row.channel_id !== channel.id) throw new DomainError('REQUEST_NOT_FOUND', `no request ${requestId} for this channel`);
    return { requestStatus: row.status, queueLength: row.status === RequestStatus.WAITING ? Number(row.ahead) : 0, queueId: row.queue_id, endNote: row.end_note };
  }

  /**
   * The third party asked about a waiting request (1001): it is not silent. Written only in
   * queues that drop the silent, and at most once a second per request.
   */
  async heard(channel: ChannelRow, requestId: number): Promise<void> {
    const now = this.ctx.clock();
    await this.ctx.db
      .updateTable('chat_requests')
      .set({ heard_at: now })
      .where('id', '=', requestId)
      .where('channel_id', '=', channel.id)
      .where('status', '=', RequestStatus.WAITING)
      .where('queue_id', 'in', (eb) => eb.selectFrom('queues').select('id').where('drop_after_silent_seconds', 'is not', null))
      .where((eb) => eb.or([eb('heard_at', 'is', null), eb('heard_at', '<', now - 1_000)]))
      .execute();
  }

  /**
   * A message typed while queued. Stored against the request; when it is accepted the router
   * moves every pre-message into the session, in order, ahead of anything sent later. One that
   * arrives after acceptance is an ordinary message of the session, so nothing is lost.
   */
  async preMessage(channel: ChannelRow, requestId: number, text: string, msgId?: string): Promise<{ stored: Stored; message: MessageRow }> {
    const { db, dialect, clock } = this.ctx;
    const now = clock();
    const done = await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('chat_requests')
        .selectAll()
        .where('id', '=', requestId)
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!row || row.channel_id !== channel.id) {
        throw new DomainError('REQUEST_NOT_FOUND', `no request ${requestId} for this channel`);
      }
      if (msgId !== undefined) {
        // A retry: stored before, as a pre-message or (accepted since) moved into the session.
        const known = await trx
          .selectFrom('messages')
          .selectAll()
          .where('client_msg_id', '=', msgId)
          .where((eb) => (row.session_id === null ? eb('request_id', '=', row.id) : eb.or([eb('request_id', '=', row.id), eb('session_id', '=', row.session_id)])))
          .executeTakeFirst();
        if (known) return { stored: 'duplicate' as const, message: known, visitorId: null, agentId: undefined, sessionId: undefined };
      }
      if (row.status === RequestStatus.WAITING) {
        await trx.updateTable('chat_requests').set({ heard_at: now }).where('id', '=', row.id).execute();
        // A chat transferred to a queue waits with its session: what the customer writes is of that session.
        const message = await trx
          .insertInto('messages')
          .values({ request_id: row.id, session_id: row.session_id, sender: 'customer', kind: row.session_id === null ? 'pre' : 'text', text, client_msg_id: msgId ?? null, created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { stored: 'stored' as const, message, visitorId: row.visitor_id, agentId: undefined, sessionId: undefined };
      }
      const session =
        row.session_id === null
          ? undefined
          : await trx.selectFrom('sessions').selectAll().where('id', '=', row.session_id).executeTakeFirst();
      if (!session || session.status !== 'open') {
        throw new DomainError('REQUEST_NOT_WAITING',
          `request ${requestId} is no longer waiting (${requestStatusName(row.status)})${session ? `; its session ${session.id} is closed` : ''}`,
        );
      }
      const message = await trx
        .insertInto('messages')
        .values({ request_id: row.id, session_id: session.id, sender: 'customer', kind: 'text', text, client_msg_id: msgId ?? null, created_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { stored: 'stored' as const, message, visitorId: row.visitor_id, agentId: session.agent_id, sessionId: session.id };
    });
    if (done.stored === 'stored') {
      if (done.agentId !== undefined && done.sessionId !== undefined) this.ctx.events.emit({ type: 'message', agentId: done.agentId, sessionId: done.sessionId, message: done.message });
      // No agent has it yet; the web chat's other tabs still see it.
      else if (done.visitorId) this.ctx.events.emit({ type: 'visitor-message', visitorId: done.visitorId, message: done.message });
    }
    return { stored: done.stored, message: done.message };
  }

  /** 1002. Cancelling a request that is already cancelled succeeds again, so a retry is safe. */
  async cancel(channel: ChannelRow, requestId: number): Promise<string> {
    const { db, clock } = this.ctx;
    const row = await this.ownRequest(channel, requestId);
    if (row.status === RequestStatus.CANCELED_BY_CLIENT) return 'already canceled';
    if (row.session_id !== null && row.status === RequestStatus.WAITING) {
      throw new DomainError('REQUEST_NOT_WAITING', `request ${requestId} is session ${row.session_id}, transferred to queue ${row.queue_id} and waiting for its next agent; end it with 4001`);
    }
    const updated = await db
      .updateTable('chat_requests')
      .set({ status: RequestStatus.CANCELED_BY_CLIENT, ended_at: clock() })
      .where('id', '=', requestId)
      .where('status', '=', RequestStatus.WAITING)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const now = await this.ownRequest(channel, requestId);
      if (now.status === RequestStatus.CANCELED_BY_CLIENT) return 'already canceled';
      throw new DomainError('REQUEST_NOT_WAITING',
        now.status === RequestStatus.ACCEPTED
          ? `request ${requestId} was already accepted (session ${now.session_id}); end the session with 4001`
          : `request ${requestId} is no longer waiting (${requestStatusName(now.status)})`,
      );
    }
    this.ctx.events.emit({ type: 'request-ended', queueId: row.queue_id, status: RequestStatus.CANCELED_BY_CLIENT, visitorId: row.visitor_id, requestId });
    return 'success';
  }
}
