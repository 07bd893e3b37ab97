/**
 * Limits and fixed lists that browsers need at run time as well as the server. No schema
 * library here, so that the browser entry stays small.
 */

/** Longest text a message may carry, in UTF-16 code units (TPI 2001/2005 and the agent API). */
export const MAX_TEXT_LENGTH = 20_000;
export const MAX_CLIENT_ID_LENGTH = 128;
export const MAX_NICKNAME_LENGTH = 128;
export const MAX_URL_LENGTH = 2_048;
/** An agent's password, when they or an admin choose it. */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1_024;

/** A session list carries this many of each session's latest messages (with `hasEarlier`). */
export const LATEST_MESSAGES = 500;

export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const AGENT_STATUSES = ['online', 'away', 'offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Who wrote a message or did a thing to a session. */
export const PARTIES = ['customer', 'agent', 'system'] as const;
export type Party = (typeof PARTIES)[number];

export const MESSAGE_KINDS = ['pre', 'text', 'image', 'voice', 'location', 'file', 'video', 'event'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Weekdays of a queue's working hours, in the order a week is shown. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const CALLBACK_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** A queue as the web chat's pre-chat form sees it: why it cannot be asked, when it cannot. */
export const WEB_QUEUE_STATES = ['open', 'closed-hours', 'no-agents', 'unavailable'] as const;
export type WebQueueState = (typeof WEB_QUEUE_STATES)[number];

/** Where a web-chat visitor's latest request stands. */
export const CONVERSATION_STATES = ['idle', 'waiting', 'chatting', 'ended'] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

/** A channel's kind: a third party speaking the TPI, or the platform's own web chat. */
export const CHANNEL_KINDS = ['tpi', 'web'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** How a queue's requests reach its agents: routed to the least busy one, offered to them to accept or decline, or taken by hand. */
export const QUEUE_ASSIGNMENTS = ['auto', 'offer', 'manual'] as const;
export type QueueAssignment = (typeof QUEUE_ASSIGNMENTS)[number];

/**
 * What an operator may let a channel's customers upload (`uploads.types`), by the name of the
 * format their bytes are (never by the name the file was given). Images (png, jpg, gif, webp)
 * are always taken, up to MAX_IMAGE_BYTES, from a channel without `uploads`.
 */
export const UPLOAD_TYPES = ['pdf', 'docx', 'xlsx', 'pptx', 'zip', 'rar', '7z', 'mp3', 'amr', 'm4a', 'wav', 'ogg', 'mp4', 'mov', 'webm', 'png', 'jpg', 'gif', 'webp'] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];
export const IMAGE_UPLOAD_TYPES = ['png', 'jpg', 'gif', 'webp'] as const satisfies readonly UploadType[];
/** The largest upload any channel may allow (`uploads.maxBytes`). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
