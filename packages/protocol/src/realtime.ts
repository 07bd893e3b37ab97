/**
 * Every realtime event's payload, by name: the arguments it is emitted with, as a tuple. The
 * server emits through these types, the console listens through them, and the tests check
 * what arrives against them.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { ClientEvent, ServerEvent, type ClientEventName, type ServerEventName } from './events.js';
import { MessageView, PartySchema, QueueCount, SessionView } from './api/agent.js';

export const ChatClosedEvent = Type.Object({ sessionId: Type.Integer(), by: PartySchema });
export const QueuesChangedEvent = Type.Object({ queues: Type.Array(QueueCount) });

export const SERVER_EVENT_ARGS = {
  [ServerEvent.CHAT_ASSIGNED]: Type.Tuple([SessionView]),
  [ServerEvent.CHAT_MESSAGE]: Type.Tuple([MessageView]),
  [ServerEvent.CHAT_MESSAGES]: Type.Tuple([Type.Array(MessageView)]),
  [ServerEvent.CHAT_CLOSED]: Type.Tuple([ChatClosedEvent]),
  [ServerEvent.QUEUES_CHANGED]: Type.Tuple([QueuesChangedEvent]),
  [ServerEvent.BOARD_CHANGED]: Type.Tuple([]),
} as const satisfies Record<ServerEventName, TSchema>;

export const WatchBody = Type.Object({ sessionId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const WatchAnswer = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });

/** What a client sends; each is answered through its acknowledgement with a WatchAnswer. */
export const CLIENT_EVENT_BODIES = {
  [ClientEvent.SESSION_WATCH]: WatchBody,
  [ClientEvent.SESSION_UNWATCH]: WatchBody,
} as const satisfies Record<ClientEventName, TSchema>;

export type ChatClosedEvent = Static<typeof ChatClosedEvent>;
export type QueuesChangedEvent = Static<typeof QueuesChangedEvent>;
export type WatchBody = Static<typeof WatchBody>;
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
