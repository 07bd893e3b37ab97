/** The agent API (/api/v1/agent/*): every body, query and answer. The console, the server and /docs all use these. */
import Type, { type Static } from 'typebox';
import { CLIENT_SOURCES } from '../codes.js';
import { AGENT_ROLES, CHANNEL_KINDS, AGENT_STATUSES, LATEST_MESSAGES, MAX_PASSWORD_LENGTH, MAX_TEXT_LENGTH, MESSAGE_KINDS, MIN_PASSWORD_LENGTH, PARTIES } from '../limits.js';
import { IntId, Nullable } from './common.js';
import { VisitorInfo } from './webchat.js';

export const AgentStatusSchema = Type.Enum(AGENT_STATUSES);
export const RoleSchema = Type.Enum(AGENT_ROLES);
export const PartySchema = Type.Enum(PARTIES);

export const AgentView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String({ description: 'chat nickname shown to customers' }),
  alias: Type.String({ description: 'staff name' }),
  icon: Type.String(),
  comments: Type.String(),
  maxChats: Type.Integer(),
  role: RoleSchema,
  status: AgentStatusSchema,
  queueIds: Type.Array(Type.Integer()),
  mustChangePassword: Type.Boolean({ description: 'the password is a one-time one: until it is changed (POST /api/v1/agent/password), nothing else is allowed' }),
});

/** The system events recorded in a session's message stream (kind `event`). */
export const SessionEventView = Type.Union([
  Type.Object({ event: Type.Literal('rating-requested') }),
  Type.Object({
    event: Type.Literal('rated'),
    ratingId: Type.Integer(),
    comments: Type.String(),
    extends: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { description: 'TPI ratingExtends: more answers of the rating form' })),
  }),
  Type.Object({ event: Type.Literal('client-changed'), from: Type.String(), to: Type.String() }),
  Type.Object({ event: Type.Literal('closed'), by: PartySchema }),
  Type.Object({
    event: Type.Literal('transferred'),
    from: Type.String({ description: 'the agent who had the chat' }),
    toAgentId: Nullable(Type.String()),
    toQueueId: Nullable(Type.Integer()),
    note: Type.String(),
    by: Type.String({ description: 'who moved it: the agent, or a supervisor' }),
  }),
  Type.Object({ event: Type.Literal('revoked'), messageId: Type.Integer({ description: 'the message the customer took back: show it as withdrawn' }) }),
  Type.Object({ event: Type.Literal('notice'), noticeType: Type.Integer({ description: 'TPI 2024 noticeType: 0 normal, 1 the browsing trail changed, 10–12, 99 custom' }), notice: Type.String({ description: 'plain text, never HTML' }) }),
]);

export const DELIVERY_STATES = ['sent', 'delivered', 'retrying', 'failed', 'read'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** Whether the customer's side has an agent's reply. */
export const DeliveryView = Type.Object({
  state: Type.Enum(DELIVERY_STATES, {
    description:
      'sent: stored, not yet confirmed; delivered: the third party answered result 1 (web chat: a customer\'s page received it); retrying: attempts failed so far; failed: a dead letter, a supervisor can redeliver it; read: the web-chat customer has seen it',
  }),
  attempts: Type.Integer({ description: 'attempts to call the third party back since it was (re)queued' }),
  lastError: Nullable(Type.String({ description: 'why the last attempt failed (retrying, failed)' })),
  callbackId: Nullable(Type.Integer({ description: 'the callback carrying it (TPI channels); a failed one is sent again with POST /api/v1/supervisor/callbacks/{id}/redeliver' })),
});

/** A voice message's, a video's or a file's bytes: what they are (by their bytes) and where to get them. */
export const FileView = Type.Object({
  id: Type.Integer(),
  name: Type.String({ description: 'as the sender named it; plain text' }),
  type: Type.String({ description: 'the format its bytes are: pdf, amr, mp4… (UPLOAD_TYPES)' }),
  mime: Type.String(),
  size: Type.Integer({ description: 'bytes' }),
  url: Type.String({ description: 'needs the bearer token; served as an attachment unless `playable`' }),
  playable: Type.Boolean({ description: 'a browser plays it in place (MP3, M4A, OGG, WAV, MP4, WebM); AMR is not: it is offered as a download' }),
});
export const LocationView = Type.Object({
  latitude: Type.Number(),
  longitude: Type.Number(),
  poi: Type.String({ description: 'the address the sender gave; plain text' }),
  map: Type.Enum(['gaode', 'baidu'] as const, { description: 'whose coordinates these are' }),
  mapUrl: Type.String({ description: "the place on that map's web page (https)" }),
});

export const MessageView = Type.Object({
  id: Type.Integer({ description: 'grows with time across all sessions; order and de-duplicate by it' }),
  sessionId: Nullable(Type.Integer()),
  sender: PartySchema,
  kind: Type.Enum(MESSAGE_KINDS, { description: "pre: typed while queued; event: see 'event'" }),
  text: Type.Optional(Type.String({ description: 'plain text with emoticon codes; never HTML' })),
  image: Type.Optional(Type.Object({ id: Type.Integer(), name: Type.String(), url: Type.String({ description: 'needs the bearer token' }) })),
  file: Type.Optional(FileView),
  seconds: Type.Optional(Type.Integer({ description: 'voice, video: how long, as the sender said' })),
  location: Type.Optional(LocationView),
  thumb: Type.Optional(Type.Object({ url: Type.String({ description: 'an image; needs the bearer token' }), width: Type.Integer(), height: Type.Integer() }, { description: 'location, video: a small picture the sender gave' })),
  extra: Type.Optional(Type.String({ description: 'TPI: opaque text the third party kept with the message; plain text' })),
  event: Type.Optional(SessionEventView),
  createdAt: Type.Integer(),
  clientTime: Nullable(Type.Integer()),
  delivery: Type.Optional(DeliveryView),
});

export const RatingView = Type.Object({
  ratingId: Type.Integer(),
  comments: Type.String(),
  at: Type.Integer(),
  extends: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { description: 'TPI ratingExtends: more answers of the rating form' })),
});

/** What a TPI third party told about the customer in a later 1000 (brand, browsing trail, address). */
export const CustomerContextView = Type.Object({
  brand: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  tracks: Type.Optional(
    Type.Array(Type.Object({ title: Type.String(), url: Type.String({ description: 'http(s) only; others are dropped' }), time: Type.Optional(Type.Integer()) }), {
      description: 'the browsing trail, oldest first',
    }),
  ),
  tracksText: Type.Optional(Type.String({ description: 'the trail as sent, when it was not a list of pages' })),
});

/** A session without its messages: lists, search results, the supervisor's overview. */
export const SessionSummary = Type.Object({
  id: Type.Integer(),
  requestId: Type.Integer(),
  channelId: Type.String(),
  queueId: Type.Integer(),
  agentId: Type.String(),
  clientId: Type.String(),
  nickname: Type.String(),
  from: Type.Enum(CLIENT_SOURCES, { description: 'where the customer is: PC, MOBILE, WECHAT or APP' }),
  status: Type.Enum(['open', 'queued', 'closed'] as const, { description: 'queued: transferred to a queue, waiting for its next agent' }),
  requestedAt: Type.Integer(),
  startedAt: Type.Integer(),
  closedAt: Nullable(Type.Integer()),
  closedBy: Nullable(PartySchema),
  rating: Nullable(RatingView),
  channelKind: Type.Enum(CHANNEL_KINDS, { description: 'tpi: a third party; web: the platform\'s own web chat' }),
  visitor: Type.Union([VisitorInfo, Type.Null()], { description: 'web chat only: where the customer is' }),
  context: Type.Optional(CustomerContextView),
  agentReadUpTo: Type.Integer({ description: 'the agent has read the customer\'s messages up to this id (0: none); the web chat shows it' }),
});

export const SessionView = Type.Object({
  ...SessionSummary.properties,
  messages: Type.Array(MessageView),
  hasEarlier: Type.Optional(
    Type.Boolean({
      description: `Where a list gives only the latest ${LATEST_MESSAGES} messages of each session: true when there are earlier ones, paged with GET /api/v1/agent/sessions/{id}/messages?before=<oldest id>`,
    }),
  ),
});

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 128 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export const LoginAnswer = Type.Object({ token: Type.String(), expiresAt: Type.Integer(), agent: AgentView });
export const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH });
export const ChangePasswordBody = Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: Password });
export const StatusBody = Type.Object({ status: AgentStatusSchema });
export const SendBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }) });
export const SessionParams = IntId;
export const SessionsQuery = Type.Object({
  status: Type.Optional(Type.Enum(['open', 'closed'] as const, { default: 'open' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'closed sessions per page' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'closed sessions with ids below this' })),
});
export const SessionsAnswer = Type.Object({ sessions: Type.Array(SessionView) });
export const MessagesQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'messages with ids above this, oldest first' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'messages with ids below this, newest page first' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export const MessagesAnswer = Type.Object({ messages: Type.Array(MessageView), hasMore: Type.Boolean() });

/** A queue an agent serves, with how many requests wait in it. */
export const QueueCount = Type.Object({ id: Type.Integer(), name: Type.String(), waiting: Type.Integer() });
export const QueuesAnswer = Type.Object({ queues: Type.Array(QueueCount) });

/** A request waiting in a manual queue of mine, to take by hand. */
export const WaitingRequestView = Type.Object({
  requestId: Type.Integer(),
  queueId: Type.Integer(),
  channelId: Type.String(),
  clientId: Type.String(),
  nickname: Type.String(),
  from: Type.Enum(CLIENT_SOURCES),
  place: Type.Integer({ description: '1: the oldest of its queue' }),
  waitingSince: Type.Integer(),
  preMessages: Type.Integer({ description: 'messages typed while waiting' }),
  visitor: Type.Union([VisitorInfo, Type.Null()], { description: 'web chat only' }),
});
export const WaitingRequestsAnswer = Type.Object({ requests: Type.Array(WaitingRequestView, { description: 'oldest first' }) });
export const RequestParams = Type.Object({ requestId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

/** A waiting request offered to me, until its deadline. */
export const OfferView = Type.Object({
  requestId: Type.Integer(),
  queueId: Type.Integer(),
  channelId: Type.String(),
  clientId: Type.String(),
  nickname: Type.String(),
  from: Type.Enum(CLIENT_SOURCES),
  waitingSince: Type.Integer(),
  offeredAt: Type.Integer(),
  deadline: Type.Integer({ description: 'ms since the epoch: unanswered by then, the offer passes on and counts as a refusal' }),
  visitor: Type.Union([VisitorInfo, Type.Null()], { description: 'web chat only' }),
  preMessages: Type.Array(MessageView, { description: 'what the customer typed while waiting, oldest first' }),
  transferNote: Nullable(Type.String({ description: 'a chat transferred to the queue: the note that came with it' })),
});
export const OffersAnswer = Type.Object({ offers: Type.Array(OfferView) });
export const DeclineBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) });
export const TransferBody = Type.Object({
  toAgentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  toQueueId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { description: 'exactly one of toAgentId and toQueueId' });
export const TransferAnswer = Type.Object({
  sessionId: Type.Integer(),
  status: Type.Enum(['open', 'queued'] as const, { description: 'open: the other agent has it now; queued: it waits in the queue' }),
  agentId: Nullable(Type.String()),
  queueId: Type.Integer(),
});

export const CannedReply = Type.Object({ id: Type.Integer(), shortcut: Type.String(), text: Type.String(), shared: Type.Boolean({ description: 'written by an admin for everyone' }) });
export const CannedBody = Type.Object({
  shortcut: Type.String({ minLength: 1, maxLength: 32, pattern: '^\\S+$' }),
  text: Type.String({ minLength: 1, maxLength: 5000 }),
});
export const CannedRepliesAnswer = Type.Object({ replies: Type.Array(CannedReply) });

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export const SessionSummariesAnswer = Type.Object({ sessions: Type.Array(SessionSummary) });

export type AgentView = Static<typeof AgentView>;
export type SessionEventView = Static<typeof SessionEventView>;
export type MessageView = Static<typeof MessageView>;
export type CustomerContextView = Static<typeof CustomerContextView>;
export type FileView = Static<typeof FileView>;
export type LocationView = Static<typeof LocationView>;
export type RatingView = Static<typeof RatingView>;
export type SessionSummary = Static<typeof SessionSummary>;
export type SessionView = Static<typeof SessionView>;
export type LoginBody = Static<typeof LoginBody>;
export type LoginAnswer = Static<typeof LoginAnswer>;
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;
export type StatusBody = Static<typeof StatusBody>;
export type SendBody = Static<typeof SendBody>;
export type SessionsQuery = Static<typeof SessionsQuery>;
export type SessionsAnswer = Static<typeof SessionsAnswer>;
export type MessagesQuery = Static<typeof MessagesQuery>;
export type MessagesAnswer = Static<typeof MessagesAnswer>;
export type QueueCount = Static<typeof QueueCount>;
export type QueuesAnswer = Static<typeof QueuesAnswer>;
export type CannedReply = Static<typeof CannedReply>;
export type CannedBody = Static<typeof CannedBody>;
export type CannedRepliesAnswer = Static<typeof CannedRepliesAnswer>;
export type SearchQuery = Static<typeof SearchQuery>;
export type SessionSummariesAnswer = Static<typeof SessionSummariesAnswer>;
export type WaitingRequestView = Static<typeof WaitingRequestView>;
export type WaitingRequestsAnswer = Static<typeof WaitingRequestsAnswer>;
export type DeliveryView = Static<typeof DeliveryView>;
export type OfferView = Static<typeof OfferView>;
export type OffersAnswer = Static<typeof OffersAnswer>;
export type DeclineBody = Static<typeof DeclineBody>;
export type TransferBody = Static<typeof TransferBody>;
export type TransferAnswer = Static<typeof TransferAnswer>;

/** Another agent of a queue of mine: whom I can transfer a chat to (online, with room). */
export const ColleagueView = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'chat nickname shown to customers' }),
  alias: Type.String({ description: 'staff name' }),
  status: AgentStatusSchema,
  openChats: Type.Integer(),
  openOffers: Type.Integer({ description: 'chats offered to them now: each holds a place of maxChats' }),
  maxChats: Type.Integer(),
  queueIds: Type.Array(Type.Integer(), { description: 'the queues we share' }),
});
export const ColleaguesAnswer = Type.Object({ colleagues: Type.Array(ColleagueView, { description: 'by id' }) });
export type ColleagueView = Static<typeof ColleagueView>;
export type ColleaguesAnswer = Static<typeof ColleaguesAnswer>;
