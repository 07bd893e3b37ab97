/**
 * The later wire's calls (../shared/spec/LATER.md; docs/tpi.md, "The later wire"), as JSON
 * Schema: customer log-in (types 1–5) and the `token` a later call carries. A call with a token is
 * a later call: its customer is the token's, so it needs no clientId.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { LaterRequestType } from './codes.js';
import { MAX_CLIENT_ID_LENGTH, MAX_NICKNAME_LENGTH, MAX_TEXT_LENGTH, MAX_URL_LENGTH } from './limits.js';

const kind = <T extends LaterRequestType>(value: T) => Type.Literal(value);
const LoginName = Type.String({
  minLength: 1,
  maxLength: MAX_CLIENT_ID_LENGTH,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
  description: "the customer's log-in name on this channel; it is also their clientId",
});
const Ip = Type.Optional(Type.String({ maxLength: 64, description: "the customer's address, kept for agents" }));

/** A later call's token, from types 1, 3 or 4. */
export const Token = Type.String({ minLength: 16, maxLength: 256, description: 'from a log-in (types 1, 3, 4); belongs to one channel and one customer' });

export const LogonBody = Type.Object({ type: kind(LaterRequestType.LOGON), loginName: LoginName, password: Type.String({ maxLength: 1024, description: 'empty for a customer that type 3 registered' }), ip: Ip });
export const LogoutBody = Type.Object({ type: kind(LaterRequestType.LOGOUT), token: Token });
export const LogonOrRegisterBody = Type.Object({
  type: kind(LaterRequestType.LOGON_OR_REGISTER),
  loginName: LoginName,
  name: Type.String({ minLength: 1, maxLength: MAX_NICKNAME_LENGTH, description: 'shown to agents' }),
  portraitUri: Type.Optional(Type.String({ maxLength: MAX_URL_LENGTH })),
  ip: Ip,
});
export const VisitorLogonBody = Type.Object({
  type: kind(LaterRequestType.VISITOR_LOGON),
  visitorId: Type.String({ pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$', description: 'a 36-character GUID the third party keeps for an anonymous visitor; also their clientId' }),
  ip: Ip,
});
const Id = (description: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** 2020: a message typed while queued (the seed's 2005 moved here; with a token 2005 is a file). */
export const PreMsgBody = Type.Object({ type: kind(LaterRequestType.PRE_MSG), requestId: Id('from the 1000 answer'), text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }) });
/** 2021: what the customer is typing, not yet sent; the agent sees it live. An empty text clears it. */
export const PreviewBody = Type.Object({ type: kind(LaterRequestType.PREVIEW), sessionId: Id('the open session'), text: Type.String({ maxLength: MAX_TEXT_LENGTH }) });
/** 2022: the customer is typing (send at most one every few seconds while they do). */
export const CustomerTypingBody = Type.Object({ type: kind(LaterRequestType.TYPING), sessionId: Id('the open session') });

/** 2023: the customer asks for a person: the chat goes (back) to a queue and waits there, keeping its session. */
export const TransferToHumanBody = Type.Object({
  type: kind(LaterRequestType.TRANSFER_TO_HUMAN),
  sessionId: Id('the open session'),
  from: Type.Optional(Type.String({ maxLength: 64 })),
  transferInfo: Type.Optional(Type.String({ maxLength: 2_000, description: 'JSON, e.g. {"queueId":2}; absent: the session\'s own queue' })),
});
/** 2024: a notice from the customer's side; 6 takes back the message whose messageId is `notice`. */
export const ClientNoticeBody = Type.Object({
  type: kind(LaterRequestType.CLIENT_NOTICE),
  sessionId: Id('the session'),
  noticeType: Type.Integer({ minimum: 0, maximum: 999, description: '0 normal, 1 the browsing trail changed, 5 typing, 6 take a message back, 10–12, 99 custom' }),
  notice: Type.Optional(Type.String({ maxLength: 2_000, description: 'the text; for 6, the messageId of the message taken back' })),
});
/** 5004: who could answer in a queue now. */
export const AvailableAgentsBody = Type.Object({ type: kind(LaterRequestType.AVAILABLE_AGENTS), queueId: Id('the queue') });

/** 5003: the customer's messages, newest first: of one session, or (with a token) across their sessions on the channel. */
export const HistoryBody = Type.Object({
  type: kind(LaterRequestType.HISTORY),
  fromSessionId: Type.Optional(Id('only this session')),
  fromMessageId: Type.Optional(Id('only messages older than this one (paging back)')),
  maxCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 10 })),
  permFlag: Type.Optional(Type.Integer({ description: "the original's; not used" })),
});

export const AgentLogonBody = Type.Object({ type: kind(LaterRequestType.AGENT_LOGON), loginName: Type.String({ maxLength: 128 }), password: Type.String({ maxLength: 1024 }) });

/** The schema of each later type's body that the platform answers. */
export const LATER_BODIES = {
  [LaterRequestType.LOGON]: LogonBody,
  [LaterRequestType.LOGOUT]: LogoutBody,
  [LaterRequestType.LOGON_OR_REGISTER]: LogonOrRegisterBody,
  [LaterRequestType.VISITOR_LOGON]: VisitorLogonBody,
  [LaterRequestType.AGENT_LOGON]: AgentLogonBody,
  [LaterRequestType.PRE_MSG]: PreMsgBody,
  [LaterRequestType.PREVIEW]: PreviewBody,
  [LaterRequestType.TYPING]: CustomerTypingBody,
  [LaterRequestType.TRANSFER_TO_HUMAN]: TransferToHumanBody,
  [LaterRequestType.AVAILABLE_AGENTS]: AvailableAgentsBody,
  [LaterRequestType.HISTORY]: HistoryBody,
  [LaterRequestType.CLIENT_NOTICE]: ClientNoticeBody,
} as const satisfies Partial<Record<LaterRequestType, TSchema>>;
export type LaterType = keyof typeof LATER_BODIES;

export const LogonAnswer = Type.Object({
  result: Type.Integer(),
  message: Type.String(),
  clientId: Type.Optional(Type.String()),
  token: Type.Optional(Type.String({ description: 'send it as `token` in later calls; it expires (24 h by default) and type 2 revokes it' })),
  expiresAt: Type.Optional(Type.Integer({ description: 'ms since the epoch' })),
});

export type LogonBody = Static<typeof LogonBody>;
export type LogoutBody = Static<typeof LogoutBody>;
export type LogonOrRegisterBody = Static<typeof LogonOrRegisterBody>;
export type VisitorLogonBody = Static<typeof VisitorLogonBody>;
export type AgentLogonBody = Static<typeof AgentLogonBody>;
export type PreMsgBody = Static<typeof PreMsgBody>;
export type PreviewBody = Static<typeof PreviewBody>;
export type CustomerTypingBody = Static<typeof CustomerTypingBody>;
export type TransferToHumanBody = Static<typeof TransferToHumanBody>;
export type AvailableAgentsBody = Static<typeof AvailableAgentsBody>;
export type HistoryBody = Static<typeof HistoryBody>;
export type ClientNoticeBody = Static<typeof ClientNoticeBody>;
export type LaterBody = { [K in LaterType]: Static<(typeof LATER_BODIES)[K]> }[LaterType];
export type LogonAnswer = Static<typeof LogonAnswer>;

export const TransferToHumanAnswer = Type.Object({
  result: Type.Integer(),
  message: Type.String(),
  requestId: Type.Optional(Type.Integer({ description: 'the request the chat waits as (its first one: it keeps its place by its first arrival)' })),
  queueLength: Type.Optional(Type.Integer({ description: "its place in the queue, 1-based; 0 once an agent has it" })),
  positionInQueueMessage: Type.Optional(Type.String({ description: "the queue's position sentence in the channel's language" })),
});
export const AvailableAgentsAnswer = Type.Object({
  result: Type.Integer(),
  message: Type.String(),
  agents: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), activeSessions: Type.Integer(), maxActiveSessions: Type.Integer() }), { description: "the queue's online agents" }),
  ),
});
export const HistoryMessage = Type.Object({
  id: Type.Integer(),
  sessionId: Type.Integer({ description: 'added: the session it belongs to' }),
  postTime: Type.Integer({ description: 'ms since the epoch' }),
  text: Type.String({ description: 'plain text with emoticon codes; an image: [image] and its name' }),
  messageType: Type.Integer({ description: '0 a message, 1 a notice (an event of the session)' }),
  revokeFlag: Type.Integer({ description: '1: taken back' }),
  userId: Type.String({ description: 'the clientId, or the agent id' }),
  userName: Type.String(),
  userType: Type.Integer({ description: '1 the customer, 2 an agent' }),
  icon: Type.String(),
});
export const HistoryAnswer = Type.Object({ result: Type.Integer(), message: Type.String(), hisMessages: Type.Optional(Type.Array(HistoryMessage, { description: 'newest first' })) });
export type HistoryMessage = Static<typeof HistoryMessage>;
export type TransferToHumanAnswer = Static<typeof TransferToHumanAnswer>;
export type AvailableAgentsAnswer = Static<typeof AvailableAgentsAnswer>;

export function isLaterType(value: unknown): value is LaterType {
  return typeof value === 'number' && Object.hasOwn(LATER_BODIES, value);
}
