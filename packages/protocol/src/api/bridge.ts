/**
 * The agent bridge (/api/v1/bridge/*, header X-Bridge-Key), for agents who answer customers
 * from another workplace app (originally Enterprise WeChat) instead of the console; and the
 * bodies of the callbacks the platform POSTs to `{callbackBase}/AgentBridge/{name}`.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { CLIENT_SOURCES } from '../codes.js';
import { MAX_TEXT_LENGTH } from '../limits.js';
import { AgentStatusSchema } from './agent.js';
import { Nullable } from './common.js';

const AgentIdField = Type.String({ minLength: 1, maxLength: 64, description: "the bridged agent's id" });

export const BridgeStatusBody = Type.Object({ status: AgentStatusSchema });
export const BridgeAgentBody = Type.Object({ agentId: AgentIdField });
export const BridgeDeclineBody = Type.Object({ agentId: AgentIdField, reason: Type.Optional(Type.String({ maxLength: 500 })) });
export const BridgeSendBody = Type.Object({ agentId: AgentIdField, text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }) });
export const BridgeAgentParams = Type.Object({ agentId: Type.String({ minLength: 1, maxLength: 64 }) });
export const BridgeOk = Type.Object({ ok: Type.Literal(true) });
export const BridgeAcceptAnswer = Type.Object({ ok: Type.Literal(true), sessionId: Type.Integer() });
export const BridgeMessageAnswer = Type.Object({ ok: Type.Literal(true), messageId: Type.Integer() });

// ---- callbacks, to {callbackBase}/AgentBridge/{name} ----

export const BRIDGE_CALLBACK_NAMES = ['offer', 'assigned', 'message', 'closed'] as const;
export type BridgeCallbackName = (typeof BRIDGE_CALLBACK_NAMES)[number];

const Time = Type.Integer({ description: 'ms since the Unix epoch' });

export const BridgeOfferCallback = Type.Object({
  agentId: Type.String(),
  requestId: Type.Integer(),
  clientId: Type.String(),
  nickname: Type.String(),
  from: Type.Enum(CLIENT_SOURCES),
  queueId: Type.Integer(),
  waitingSince: Time,
  deadline: Type.Integer({ description: 'accept or decline before this (ms since the epoch)' }),
  preMessages: Type.Array(Type.Object({ text: Type.String(), time: Time }), { description: 'what the customer typed while waiting' }),
  time: Time,
});
export const BridgeAssignedCallback = Type.Object({
  agentId: Type.String(),
  requestId: Type.Integer(),
  sessionId: Type.Integer(),
  clientId: Type.String(),
  nickname: Type.String(),
  from: Type.Enum(CLIENT_SOURCES),
  queueId: Type.Integer(),
  time: Time,
});
export const BridgeMessageCallback = Type.Object({
  agentId: Type.String(),
  sessionId: Type.Integer(),
  clientId: Type.String(),
  messageId: Type.Integer({ description: 'grows with time; a receiver may de-duplicate by it' }),
  text: Type.Optional(Type.String({ description: 'plain text with emoticon codes' })),
  imageUrl: Type.Optional(Type.String({ description: 'an image the customer sent: GET it with the X-Bridge-Key header' })),
  time: Time,
});
export const BridgeClosedCallback = Type.Object({
  agentId: Type.String(),
  sessionId: Type.Integer(),
  clientId: Type.String(),
  by: Type.Enum(['customer', 'agent', 'system'] as const),
  reason: Nullable(Type.String({ description: 'transferred: the chat went to another agent or queue' })),
  time: Time,
});

export const BRIDGE_CALLBACK_BODIES = {
  offer: BridgeOfferCallback,
  assigned: BridgeAssignedCallback,
  message: BridgeMessageCallback,
  closed: BridgeClosedCallback,
} as const satisfies Record<BridgeCallbackName, TSchema>;
export type BridgeCallbackBodies = { [N in BridgeCallbackName]: Static<(typeof BRIDGE_CALLBACK_BODIES)[N]> };

export type BridgeStatusBody = Static<typeof BridgeStatusBody>;
export type BridgeAgentBody = Static<typeof BridgeAgentBody>;
export type BridgeDeclineBody = Static<typeof BridgeDeclineBody>;
export type BridgeSendBody = Static<typeof BridgeSendBody>;
