/**
 * The names of the realtime events (Socket.IO, path /socket.io). Their payloads are in
 * realtime.ts; these names alone are what a browser needs at run time.
 */

/** Server to client. */
export const ServerEvent = {
  /** A chat was routed to this agent: its session, pre-messages first. */
  CHAT_ASSIGNED: 'chat.assigned',
  /** A message of one of this agent's sessions (or a watched one). */
  CHAT_MESSAGE: 'chat.message',
  /** Several messages written together, in order. */
  CHAT_MESSAGES: 'chat.messages',
  CHAT_CLOSED: 'chat.closed',
  /** Waiting counts of the agent's queues. */
  QUEUES_CHANGED: 'queues.changed',
  /** Supervisors and admins: the board changed; fetch it again. */
  BOARD_CHANGED: 'board.changed',
} as const;
export type ServerEventName = (typeof ServerEvent)[keyof typeof ServerEvent];

/** Client to server (supervisors and admins). */
export const ClientEvent = {
  SESSION_WATCH: 'session.watch',
  SESSION_UNWATCH: 'session.unwatch',
} as const;
export type ClientEventName = (typeof ClientEvent)[keyof typeof ClientEvent];
