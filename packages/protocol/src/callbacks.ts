/** Bodies of the callbacks the platform POSTs to `{base}/ThirdPartService/{name}`. */
import Type, { type Static, type TSchema } from 'typebox';
import type { CallbackName } from './codes.js';

const AgentId = Type.String({ description: "the agent's id, e.g. SELITE" });
const SessionId = Type.Integer({ minimum: 1 });
const Time = Type.Integer({ description: 'ms since the Unix epoch' });

export const AgentCard = Type.Object({
  id: AgentId,
  name: Type.String({ description: 'chat nickname (webchat_alias)' }),
  alias: Type.String({ description: 'staff name' }),
  icon: Type.String({ description: 'avatar URL' }),
  commonts: Type.String({ description: 'remarks (sic: the wire spells it commonts)' }),
});

export const CreateCallback = Type.Object({
  result: Type.Literal(1),
  message: Type.String(),
  agentId: AgentId,
  agentName: Type.String(),
  agent: AgentCard,
  clientId: Type.String(),
  sessionId: SessionId,
  time: Time,
});
/** Who sent a `msg` and when: the same in an agent's message and in a notice. */
const MsgFrom = {
  sessionId: SessionId,
  agentId: AgentId,
  agentName: Type.String(),
  agentHeadimg: Type.String(),
  agentComment: Type.String(),
  time: Time,
};
export const MsgCallback = Type.Object({
  ...MsgFrom,
  content: Type.String({ description: 'text; emoticons as codes. An agent\'s image or file: its name and link, or (channels that asked for richContent) <img>/<a>' }),
  clientId: Type.Optional(Type.String()),
  type: Type.Optional(Type.Literal('text')),
});
/**
 * Later wire, to channels that asked for `typing`: a notice in the session (5: the agent is
 * typing). The agent's fields are those of an agent's message; a seed channel never gets one.
 */
export const MsgNoticeCallback = Type.Object({
  ...MsgFrom,
  content: Type.String({ description: 'what the notice says, e.g. that the agent is typing' }),
  clientId: Type.Optional(Type.String()),
  type: Type.Literal('notice'),
  noticeType: Type.Integer({ description: 'see NoticeType: 5 the agent is typing' }),
});
export const PushRatingCallback = Type.Object({ sessionId: SessionId, agentId: AgentId, clientId: Type.Optional(Type.String()) });
export const CloseCallback = Type.Object({ sessionId: SessionId, agentId: AgentId, clientId: Type.Optional(Type.String()), time: Time });
/** Later wire, to channels that asked for it: a waiting request's state or place changed. */
export const UpdateRequestStatusCallback = Type.Object({
  clientId: Type.String(),
  requestId: Type.Integer(),
  sessionId: Type.Optional(SessionId),
  requestStatus: Type.Integer({ description: 'see the request states' }),
  queueLength: Type.Integer({ description: "the request's place, 1-based; 0 once it is not waiting" }),
  message: Type.String({ description: "the queue's position sentence in the channel's language, or why it ended" }),
  time: Time,
});
/** An agent in a chat, as agentsUpdate lists them. */
export const ChatAgent = Type.Object({
  id: AgentId,
  name: Type.String({ description: 'chat nickname' }),
  icon: Type.String({ description: 'avatar URL (may be empty)' }),
  comments: Type.String({ description: 'remarks' }),
});
/** Later wire, to channels that asked for it: the agents now in the chat (after a transfer, instead of a second create). */
export const AgentsUpdateCallback = Type.Object({
  clientId: Type.String(),
  sessionId: SessionId,
  agents: Type.Array(ChatAgent),
  time: Time,
});
/** What the third party answers to every callback; anything but result 1 is retried. */
export const CallbackAnswer = Type.Object({ result: Type.Integer(), message: Type.Optional(Type.String()) });

export type AgentCard = Static<typeof AgentCard>;
export type CreateCallback = Static<typeof CreateCallback>;
export type MsgCallback = Static<typeof MsgCallback>;
export type MsgNoticeCallback = Static<typeof MsgNoticeCallback>;
export type ChatAgent = Static<typeof ChatAgent>;
export type AgentsUpdateCallback = Static<typeof AgentsUpdateCallback>;
export type PushRatingCallback = Static<typeof PushRatingCallback>;
export type CloseCallback = Static<typeof CloseCallback>;
export type UpdateRequestStatusCallback = Static<typeof UpdateRequestStatusCallback>;

/** The body of each callback, by its name: a callback is always sent with its own body. */
export const CALLBACK_BODIES = {
  create: CreateCallback,
  /** An agent's message; to channels that asked for `typing`, also a notice. */
  msg: Type.Union([MsgCallback, MsgNoticeCallback]),
  pushRating: PushRatingCallback,
  close: CloseCallback,
  updateRequestStatus: UpdateRequestStatusCallback,
  agentsUpdate: AgentsUpdateCallback,
} as const satisfies Record<CallbackName, TSchema>;
export type CallbackBodies = { [N in CallbackName]: Static<(typeof CALLBACK_BODIES)[N]> };
export type CallbackBody = CallbackBodies[CallbackName];
