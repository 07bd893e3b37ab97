/** The agent API's bodies and answers. The OpenAPI document at /docs is made from these. */
import Type, { type Static } from 'typebox';
import { MAX_TEXT_LENGTH } from '@elitewebchat/protocol';

export const AgentStatus = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);
const Party = Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('system')]);

export const AgentView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String({ description: 'chat nickname shown to customers' }),
  alias: Type.String({ description: 'staff name' }),
  icon: Type.String(),
  comments: Type.String(),
  maxChats: Type.Integer(),
  role: Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]),
  status: AgentStatus,
  queueIds: Type.Array(Type.Integer()),
});

export const SessionEventView = Type.Union([
  Type.Object({ event: Type.Literal('rating-requested') }),
  Type.Object({ event: Type.Literal('rated'), ratingId: Type.Integer(), comments: Type.String() }),
  Type.Object({ event: Type.Literal('client-changed'), from: Type.String(), to: Type.String() }),
  Type.Object({ event: Type.Literal('closed'), by: Party }),
]);

export const MessageView = Type.Object({
  id: Type.Integer({ description: 'grows with time across all sessions; order and de-duplicate by it' }),
  sessionId: Type.Union([Type.Integer(), Type.Null()]),
  sender: Party,
  kind: Type.Union([Type.Literal('pre'), Type.Literal('text'), Type.Literal('image'), Type.Literal('event')], {
    description: "pre: typed while queued; event: see 'event'",
  }),
  text: Type.Optional(Type.String({ description: 'plain text with emoticon codes; never HTML' })),
  image: Type.Optional(Type.Object({ id: Type.Integer(), name: Type.String(), url: Type.String({ description: 'needs the bearer token' }) })),
  event: Type.Optional(SessionEventView),
  createdAt: Type.Integer(),
  clientTime: Type.Union([Type.Integer(), Type.Null()]),
});

export const SessionView = Type.Object({
  id: Type.Integer(),
  requestId: Type.Integer(),
  channelId: Type.String(),
  queueId: Type.Integer(),
  agentId: Type.String(),
  clientId: Type.String(),
  nickname: Type.String(),
  from: Type.String({ description: 'PC, MOBILE, WECHAT or APP' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  requestedAt: Type.Integer(),
  startedAt: Type.Integer(),
  closedAt: Type.Union([Type.Integer(), Type.Null()]),
  closedBy: Type.Union([Party, Type.Null()]),
  rating: Type.Union([Type.Object({ ratingId: Type.Integer(), comments: Type.String(), at: Type.Integer() }), Type.Null()]),
  messages: Type.Array(MessageView),
  hasEarlier: Type.Optional(
    Type.Boolean({
      description: 'Where a list gives only the latest messages of each session: true when there are earlier ones, paged with GET /api/v1/agent/sessions/{id}/messages?before=<oldest id>',
    }),
  ),
});

export const ErrorView = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 128 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export const LoginAnswer = Type.Object({ token: Type.String(), expiresAt: Type.Integer(), agent: AgentView });
export const StatusBody = Type.Object({ status: AgentStatus });
export const SendBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }) });
export const SessionParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const SessionsQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'closed sessions per page' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'closed sessions with ids below this' })),
});
export const MessagesQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'messages with ids above this, oldest first' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'messages with ids below this, newest page first' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export const MessagesAnswer = Type.Object({ messages: Type.Array(MessageView), hasMore: Type.Boolean() });

export type AgentView = Static<typeof AgentView>;
export type MessageView = Static<typeof MessageView>;
export type SessionView = Static<typeof SessionView>;
