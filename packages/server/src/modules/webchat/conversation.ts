/**
 * A web-chat visitor's conversation: their latest request and its session, and everything they
 * do to it. A web chat is an ordinary request and session to routing, the console and history;
 * this service only finds the visitor's own and hands it to the chat services, so a visitor
 * can reach no other conversation than theirs.
 */
import {
  httpUrl,
  MAX_TEXT_LENGTH,
  RequestStatus,
  RequestType,
  type ConversationView,
  type LeftMessageBody,
  type StartChatBody,
  type VisitorInfo,
  type WebChannelView,
  type WebQueue,
} from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { ChatRequestRow, MessageRow, SessionRow, VisitorRow } from '../../db/schema.js';
import { DomainError } from '../../common/domain-error.js';
import type { EventBus } from '../../cluster/event-bus.js';
import { onlineAgentCount, queueIsOpen, type RequestService, type SessionService, type Stored } from '../chat/index.js';
import { ratingScale } from '../directory/index.js';
import type { WebChannel } from './visitors.js';

/** Estimated wait in seconds for a place in a queue; null when the queue has no recent history. */
export type WaitEstimate = (queueId: number, place: number) => Promise<number | null>;

export interface ConversationDeps {
  db: Db;
  clock: () => number;
  events: EventBus;
  requests: RequestService;
  sessions: SessionService;
  estimate: WaitEstimate;
  maxImageBytes: number;
}

/** What the asker's browser told of its surroundings, read by the routes. */
export interface Surroundings {
  mobile: boolean;
  browser: string | null;
}

export class ConversationService {
  constructor(private readonly deps: ConversationDeps) {}

  async channelView(channel: WebChannel): Promise<WebChannelView> {
    const { db, clock } = this.deps;
    const rows = await db.selectFrom('queues').selectAll().where('id', 'in', channel.options.queues.length ? channel.options.queues : [-1]).execute();
    const queues: WebQueue[] = [];
    // In the channel's order: the first is the default.
    for (const id of channel.options.queues) {
      const q = rows.find((r) => r.id === id);
      if (!q) continue;
      let state: WebQueue['state'] = 'open';
      const agents = await onlineAgentCount(db, q.id);
      if (!q.enabled || agents.members === 0) state = 'unavailable';
      else if (!queueIsOpen(q, clock())) state = 'closed-hours';
      else if (agents.online === 0 && q.when_no_agent_online === 'refuse') state = 'no-agents';
      queues.push({ id: q.id, name: q.name, state });
    }
    return {
      id: channel.row.id,
      queues,
      ratings: await ratingScale(db),
      preChatFields: channel.options.preChatFields,
      identityRequired: false,
      maxImageBytes: this.deps.maxImageBytes,
      maxTextLength: MAX_TEXT_LENGTH,
    };
  }

  /** The visitor's latest request (a continued one never happens on the web chat). */
  private latestRequest(visitor: VisitorRow): Promise<ChatRequestRow | undefined> {
    return this.deps.db.selectFrom('chat_requests').selectAll().where('visitor_id', '=', visitor.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  private async sessionOf(request: ChatRequestRow | undefined): Promise<SessionRow | undefined> {
    if (!request || request.session_id === null) return undefined;
    return this.deps.db.selectFrom('sessions').selectAll().where('id', '=', request.session_id).executeTakeFirst();
  }

  async view(channel: WebChannel, visitor: VisitorRow): Promise<ConversationView> {
    const request = await this.latestRequest(visitor);
    const empty: ConversationView = {
      state: 'idle',
      requestId: null,
      queueId: null,
      requestStatus: null,
      place: 0,
      estimatedWaitSeconds: null,
      sessionId: null,
      agent: null,
      closedBy: null,
      rating: null,
      agentReadUpTo: 0,
    };
    if (!request) return empty;
    const base = { ...empty, requestId: request.id, queueId: request.queue_id, requestStatus: request.status };
    if (request.status === RequestStatus.WAITING) {
      const { requestStatus, queueLength } = await this.deps.requests.poll(channel.row, request.id);
      // Accepted between the two reads: the next push says so.
      if (requestStatus === RequestStatus.WAITING) {
        return { ...base, state: 'waiting', place: queueLength, estimatedWaitSeconds: await this.deps.estimate(request.queue_id, queueLength) };
      }
    }
    const session = await this.sessionOf(request);
    if (!session) return base;
    const agent = await this.deps.db.selectFrom('agents').select(['name', 'icon']).where('id', '=', session.agent_id).executeTakeFirst();
    return {
      ...base,
      state: session.status === 'open' ? 'chatting' : 'ended',
      sessionId: session.id,
      agent: agent ? { name: agent.name, icon: agent.icon } : null,
      closedBy: session.closed_by,
      rating: session.rated_at === null ? null : { ratingId: session.rating_id ?? 0, comments: session.rating_comments ?? '' },
      agentReadUpTo: Number(session.agent_read_id),
    };
  }

  /**
   * The visitor's messages, every conversation of theirs, by id: after one (oldest first), or
   * the page before one. Events the visitor has no use for (a changed client id) are left out.
   */
  async messages(visitor: VisitorRow, opts: { after?: number | undefined; before?: number | undefined; limit: number }): Promise<{ messages: MessageRow[]; hasMore: boolean }> {
    const { db } = this.deps;
    let q = db
      .selectFrom('messages')
      .selectAll()
      .where((eb) =>
        eb.or([
          // From the visitor's requests (indexed by visitor), never a scan of every session.
          eb('session_id', 'in', eb.selectFrom('chat_requests').select('session_id').where('visitor_id', '=', visitor.id).where('session_id', 'is not', null)),
          eb.and([eb('session_id', 'is', null), eb('request_id', 'in', eb.selectFrom('chat_requests').select('id').where('visitor_id', '=', visitor.id))]),
        ]),
      );
    const visible = (rows: MessageRow[]) => rows.filter(visibleToVisitor);
    if (opts.before !== undefined) {
      const rows = await q.where('id', '<', opts.before).orderBy('id', 'desc').limit(opts.limit + 1).execute();
      return { messages: visible(rows.slice(0, opts.limit).reverse()), hasMore: rows.length > opts.limit };
    }
    if (opts.after !== undefined) q = q.where('id', '>', opts.after);
    const rows = await q.orderBy('id', 'asc').limit(opts.limit + 1).execute();
    return { messages: visible(rows.slice(0, opts.limit)), hasMore: rows.length > opts.limit };
  }

  async start(channel: WebChannel, visitor: VisitorRow, body: StartChatBody, around: Surroundings): Promise<void> {
    const queueId = body.queueId ?? channel.options.queues[0];
    if (queueId === undefined || !channel.options.queues.includes(queueId)) {
      throw new DomainError('QUEUE_NOT_FOUND', `queue ${body.queueId} is not offered by channel ${channel.row.id}; it offers ${channel.options.queues.join(', ')}`);
    }
    const latest = await this.latestRequest(visitor);
    if (latest?.status === RequestStatus.WAITING) throw new DomainError('ALREADY_WAITING', `you already have request ${latest.id} waiting`);
    const session = await this.sessionOf(latest);
    if (session?.status === 'open') throw new DomainError('ALREADY_CHATTING', `you are already chatting in session ${session.id}`);
    const fields = this.checkedFields(channel, body.fields ?? {});
    const info: VisitorInfo = {
      source: around.mobile ? 'MOBILE' : 'PC',
      pageUrl: body.page?.url ? httpUrl(body.page.url) : null,
      pageTitle: body.page?.title?.trim() || null,
      browser: around.browser,
      language: body.language ?? null,
      fields,
      fieldLabels: Object.fromEntries(channel.options.preChatFields.filter((f) => f.name in fields).map((f) => [f.name, f.label])),
      identifiedUserId: visitor.external_id,
    };
    await this.deps.requests.create(
      channel.row,
      { type: RequestType.CHAT_REQUEST, clientId: visitor.id, queueId, nickname: body.nickname.trim() || visitor.id, from: info.source },
      { visitorId: visitor.id, info: JSON.stringify(info) },
    );
  }

  /** Only the form's own fields, each as long as allowed; a required one must be there. */
  private checkedFields(channel: WebChannel, given: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of channel.options.preChatFields) {
      const value = given[f.name]?.trim();
      if (value) out[f.name] = value;
      else if (f.required) throw new DomainError('INVALID_INPUT', `the field "${f.name}" is required`);
    }
    return out;
  }

  async cancel(channel: WebChannel, visitor: VisitorRow): Promise<void> {
    const latest = await this.latestRequest(visitor);
    if (!latest) throw new DomainError('REQUEST_NOT_FOUND', 'you have no request to cancel');
    // A chat an agent moved to a queue waits there with its session: to stop waiting is to end it.
    if (latest.status === RequestStatus.WAITING && latest.session_id !== null) return this.deps.sessions.customerClose(channel.row, latest.session_id);
    await this.deps.requests.cancel(channel.row, latest.id);
  }

  /** Text: a pre-message while waiting, a message of the chat once accepted. */
  async send(channel: WebChannel, visitor: VisitorRow, text: string, clientMsgId: string): Promise<{ stored: Stored; message: MessageRow }> {
    const latest = await this.latestRequest(visitor);
    if (!latest) throw new DomainError('REQUEST_NOT_FOUND', 'start a chat first');
    if (latest.status === RequestStatus.WAITING) return this.deps.requests.preMessage(channel.row, latest.id, text, clientMsgId);
    const session = await this.chatSession(latest);
    const stored = await this.deps.sessions.customerText(channel.row, session.id, visitor.id, text, undefined, clientMsgId);
    return { stored, message: await this.byClientMsgId(session.id, clientMsgId) };
  }

  async image(channel: WebChannel, visitor: VisitorRow, name: string | undefined, dataUri: string, clientMsgId: string): Promise<{ stored: Stored; message: MessageRow }> {
    const latest = await this.latestRequest(visitor);
    if (!latest) throw new DomainError('REQUEST_NOT_FOUND', 'start a chat first');
    const session = await this.chatSession(latest);
    const stored = await this.deps.sessions.customerImage(channel.row, session.id, visitor.id, name, dataUri, undefined, clientMsgId);
    return { stored, message: await this.byClientMsgId(session.id, clientMsgId) };
  }

  private async chatSession(request: ChatRequestRow): Promise<SessionRow> {
    const session = await this.sessionOf(request);
    if (!session) throw new DomainError('REQUEST_NOT_WAITING', 'your request ended before an agent took it: start a new chat');
    if (session.status !== 'open') throw new DomainError('SESSION_CLOSED', 'this chat has ended: start a new chat');
    return session;
  }

  private async byClientMsgId(sessionId: number, clientMsgId: string): Promise<MessageRow> {
    return this.deps.db.selectFrom('messages').selectAll().where('session_id', '=', sessionId).where('client_msg_id', '=', clientMsgId).executeTakeFirstOrThrow();
  }

  async close(channel: WebChannel, visitor: VisitorRow): Promise<void> {
    const latest = (await this.latestRequest(visitor)) ?? missing();
    // Open, or moved to a queue by its agent and waiting there: either is the customer's to end.
    const queued = await this.sessionOf(latest);
    const session = queued?.status === 'queued' ? queued : await this.chatSession(latest);
    await this.deps.sessions.customerClose(channel.row, session.id);
  }

  /** A rating of the latest chat, open or ended. */
  async rate(channel: WebChannel, visitor: VisitorRow, ratingId: number, comments: string): Promise<void> {
    const session = await this.sessionOf(await this.latestRequest(visitor));
    if (!session) throw new DomainError('SESSION_NOT_FOUND', 'there is no chat to rate');
    await this.deps.sessions.rate(channel.row, session.id, ratingId, comments);
  }

  /** The latest chat's messages (pre-messages first), for the transcript. */
  async latestChat(visitor: VisitorRow): Promise<{ session: SessionRow; agentName: string; messages: MessageRow[] }> {
    const session = await this.sessionOf(await this.latestRequest(visitor));
    if (!session) throw new DomainError('SESSION_NOT_FOUND', 'there is no chat yet');
    const [agent, messages] = await Promise.all([
      this.deps.db.selectFrom('agents').select('name').where('id', '=', session.agent_id).executeTakeFirst(),
      this.deps.db.selectFrom('messages').selectAll().where('session_id', '=', session.id).orderBy('id').execute(),
    ]);
    return { session, agentName: agent?.name ?? session.agent_id, messages: messages.filter(visibleToVisitor) };
  }

  async imageFor(visitor: VisitorRow, imageId: number): Promise<{ mime: string; name: string; data: Buffer }> {
    const row = await this.deps.db
      .selectFrom('images')
      .innerJoin('sessions', 'sessions.id', 'images.session_id')
      .innerJoin('chat_requests', 'chat_requests.id', 'sessions.request_id')
      .select(['images.mime', 'images.name', 'images.data', 'chat_requests.visitor_id'])
      .where('images.id', '=', imageId)
      .executeTakeFirst();
    if (!row || row.visitor_id !== visitor.id) throw new DomainError('NOT_FOUND', `no image ${imageId} in your conversation`);
    return { mime: row.mime, name: row.name, data: Buffer.from(row.data) };
  }

  async leaveMessage(channel: WebChannel, visitor: VisitorRow, body: LeftMessageBody, around: Surroundings): Promise<number> {
    const queueId = body.queueId ?? channel.options.queues[0];
    if (queueId === undefined || !channel.options.queues.includes(queueId)) {
      throw new DomainError('QUEUE_NOT_FOUND', `queue ${body.queueId} is not offered by channel ${channel.row.id}`);
    }
    const info: VisitorInfo = {
      source: around.mobile ? 'MOBILE' : 'PC',
      pageUrl: body.page?.url ? httpUrl(body.page.url) : null,
      pageTitle: body.page?.title?.trim() || null,
      browser: around.browser,
      language: body.language ?? null,
      fields: {},
      identifiedUserId: visitor.external_id,
    };
    const row = await this.deps.db
      .insertInto('left_messages')
      .values({
        channel_id: channel.row.id,
        queue_id: queueId,
        visitor_id: visitor.id,
        name: body.name.trim(),
        contact: body.contact.trim(),
        text: body.text,
        info: JSON.stringify(info),
        created_at: this.deps.clock(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.deps.events.emit({ type: 'left-messages', queueId });
    return row.id;
  }
}

function missing(): never {
  throw new DomainError('REQUEST_NOT_FOUND', 'start a chat first');
}

/** What the visitor sees of a session's stream: everything but bookkeeping events. */
export function visibleToVisitor(row: MessageRow): boolean {
  if (row.kind !== 'event') return true;
  const event = (JSON.parse(row.event ?? '{}') as { event?: string }).event;
  return event === 'closed' || event === 'rated' || event === 'rating-requested';
}
