/**
 * Every realtime event's payload, by name: the arguments it is emitted with, as a tuple. The
 * server emits through these types, the console listens through them, and the tests check
 * what arrives against them.
 */
import Type, { type Static, type TSchema } from 'typebox';
import {
  ClientEvent,
  ServerEvent,
  VisitorClientEvent,
  VisitorServerEvent,
  type ClientEventName,
  type ServerEventName,
  type VisitorClientEventName,
  type VisitorServerEventName,
} from './events.js';
import { ConversationView, VisitorMessage } from './api/webchat.js';
import { DeliveryView, MessageView, OfferView, PartySchema, QueueCount, SessionView } from './api/agent.js';

export const ChatClosedEvent = Type.Object({ sessionId: Type.Integer(), by: PartySchema });
export const QueuesChangedEvent = Type.Object({ queues: Type.Array(QueueCount) });
export const TypingEvent = Type.Object({ sessionId: Type.Integer(), typing: Type.Boolean() });
export const PreviewEvent = Type.Object({ sessionId: Type.Integer(), text: Type.String({ description: 'plain text, never HTML; empty: nothing typed now' }) });
export const OFFER_END_REASONS = ['accepted', 'declined', 'expired', 'withdrawn'] as const;
export const OfferEndedEvent = Type.Object({ requestId: Type.Integer(), reason: Type.Enum(OFFER_END_REASONS) });
export const MessageDeliveryEvent = Type.Object({ sessionId: Type.Integer(), messageId: Type.Integer(), delivery: DeliveryView });

export const SERVER_EVENT_ARGS = {
  [ServerEvent.CHAT_ASSIGNED]: Type.Tuple([SessionView]),
  [ServerEvent.CHAT_MESSAGE]: Type.Tuple([MessageView]),
  [ServerEvent.CHAT_MESSAGES]: Type.Tuple([Type.Array(MessageView)]),
  [ServerEvent.CHAT_CLOSED]: Type.Tuple([ChatClosedEvent]),
  [ServerEvent.QUEUES_CHANGED]: Type.Tuple([QueuesChangedEvent]),
  [ServerEvent.BOARD_CHANGED]: Type.Tuple([]),
  [ServerEvent.CHAT_TYPING]: Type.Tuple([TypingEvent]),
  [ServerEvent.CHAT_PREVIEW]: Type.Tuple([PreviewEvent]),
  [ServerEvent.LEFT_MESSAGES_CHANGED]: Type.Tuple([]),
  [ServerEvent.OFFER_NEW]: Type.Tuple([OfferView]),
  [ServerEvent.OFFER_ENDED]: Type.Tuple([OfferEndedEvent]),
  [ServerEvent.MESSAGE_DELIVERY]: Type.Tuple([MessageDeliveryEvent]),
} as const satisfies Record<ServerEventName, TSchema>;

export const WatchBody = Type.Object({ sessionId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const TypingBody = Type.Object({ sessionId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), typing: Type.Boolean() });
export const ReadBody = Type.Object({
  sessionId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  upTo: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'the id of the newest customer message read' }),
});
export const WatchAnswer = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });

/** What a client sends; each is answered through its acknowledgement with a WatchAnswer. */
export const CLIENT_EVENT_BODIES = {
  [ClientEvent.SESSION_WATCH]: WatchBody,
  [ClientEvent.SESSION_UNWATCH]: WatchBody,
  [ClientEvent.CHAT_TYPING]: TypingBody,
  [ClientEvent.CHAT_READ]: ReadBody,
} as const satisfies Record<ClientEventName, TSchema>;

export type ChatClosedEvent = Static<typeof ChatClosedEvent>;
export type QueuesChangedEvent = Static<typeof QueuesChangedEvent>;
export type TypingEvent = Static<typeof TypingEvent>;
export type PreviewEvent = Static<typeof PreviewEvent>;
export type OfferEndedEvent = Static<typeof OfferEndedEvent>;
export type MessageDeliveryEvent = Static<typeof MessageDeliveryEvent>;
export type WatchBody = Static<typeof WatchBody>;
export type TypingBody = Static<typeof TypingBody>;
export type ReadBody = Static<typeof ReadBody>;
export type WatchAnswer = Static<typeof WatchAnswer>;

/** Socket.IO's typed map, server to client. */
export type ServerToClientEvents = { [E in ServerEventName]: (...args: Static<(typeof SERVER_EVENT_ARGS)[E]>) => void };
/**
 * Socket.IO's typed map, client to server. Every client event is acknowledged with a
 * WatchAnswer (a client may still send one without waiting for it).
 */
export type ClientToServerEvents = {
  [E in ClientEventName]: (body: Static<(typeof CLIENT_EVENT_BODIES)[E]>, ack: (answer: WatchAnswer) => void) => void;
};

// ---- the web chat's namespace (/webchat) ----

export const VisitorTypingEvent = Type.Object({ typing: Type.Boolean() });

export const VISITOR_SERVER_EVENT_ARGS = {
  [VisitorServerEvent.MESSAGE]: Type.Tuple([VisitorMessage]),
  [VisitorServerEvent.STATE]: Type.Tuple([ConversationView]),
  [VisitorServerEvent.TYPING]: Type.Tuple([VisitorTypingEvent]),
} as const satisfies Record<VisitorServerEventName, TSchema>;

/** received and read: up to which of the agent's messages (their ids); a mark only ever moves forward. */
export const VisitorMarkEvent = Type.Object({
  upTo: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "the id of the newest of the agent's messages of the open chat" }),
});

export const VISITOR_CLIENT_EVENT_BODIES = {
  [VisitorClientEvent.TYPING]: VisitorTypingEvent,
  [VisitorClientEvent.RECEIVED]: VisitorMarkEvent,
  [VisitorClientEvent.READ]: VisitorMarkEvent,
} as const satisfies Record<VisitorClientEventName, TSchema>;

export type VisitorTypingEvent = Static<typeof VisitorTypingEvent>;
export type VisitorMarkEvent = Static<typeof VisitorMarkEvent>;
export type VisitorServerToClientEvents = { [E in VisitorServerEventName]: (...args: Static<(typeof VISITOR_SERVER_EVENT_ARGS)[E]>) => void };
/** Visitor events are fire-and-forget: typing is worth nothing once late, and a later mark covers an earlier one. */
export type VisitorClientToServerEvents = { [E in VisitorClientEventName]: (body: Static<(typeof VISITOR_CLIENT_EVENT_BODIES)[E]>) => void };
