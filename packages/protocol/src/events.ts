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
  /** The customer of a session started or stopped typing (web chat). */
  CHAT_TYPING: 'chat.typing',
  /** Messages left outside hours in the agent's queues changed: fetch them again. */
  LEFT_MESSAGES_CHANGED: 'left-messages.changed',
  /** A chat is offered to this agent until a deadline: accept or decline it. */
  OFFER_NEW: 'offer.new',
  /** An offer to this agent ended: accepted, declined, expired, or withdrawn. */
  OFFER_ENDED: 'offer.ended',
  /** What the customer of a session is typing, not yet sent (TPI 2021); an empty text clears it. */
  CHAT_PREVIEW: 'chat.preview',
  /** Whether the customer's side has one of this agent's replies changed. */
  MESSAGE_DELIVERY: 'message.delivery',
} as const;
export type ServerEventName = (typeof ServerEvent)[keyof typeof ServerEvent];

/** Client to server. */
export const ClientEvent = {
  /** Supervisors and admins follow a session. */
  SESSION_WATCH: 'session.watch',
  SESSION_UNWATCH: 'session.unwatch',
  /** The agent is typing in a session (the web chat shows it). */
  CHAT_TYPING: 'chat.typing',
  /** The agent has read the customer's messages of a session up to a message id. */
  CHAT_READ: 'chat.read',
} as const;
export type ClientEventName = (typeof ClientEvent)[keyof typeof ClientEvent];

/**
 * The web chat's own realtime namespace (Socket.IO namespace `/webchat`, path /socket.io),
 * authenticated with the visitor's token. Server to visitor:
 */
export const VisitorServerEvent = {
  /** A message of the visitor's conversation (their own ones too, from another tab). */
  MESSAGE: 'message',
  /** The conversation's state changed: place, acceptance, read marks, closing, rating. */
  STATE: 'state',
  /** The agent started or stopped typing. */
  TYPING: 'typing',
} as const;
export type VisitorServerEventName = (typeof VisitorServerEvent)[keyof typeof VisitorServerEvent];

/** Visitor to server. */
export const VisitorClientEvent = {
  TYPING: 'typing',
  /** A page of the visitor's has the agent's messages of their open chat up to a message id. */
  RECEIVED: 'received',
  /** The visitor has seen the agent's messages of their open chat up to a message id (the chat was in view). */
  READ: 'read',
} as const;
export type VisitorClientEventName = (typeof VisitorClientEvent)[keyof typeof VisitorClientEvent];
