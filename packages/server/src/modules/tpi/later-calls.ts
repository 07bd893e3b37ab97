/**
 * The later wire's calls (docs/tpi.md, "The later wire"): customer log-in (types 1–5), and what
 * a seed type carrying a `token` needs before it is an ordinary call: its customer is the
 * token's, and it may touch only that customer's requests and sessions.
 */
import { LATER_BODIES, LaterRequestType, LaterResultCode, RequestType, ResultCode, TPI_BODIES, type LaterBody, type LaterType, type TpiAnswer } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { ChannelRow } from '../../db/schema.js';
import { TpiError } from '../../errors.js';
import type { CustomerService, TokenCustomer } from '../customers/index.js';
import type { RequestService, SessionService } from '../chat/index.js';

const ok = (message = 'success'): TpiAnswer => ({ result: ResultCode.SUCCESS, message });

export interface LaterServices {
  customers: CustomerService;
  requests: RequestService;
  sessions: SessionService;
}

export async function dispatchLater({ customers, requests, sessions }: LaterServices, channel: ChannelRow, body: LaterBody): Promise<TpiAnswer> {
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
  const schema = (TPI_BODIES[record.type as RequestType] ?? LATER_BODIES[record.type as LaterType]) as unknown as { properties: object } | undefined;
  const takesClientId = schema !== undefined && 'clientId' in schema.properties;
  if (takesClientId && record.type !== RequestType.CLIENT_CHANGE) {
    if (record.clientId === undefined) record.clientId = customer.clientId;
    else if (record.clientId !== customer.clientId) {
      throw new TpiError(LaterResultCode.INVALID_TOKEN, `clientId ${JSON.stringify(record.clientId)} is not this token's customer (${customer.clientId}); leave clientId out of a call with a token`);
    }
  }
  return customer;
}

/** A later call touches only its own customer's requests and sessions: another's is unknown to it. */
export async function checkOwnership(db: Db, channel: ChannelRow, body: { requestId?: number; sessionId?: number } | object, customer: TokenCustomer): Promise<void> {
  if ('requestId' in body && typeof body.requestId === 'number') {
    const request = await db.selectFrom('chat_requests').select('client_id').where('id', '=', body.requestId).where('channel_id', '=', channel.id).executeTakeFirst();
    if (request && request.client_id !== customer.clientId) throw new TpiError(ResultCode.INVALID_CHAT_REQUEST_ID, `no request ${body.requestId} of this token's customer`);
  }
  if ('sessionId' in body && typeof body.sessionId === 'number') {
    const session = await db.selectFrom('sessions').select('client_id').where('id', '=', body.sessionId).where('channel_id', '=', channel.id).executeTakeFirst();
    if (session && session.client_id !== customer.clientId) throw new TpiError(ResultCode.INVALID_CHAT_SESSION_ID, `no session ${body.sessionId} of this token's customer`);
  }
}
