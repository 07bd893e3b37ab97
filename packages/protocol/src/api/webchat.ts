/**
 * The customer web chat's API (/api/v1/webchat/{channelId}/*): every body and answer of the
 * widget and the hosted page. A visitor authenticates with `Authorization: Bearer <token>`
 * from POST …/visitor; the token is bound to one channel and one visitor, and everything it
 * reaches is that visitor's own conversation.
 */
import Type, { type Static } from 'typebox';
import { CLIENT_SOURCES } from '../codes.js';
import { CONVERSATION_STATES, MAX_NICKNAME_LENGTH, MAX_TEXT_LENGTH, MAX_URL_LENGTH, PARTIES, WEB_QUEUE_STATES } from '../limits.js';
import { Nullable } from './common.js';

/** Text in both of the platform's languages. */
export const Label = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

export const RatingOption = Type.Object({ id: Type.Integer(), label: Label });

export const PreChatField = Type.Object({
  name: Type.String({ description: 'the key in the request\'s fields' }),
  label: Label,
  required: Type.Boolean(),
});

export const WebQueue = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  state: Type.Enum(WEB_QUEUE_STATES, {
    description: 'open; closed-hours: outside working hours or a holiday; no-agents: it would refuse for lack of agents; unavailable: disabled',
  }),
});

/** GET /api/v1/webchat/{channelId}/channel: public, what the pre-chat form needs. */
export const WebChannelView = Type.Object({
  id: Type.String(),
  queues: Type.Array(WebQueue, { description: 'offered to customers, the first by default' }),
  ratings: Type.Array(RatingOption, { description: 'the rating scale; empty: none is offered' }),
  preChatFields: Type.Array(PreChatField),
  identityRequired: Type.Boolean({ description: 'false: anonymous visitors are welcome' }),
  maxImageBytes: Type.Integer(),
  maxTextLength: Type.Integer(),
});

export const IdentityBody = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 64 }),
  hash: Type.String({ minLength: 64, maxLength: 64, pattern: '^[0-9a-fA-F]{64}$', description: 'hex HMAC-SHA256 of userId with the channel\'s identitySecret' }),
});

/** POST /api/v1/webchat/{channelId}/visitor: a new visitor, or the same one again. */
export const VisitorBody = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 128, description: 'a token this browser holds: the same visitor again if it is still valid' })),
  identity: Type.Optional(IdentityBody),
});
export const VisitorAnswer = Type.Object({
  token: Type.String(),
  visitorId: Type.String(),
  expiresAt: Type.Integer(),
  identified: Type.Boolean({ description: 'true: the site vouched for this user (identity)' }),
});

/** The system events a visitor sees in the conversation. */
export const VisitorEvent = Type.Union([
  Type.Object({ event: Type.Literal('rating-requested') }),
  Type.Object({ event: Type.Literal('rated'), ratingId: Type.Integer(), comments: Type.String() }),
  Type.Object({ event: Type.Literal('closed'), by: Type.Enum(PARTIES) }),
]);

/** A file an agent sent, as the visitor sees it: a card with a download. */
export const VisitorFile = Type.Object({
  name: Type.String({ description: 'as the agent named it; plain text' }),
  type: Type.String({ description: 'the format its bytes are: pdf, docx, zip, mp3… (UPLOAD_TYPES)' }),
  size: Type.Integer({ description: 'bytes' }),
  url: Type.String({ description: 'the platform\'s /webchat/files/<random id>: no token needed; served as an attachment unless a browser plays it' }),
});

export const VisitorMessage = Type.Object({
  id: Type.Integer({ description: 'the sequence: grows with time; catch up with GET …/messages?after=<last id>' }),
  sender: Type.Enum(PARTIES),
  kind: Type.Enum(['text', 'image', 'file', 'event'] as const),
  text: Type.Optional(Type.String({ description: 'plain text with emoticon codes; never HTML' })),
  image: Type.Optional(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      url: Type.String({ description: 'the customer\'s own image (…/images/<id>): needs the bearer token; an agent\'s (/webchat/files/<random id>): none' }),
    }),
  ),
  file: Type.Optional(VisitorFile),
  event: Type.Optional(VisitorEvent),
  clientMsgId: Nullable(Type.String()),
  createdAt: Type.Integer(),
});

export const AgentCardView = Type.Object({ name: Type.String(), icon: Type.String() });

/** Where the visitor's latest request stands; pushed as `state` whenever it changes. */
export const ConversationView = Type.Object({
  state: Type.Enum(CONVERSATION_STATES, {
    description: 'idle: nothing asked yet (or the last request ended unanswered); waiting: queued; chatting: an agent has it; ended: the chat was closed',
  }),
  requestId: Nullable(Type.Integer()),
  queueId: Nullable(Type.Integer()),
  /** The request's end when it ended without a chat: a RequestStatus number. */
  requestStatus: Nullable(Type.Integer()),
  place: Type.Integer({ description: 'place in the queue while waiting (1: next); 0 otherwise' }),
  estimatedWaitSeconds: Nullable(Type.Integer({ description: 'see docs/webchat.md; null when the queue has no recent history' })),
  sessionId: Nullable(Type.Integer()),
  agent: Nullable(AgentCardView),
  closedBy: Nullable(Type.Enum(PARTIES)),
  rating: Nullable(Type.Object({ ratingId: Type.Integer(), comments: Type.String() })),
  agentReadUpTo: Type.Integer({ description: 'the agent has read the customer\'s messages up to this id' }),
});

/** GET /api/v1/webchat/{channelId}/conversation: the state and the latest messages. */
export const ConversationAnswer = Type.Object({
  visitorId: Type.String(),
  conversation: ConversationView,
  messages: Type.Array(VisitorMessage, { description: 'oldest first' }),
  hasEarlier: Type.Boolean(),
});

export const WebMessagesQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'messages with ids above this, oldest first' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'messages with ids below this (the page before)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
});
export const WebMessagesAnswer = Type.Object({ messages: Type.Array(VisitorMessage), hasMore: Type.Boolean() });

export const ClientMsgId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'the widget\'s own id of a message: a retry with the same id is stored once' });

export const PageInfo = Type.Object({
  url: Type.Optional(Type.String({ maxLength: MAX_URL_LENGTH })),
  title: Type.Optional(Type.String({ maxLength: 500 })),
});

/** POST /api/v1/webchat/{channelId}/requests: the pre-chat form. */
export const StartChatBody = Type.Object({
  nickname: Type.String({ minLength: 1, maxLength: MAX_NICKNAME_LENGTH }),
  queueId: Type.Optional(Type.Integer({ minimum: 1, description: 'one of the channel\'s queues; absent: the first' })),
  fields: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 1000 }), { maxProperties: 20 })),
  page: Type.Optional(PageInfo),
  language: Type.Optional(Type.String({ maxLength: 35 })),
});

/** POST …/messages. While waiting it is a pre-message; once accepted, a message of the chat. */
export const WebSendBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }), clientMsgId: ClientMsgId });
export const WebImageBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  dataUri: Type.String({ minLength: 1, description: 'data:image/png|jpeg|gif|webp;base64,… checked as 2002 images are' }),
  clientMsgId: ClientMsgId,
});
export const WebSentAnswer = Type.Object({ message: VisitorMessage, duplicate: Type.Boolean({ description: 'true: a retry; the message was already stored' }) });

export const WebRatingBody = Type.Object({
  ratingId: Type.Integer(),
  comments: Type.Optional(Type.String({ maxLength: 1000, default: '' })),
});

export const LeftMessageBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: MAX_NICKNAME_LENGTH }),
  contact: Type.String({ minLength: 1, maxLength: 200, description: 'a phone number or an e-mail address' }),
  text: Type.String({ minLength: 1, maxLength: 5000 }),
  queueId: Type.Optional(Type.Integer({ minimum: 1 })),
  page: Type.Optional(PageInfo),
  language: Type.Optional(Type.String({ maxLength: 35 })),
});
export const LeftMessageAnswer = Type.Object({ id: Type.Integer() });

/** What the console shows of a web-chat customer's surroundings. */
export const VisitorInfo = Type.Object({
  source: Type.Enum(CLIENT_SOURCES),
  pageUrl: Nullable(Type.String()),
  pageTitle: Nullable(Type.String()),
  browser: Nullable(Type.String({ description: 'read from the User-Agent, e.g. "Chrome 131 on Android"' })),
  language: Nullable(Type.String()),
  fields: Type.Record(Type.String(), Type.String(), { description: 'the pre-chat form\'s optional fields' }),
  fieldLabels: Type.Optional(Type.Record(Type.String(), Label, { description: 'what each field of `fields` was called on the form' })),
  identifiedUserId: Nullable(Type.String({ description: 'the site vouched for this user id' })),
});

/** A message left outside hours, as agents see it. */
export const LeftMessageView = Type.Object({
  id: Type.Integer(),
  channelId: Type.String(),
  queueId: Type.Integer(),
  name: Type.String(),
  contact: Type.String(),
  text: Type.String(),
  info: VisitorInfo,
  createdAt: Type.Integer(),
  handledAt: Nullable(Type.Integer()),
  handledBy: Nullable(Type.String()),
});
export const LeftMessagesQuery = Type.Object({
  status: Type.Optional(Type.Enum(['open', 'handled'] as const, { default: 'open' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
});
export const LeftMessagesAnswer = Type.Object({ leftMessages: Type.Array(LeftMessageView) });
export const RatingsAnswer = Type.Object({ ratings: Type.Array(RatingOption) });

export type Label = Static<typeof Label>;
export type RatingOption = Static<typeof RatingOption>;
export type PreChatField = Static<typeof PreChatField>;
export type WebQueue = Static<typeof WebQueue>;
export type WebChannelView = Static<typeof WebChannelView>;
export type IdentityBody = Static<typeof IdentityBody>;
export type VisitorBody = Static<typeof VisitorBody>;
export type VisitorAnswer = Static<typeof VisitorAnswer>;
export type VisitorEvent = Static<typeof VisitorEvent>;
export type VisitorFile = Static<typeof VisitorFile>;
export type VisitorMessage = Static<typeof VisitorMessage>;
export type AgentCardView = Static<typeof AgentCardView>;
export type ConversationView = Static<typeof ConversationView>;
export type ConversationAnswer = Static<typeof ConversationAnswer>;
export type WebMessagesQuery = Static<typeof WebMessagesQuery>;
export type WebMessagesAnswer = Static<typeof WebMessagesAnswer>;
export type PageInfo = Static<typeof PageInfo>;
export type StartChatBody = Static<typeof StartChatBody>;
export type WebSendBody = Static<typeof WebSendBody>;
export type WebImageBody = Static<typeof WebImageBody>;
export type WebSentAnswer = Static<typeof WebSentAnswer>;
export type WebRatingBody = Static<typeof WebRatingBody>;
export type LeftMessageBody = Static<typeof LeftMessageBody>;
export type LeftMessageAnswer = Static<typeof LeftMessageAnswer>;
export type VisitorInfo = Static<typeof VisitorInfo>;
export type LeftMessageView = Static<typeof LeftMessageView>;
export type LeftMessagesQuery = Static<typeof LeftMessagesQuery>;
export type LeftMessagesAnswer = Static<typeof LeftMessagesAnswer>;
export type RatingsAnswer = Static<typeof RatingsAnswer>;
