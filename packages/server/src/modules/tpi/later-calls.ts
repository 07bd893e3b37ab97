/**
 * The later wire's calls (docs/tpi.md, "The later wire"): customer log-in (types 1–5), and what
 * a seed type carrying a `token` needs before it is an ordinary call: its customer is the
 * token's, and it may touch only that customer's requests and sessions.
 */
import { messageSummary, SUMMARISED_KINDS } from '../../files/media-summary.js';
import {
  LATER_BODIES,
  LATER_SHAPES,
  LaterRequestType,
  LaterResultCode,
  NoticeType,
  RequestType,
  ResultCode,
  TPI_BODIES,
  type LaterBody,
  type LaterType,
  type TpiAnswer,
  type HistoryBody,
  type HistoryMessage,
  type TransferToHumanBody,
} from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { ChannelRow } from '../../db/schema.js';
import { TpiError } from '../../errors.js';
import type { CustomerService, TokenCustomer } from '../customers/index.js';
import { positionSentence } from './position.js';
import type { RequestService, SessionService, TransferService } from '../chat/index.js';
import { DomainError } from '../../common/domain-error.js';
import { dispatchMedia, type MediaServices } from './media-calls.js';

const ok = (message = 'success'): TpiAnswer => ({ result: ResultCode.SUCCESS, message });

export interface LaterServices extends MediaServices {
  db: Db;
  customers: CustomerService;
  requests: RequestService;
  sessions: SessionService;
  transfers: TransferService;
}

export async function dispatchLater(services: LaterServices, channel: ChannelRow, body: LaterBody, customer?: TokenCustomer): Promise<TpiAnswer> {
  const { customers, requests, sessions } = services;
  switch (body.type) {
    case LaterRequestType.LOGON:
      return { ...ok(), ...(await customers.logon(channel, body.loginName, body.password)) };
    case LaterRequestType.LOGOUT:
      await customers.logout(channel, body.token);
      return ok();
    case LaterRequestType.LOGON_OR_REGISTER:
      return { ...ok(), ...(await customers.logonOrRegister(channel, body.loginName, body.name, body.portraitUri)) };
    case LaterRequestType.VISITOR_LOGON:
      return { ...ok(), ...(await customers.visitorLogon(channel, body.visitorId)) };
    case LaterRequestType.AGENT_LOGON:
      throw new TpiError(LaterResultCode.INVALID_REQUEST_TYPE, 'type 5 (an agent joining a chat through the TPI) is not offered: agents work in the console or through an agent bridge');
    case LaterRequestType.PRE_MSG:
      await requests.preMessage(channel, body.requestId, body.text);
      return ok();
    case LaterRequestType.PREVIEW:
      await sessions.customerSignal(channel, body.sessionId, body.text);
      return ok();
    case LaterRequestType.TYPING:
      await sessions.customerSignal(channel, body.sessionId);
      return ok();
    case LaterRequestType.TRANSFER_TO_HUMAN:
      return transferToHuman(services, channel, body);
    case LaterRequestType.AVAILABLE_AGENTS:
      return { ...ok(), agents: await availableAgents(services.db, body.queueId) };
    case LaterRequestType.CLIENT_NOTICE: {
      if (body.noticeType === NoticeType.TYPING) {
        await sessions.customerSignal(channel, body.sessionId);
        return ok();
      }
      const notice = body.notice ?? '';
      if (body.noticeType === NoticeType.REVOKE_MESSAGE && notice === '') throw new TpiError(LaterResultCode.INVALID_MESSAGE_ID, 'noticeType 6 takes back a message: send its messageId as notice');
      if (!(await sessions.customerNotice(channel, body.sessionId, body.noticeType, notice))) {
        throw new TpiError(LaterResultCode.INVALID_MESSAGE_ID, `session ${body.sessionId} has no message of the customer's with messageId ${JSON.stringify(notice)} to take back (or it was taken back already)`);
      }
      return ok();
    }
    case LaterRequestType.HISTORY:
      return { ...ok(), hisMessages: await history(services.db, channel, body, customer) };
    case LaterRequestType.VOICE:
    case LaterRequestType.LOCATION:
    case LaterRequestType.VIDEO:
      return dispatchMedia(services, channel, body, customer?.clientId);
    default: {
      const never: never = body;
      return never;
    }
  }
}

/**
 * Takes a later call's token out of its body and puts the token's customer in: as `clientId`
 * where the type has one and none was sent. A clientId that is not the token's customer's is
 * refused (-15), except in 5002, where clientId is the customer's new id.
 */
export async function applyToken(customers: CustomerService, channel: ChannelRow, record: Record<string, unknown> & { type: number }): Promise<TokenCustomer> {
  const token = record.token;
  delete record.token;
  if (typeof token !== 'string' || token.length === 0) throw new TpiError(LaterResultCode.INVALID_TOKEN, 'token must be the string a log-in (type 1, 3 or 4) answered');
  const customer = await customers.resolve(channel, token);
  const schema = schemaOf(record.type, true);
  const takesClientId = schema !== undefined && 'clientId' in schema.properties;
  if (takesClientId && record.type !== RequestType.CLIENT_CHANGE) {
    if (record.clientId === undefined) record.clientId = customer.clientId;
    else if (record.clientId !== customer.clientId) {
      throw new TpiError(LaterResultCode.INVALID_TOKEN, `clientId ${JSON.stringify(record.clientId)} is not this token's customer (${customer.clientId}); leave clientId out of a call with a token`);
    }
  }
  // A customer who logged in has a name: agents see it unless the 1000 gives another.
  if (record.type === RequestType.CHAT_REQUEST && record.nickname === undefined) record.nickname = customer.name;
  takeMessageId(record, true);
  return customer;
}

/** The schema a call is checked against: a later call's shape of a seed type where it has one. */
function schemaOf(type: number, later: boolean): { properties: object } | undefined {
  const shape = later ? LATER_SHAPES[type as keyof typeof LATER_SHAPES] : undefined;
  return (shape ?? TPI_BODIES[type as RequestType] ?? LATER_BODIES[type as LaterType]) as unknown as { properties: object } | undefined;
}

/**
 * messageId, the later name of msgId (a retried message is stored once), of a later call or a
 * later type; a number is taken as its digits.
 */
export function takeMessageId(record: Record<string, unknown> & { type: number }, later: boolean): void {
  if (record.messageId === undefined) return;
  const id = record.messageId;
  delete record.messageId;
  const text = typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)) ? String(id) : '';
  if (text === '' || text.length > 128) throw new TpiError(LaterResultCode.INVALID_MESSAGE_ID, 'messageId must be your id of the message: a string of 1 to 128 characters or an integer');
  if (record.msgId !== undefined && record.msgId !== text) throw new TpiError(LaterResultCode.INVALID_MESSAGE_ID, 'messageId and msgId differ: send one of them');
  const schema = schemaOf(record.type, later);
  if (schema !== undefined && 'msgId' in schema.properties) record.msgId = text;
}

/** A later call touches only its own customer's requests and sessions: another's is unknown to it. */
export async function checkOwnership(db: Db, channel: ChannelRow, body: { requestId?: number; sessionId?: number; fromSessionId?: number } | object, customer: TokenCustomer): Promise<void> {
  if ('requestId' in body && typeof body.requestId === 'number') {
    const request = await db.selectFrom('chat_requests').select('client_id').where('id', '=', body.requestId).where('channel_id', '=', channel.id).executeTakeFirst();
    if (request && request.client_id !== customer.clientId) throw new TpiError(ResultCode.INVALID_CHAT_REQUEST_ID, `no request ${body.requestId} of this token's customer`);
  }
  // 5003 names its session fromSessionId.
  const sessionId = 'sessionId' in body ? body.sessionId : 'fromSessionId' in body ? body.fromSessionId : undefined;
  if (typeof sessionId === 'number') {
    const session = await db.selectFrom('sessions').select('client_id').where('id', '=', sessionId).where('channel_id', '=', channel.id).executeTakeFirst();
    if (session && session.client_id !== customer.clientId) throw new TpiError(ResultCode.INVALID_CHAT_SESSION_ID, `no session ${sessionId} of this token's customer`);
  }
}

/**
 * 2023: the customer asks for a person. The chat goes to the queue of `transferInfo` (or back to
 * its own) as a transfer does: it keeps its session, waits as its first request, and the next
 * agent gets it with its history (the third party is told by a new `create`).
 */
async function transferToHuman({ db, requests, transfers }: LaterServices, channel: ChannelRow, body: TransferToHumanBody): Promise<TpiAnswer> {
  let queueId: number | undefined;
  if (body.transferInfo !== undefined && body.transferInfo.trim() !== '') {
    let info: unknown;
    try {
      info = JSON.parse(body.transferInfo);
    } catch {
      throw new TpiError(LaterResultCode.TRANSFER_ERROR, 'transferInfo is not JSON: send e.g. {"queueId":2}, or leave it out for the session\'s own queue');
    }
    const wanted = typeof info === 'object' && info !== null ? (info as { queueId?: unknown }).queueId : undefined;
    if (wanted !== undefined) {
      const id = Number(wanted);
      if (!Number.isSafeInteger(id) || id < 1) throw new TpiError(LaterResultCode.TRANSFER_ERROR, `transferInfo.queueId must be a queue id; got ${JSON.stringify(wanted)}`);
      queueId = id;
    }
  }
  const session = await db.selectFrom('sessions').select(['id', 'channel_id', 'status', 'queue_id', 'request_id']).where('id', '=', body.sessionId).executeTakeFirst();
  if (!session || session.channel_id !== channel.id) throw new DomainError('SESSION_NOT_FOUND', `no session ${body.sessionId} for this channel`);
  if (session.status === 'queued') {
    const { queueLength } = await requests.poll(channel, session.request_id);
    return { ...ok('success; already waiting for a person'), requestId: session.request_id, queueLength };
  }
  try {
    await transfers.transfer({ sessionId: session.id, toQueueId: queueId ?? session.queue_id, note: body.from ? `the customer asked for a person (from ${body.from})` : 'the customer asked for a person', by: 'customer' });
  } catch (error) {
    // Why the queue cannot take it, as a transfer error of the later wire.
    if (error instanceof DomainError && error.code !== 'SESSION_NOT_FOUND' && error.code !== 'SESSION_CLOSED') throw new TpiError(LaterResultCode.TRANSFER_ERROR, error.message);
    throw error;
  }
  const { queueLength } = await requests.poll(channel, session.request_id);
  const queue = await db.selectFrom('queues').select('position_message').where('id', '=', queueId ?? session.queue_id).executeTakeFirst();
  return { ...ok(), requestId: session.request_id, queueLength, ...(queueLength > 0 ? { positionInQueueMessage: positionSentence(queue, channel.language, queueLength) } : {}) };
}

/** 5004: the queue's online agents, with their open chats and maximum. */
async function availableAgents(db: Db, queueId: number): Promise<{ id: string; activeSessions: number; maxActiveSessions: number }[]> {
  const queue = await db.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst();
  if (!queue) throw new DomainError('QUEUE_NOT_FOUND', `no queue with queueId ${queueId}`);
  const agents = await db
    .selectFrom('agent_queues')
    .innerJoin('agents', 'agents.id', 'agent_queues.agent_id')
    .select(['agents.id', 'agents.max_chats'])
    .where('agent_queues.queue_id', '=', queueId)
    .where('agents.status', '=', 'online')
    .where('agents.enabled', '=', 1)
    .orderBy('agents.id')
    .execute();
  if (agents.length === 0) return [];
  const open = await db
    .selectFrom('sessions')
    .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .where('agent_id', 'in', agents.map((a) => a.id))
    .groupBy('agent_id')
    .execute();
  const count = new Map(open.map((o) => [o.agent_id, Number(o.n)]));
  return agents.map((a) => ({ id: a.id, activeSessions: count.get(a.id) ?? 0, maxActiveSessions: a.max_chats }));
}

/**
 * 5003: messages newest first, at most maxCount: of one session, or, without fromSessionId, of
 * the token's customer across their sessions on the channel (what they typed while waiting
 * counts as theirs). Texts and images; the session's events are left out.
 */
async function history(db: Db, channel: ChannelRow, body: HistoryBody, customer: TokenCustomer | undefined): Promise<HistoryMessage[]> {
  let sessions;
  let requestIds: number[] = [];
  if (body.fromSessionId !== undefined) {
    sessions = await db.selectFrom('sessions').select(['id', 'agent_id', 'nickname', 'client_id']).where('id', '=', body.fromSessionId).where('channel_id', '=', channel.id).execute();
    if (sessions.length === 0) throw new TpiError(ResultCode.INVALID_CHAT_SESSION_ID, `no session ${body.fromSessionId} for this channel`);
  } else if (customer) {
    sessions = await db.selectFrom('sessions').select(['id', 'agent_id', 'nickname', 'client_id']).where('channel_id', '=', channel.id).where('client_id', '=', customer.clientId).execute();
    requestIds = (await db.selectFrom('chat_requests').select('id').where('channel_id', '=', channel.id).where('client_id', '=', customer.clientId).where('session_id', 'is', null).execute()).map((r) => Number(r.id));
  } else {
    throw new TpiError(LaterResultCode.INVALID_TOKEN, "5003 without fromSessionId reads the token's customer's history: send a token");
  }
  const sessionIds = sessions.map((x) => Number(x.id));
  if (sessionIds.length === 0 && requestIds.length === 0) return [];
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'session_id', 'request_id', 'sender', 'kind', 'text', 'media', 'created_at', 'revoked_at'])
    .where((eb) => {
      const parts = [];
      if (sessionIds.length > 0) parts.push(eb('session_id', 'in', sessionIds));
      if (requestIds.length > 0) parts.push(eb.and([eb('request_id', 'in', requestIds), eb('session_id', 'is', null)]));
      return eb.or(parts);
    })
    .where('kind', 'in', SUMMARISED_KINDS)
    .where('sender', 'in', ['customer', 'agent'])
    .$if(body.fromMessageId !== undefined, (q) => q.where('id', '<', body.fromMessageId!))
    .orderBy('id', 'desc')
    .limit(body.maxCount ?? 10)
    .execute();
  const agentIds = [...new Set(sessions.map((x) => x.agent_id).filter((id) => id !== ''))];
  const agents = new Map(
    (agentIds.length === 0 ? [] : await db.selectFrom('agents').select(['id', 'name', 'icon']).where('id', 'in', agentIds).execute()).map((a) => [a.id, a]),
  );
  const sessionOf = new Map(sessions.map((x) => [Number(x.id), x]));
  return rows.map((m) => {
    const session = m.session_id === null ? undefined : sessionOf.get(Number(m.session_id));
    const agent = session ? agents.get(session.agent_id) : undefined;
    const fromAgent = m.sender === 'agent';
    return {
      id: Number(m.id),
      sessionId: m.session_id === null ? 0 : Number(m.session_id),
      postTime: m.created_at,
      text: messageSummary(m),
      messageType: 0,
      revokeFlag: m.revoked_at === null ? 0 : 1,
      userId: fromAgent ? (session?.agent_id ?? '') : (session?.client_id ?? customer?.clientId ?? ''),
      userName: fromAgent ? (agent?.name ?? '') : (session?.nickname ?? customer?.name ?? ''),
      userType: fromAgent ? 2 : 1,
      icon: fromAgent ? (agent?.icon ?? '') : '',
    };
  });
}
