/** The tables, as Kysely sees them. Times are ms since the epoch; booleans are 0/1 in both stores. */
import type { AgentRole, AgentStatus, BridgeCallbackName, CallbackName, CallbackStatus, ChannelKind, MessageKind, Party, QueueAssignment } from '@elitewebchat/protocol';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type { AgentRole, AgentStatus, CallbackStatus, MessageKind, Party };

type Id = Generated<number>;

export interface QueueTable {
  id: number;
  name: string;
  timezone: string;
  /** JSON of WeeklyHours, or null for always open. */
  hours: string | null;
  max_wait_seconds: number;
  max_length: number;
  when_no_agent_online: 'refuse' | 'wait';
  enabled: number;
  /** JSON array of "YYYY-MM-DD" and "YYYY-MM-DD..YYYY-MM-DD"; null: none. */
  closed_dates: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON object "YYYY-MM-DD" → periods; null: none. */
  special_hours: ColumnType<string | null, string | null | undefined, string | null>;
  /** A waiting request not heard from (1001, 2005) this long is DROPPED; null: never. */
  drop_after_silent_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  /** auto: routed to the least busy agent; manual: its agents take requests by hand. */
  assignment: ColumnType<QueueAssignment, QueueAssignment | undefined, QueueAssignment>;
  /** With assignment offer: how long an agent has to accept. */
  offer_timeout_seconds: ColumnType<number, number | undefined, number>;
  /** JSON {"zh-CN", "en"}: the sentence that tells a customer their place, {position} in it; null: the default. */
  position_message: ColumnType<string | null, string | null | undefined, string | null>;
  /** With assignment offer: declines and time-outs after which a request is REFUSED. */
  max_refusals: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}


export interface AgentTable {
  id: string;
  username: string;
  password_hash: string;
  name: string;
  alias: string;
  icon: string;
  comments: string;
  max_chats: number;
  role: AgentRole;
  status: AgentStatus;
  /** When the agent last took a chat, came online or finished a chat: ties go to the earliest. */
  idle_since: number;
  enabled: number;
  /** 1: the password is a one-time one; nothing but changing it is allowed until then. */
  must_change_password: ColumnType<number, number | undefined, number>;
  /**
   * When a live feed (the console's socket) last connected for this agent; null: never. An
   * agent online with a feed is set away when the feed is gone, also after a restart.
   */
  feed_seen_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The agent bridge this agent works through (no console, no password); null: the console. */
  bridge_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Why the platform set this agent away ('not-responding'); null: the agent chose it. */
  away_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Offers in a row this agent let run out; reset by any answer. */
  missed_offers: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

export interface AgentQueueTable {
  agent_id: string;
  queue_id: number;
}

export interface ChannelTable {
  id: string;
  /** sha256 hex of the channel's key; null: the channel takes calls that send no key. */
  key_hash: string | null;
  callback_base: string | null;
  /** JSON array of URL prefixes a request's serverAddr may start with. */
  allow_server_addr: string;
  /** JSON array of Standard Webhooks secrets ("whsec_..."); the first signs, all sign during a rotation. */
  webhook_secrets: ColumnType<string, string | undefined, string>;
  /** JSON array of CIDRs the channel's calls may come from; null: loopback only for a keyless channel, anywhere for a keyed one. */
  allow_from: string | null;
  /** HMAC-SHA256 key for signed TPI requests; null: requests are not signed. */
  signing_secret: string | null;
  /** What a disallowed serverAddr gets: refused (-8), or the channel's own base used instead. */
  server_addr_policy: ColumnType<'refuse' | 'use-channel-base', 'refuse' | 'use-channel-base' | undefined, 'refuse' | 'use-channel-base'>;
  kind: ColumnType<ChannelKind, ChannelKind | undefined, ChannelKind>;
  /** JSON of WebChannelOptions for kind web; null otherwise. */
  web: ColumnType<string | null, string | null | undefined, string | null>;
  /** Where callbacks go under the base, `{name}` for the callback's name; null: /ThirdPartService/{name}. */
  callback_path: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of the later callbacks the channel asked for; null: seed callbacks only. */
  later_callbacks: ColumnType<string | null, string | null | undefined, string | null>;
  /** The language of the sentences sent to the channel (zh-CN, en); null: zh-CN. */
  language: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON of ChannelUploads (what customers may upload); null: images only, up to MAX_IMAGE_BYTES. */
  uploads: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: number;
  updated_at: number;
}

/** What a channel of kind web offers (channels.web, as JSON). */
export interface WebChannelOptions {
  queues: number[];
  allowedOrigins: string[];
  identitySecret: string | null;
  preChatFields: { name: string; label: { 'zh-CN': string; en: string }; required: boolean }[];
}

export interface AgentTokenTable {
  token_hash: string;
  agent_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface ChatRequestTable {
  id: Id;
  channel_id: string;
  client_id: string;
  nickname: string;
  source: string;
  queue_id: number;
  server_addr: string | null;
  status: number;
  created_at: number;
  client_time: number | null;
  ended_at: number | null;
  session_id: number | null;
  /** 1 when this request resumed an open session (continueLastSession). */
  continued: number;
  /** The web chat's visitor who asked; null for TPI requests. */
  visitor_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON of VisitorInfo (web chat); null for TPI requests. */
  visitor: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON of CustomerContext from a later TPI 1000 (brand, browsing trail, address); null: none. */
  customer_context: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * The third party's last 1001 or 2005 about it; null: only its 1000 (created_at). For a chat
   * transferred to a queue (session_id set while WAITING): when it was transferred.
   */
  heard_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Why it ended, where its state alone does not say (REFUSED); 1001's message carries it. */
  end_note: ColumnType<string | null, string | null | undefined, string | null>;
}

/** queued: transferred to a queue, waiting for its next agent (its request is WAITING again). */
export type SessionStatus = 'open' | 'queued' | 'closed';

export interface SessionTable {
  id: Id;
  request_id: number;
  channel_id: string;
  client_id: string;
  nickname: string;
  source: string;
  queue_id: number;
  /** The agent who has it; '' while queued (transferred to a queue, no agent yet). */
  agent_id: string;
  /** The agent who last transferred it away: a queue does not route it back to them. */
  transferred_from: ColumnType<string | null, string | null | undefined, string | null>;
  /** The base URL of every callback about this session. */
  callback_base: string | null;
  status: SessionStatus;
  requested_at: number;
  created_at: number;
  closed_at: number | null;
  closed_by: Party | null;
  rating_id: number | null;
  rating_comments: string | null;
  /** JSON of a later 5001's ratingExtends; null: none. */
  rating_extends: ColumnType<string | null, string | null | undefined, string | null>;
  rated_at: number | null;
  /** JSON of VisitorInfo, copied from the request (web chat); null for TPI sessions. */
  visitor: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON of CustomerContext from a later TPI 1000 (brand, browsing trail, address); null: none. */
  customer_context: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent has read the customer's messages up to this message id. */
  agent_read_id: ColumnType<number, number | undefined, number>;
  /** A bridged agent's session: the customer's messages up to this id were sent to the bridge. */
  bridge_relayed_id: ColumnType<number, number | undefined, number>;
  /** Web chat: a page of the customer's received the agent's messages up to this id. */
  visitor_received_id: ColumnType<number, number | undefined, number>;
  /** Web chat: the customer has seen the agent's messages up to this id. */
  visitor_read_id: ColumnType<number, number | undefined, number>;
}


export interface MessageTable {
  id: Id;
  request_id: number | null;
  session_id: number | null;
  sender: Party;
  kind: MessageKind;
  text: string | null;
  image_id: number | null;
  /** JSON of a SessionEvent, for kind 'event'. */
  event: string | null;
  /** The third party's own id of the message (msgId), unique within a session: a retried 2001/2002 is stored once. */
  client_msg_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** voice, video, file: the file (files.id). */
  file_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** JSON of MessageMedia (voice and video length, a location, a thumbnail); null: none. */
  media: ColumnType<string | null, string | null | undefined, string | null>;
  /** TPI `extra`: opaque text the third party kept with the message. */
  extra: ColumnType<string | null, string | null | undefined, string | null>;
  /** The customer took it back (TPI 2024, notice 6); null: not. */
  revoked_at: ColumnType<number | null, number | null | undefined, number | null>;
  client_time: number | null;
  created_at: number;
}

/** What a media message carries besides its file (messages.media, as JSON). */
export interface MessageMedia {
  /** voice, video, file, an agent's image: what its file is (the bytes are in files, messages.file_id); publicId: an agent's, linked for the customer. */
  file?: { name: string; type: string; size: number; publicId?: string };
  seconds?: number;
  location?: { latitude: number; longitude: number; poi: string; map: 'gaode' | 'baidu' };
  /** A small picture the sender gave (location, video), in images. */
  thumb?: { imageId: number; width: number; height: number };
}

/** A file a customer uploaded (tpiu) or sent by address: voice, video, documents. */
export interface FileTable {
  id: Id;
  /** The random name in its tpiu url: knowing it is not enough to use it (the owner is checked too). */
  public_id: string;
  channel_id: string;
  client_id: string;
  name: string;
  /** The format its bytes are (UPLOAD_TYPES). */
  type: string;
  mime: string;
  size: number;
  data: ColumnType<Buffer, Buffer | Uint8Array, never>;
  created_at: number;
}

/** A server process using the store (nodes/store-nodes.ts). */
export interface NodeTable {
  id: string;
  /** NODE_NAME. */
  name: string;
  host: string;
  pid: number;
  started_at: number;
  heartbeat_at: number;
  /** 1: a node of a cluster (REDIS_URL), which shares the store with the others; 0: a sole process. */
  cluster: number;
  /** A cluster node's REDIS_PREFIX: every node of a store must use the same. */
  redis_prefix: string | null;
}

/** A process's lease on sending a session's callbacks (cluster/store-outbox-claims.ts). */
export interface OutboxClaimTable {
  session_id: number;
  node: string;
  until: number;
}

export interface ImageTable {
  id: Id;
  session_id: number;
  name: string;
  mime: string;
  size: number;
  width: number;
  height: number;
  data: ColumnType<Buffer, Buffer | Uint8Array, never>;
  created_at: number;
}

export interface CallbackTable {
  id: Id;
  /** The ordering key: a session id; below zero, an agent bridge's (delivery/bridge-outbox.ts). */
  session_id: number;
  /** A channel id, or `bridge:{id}` for an agent bridge's. */
  channel_id: string;
  name: CallbackName | BridgeCallbackName;
  url: string;
  body: string;
  /** dead: still failing when its retry window ended; kept for the admin API and redelivery by hand. */
  status: CallbackStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  /** After a failed attempt past this, the callback is dead; null: the configured window from created_at. */
  retry_until: ColumnType<number | null, number | null | undefined, number | null>;
  /** The agent's message this callback carries (msg), for its delivery mark; null: none. */
  message_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export type OfferStatus = 'open' | 'accepted' | 'declined' | 'expired' | 'withdrawn';

/** A waiting request offered to one agent until a deadline. */
export interface OfferTable {
  id: Id;
  request_id: number;
  agent_id: string;
  offered_at: number;
  deadline: number;
  /** declined and expired count as refusals; withdrawn (the agent left, or a supervisor assigned it) does not. */
  status: OfferStatus;
  reason: string | null;
  ended_at: number | null;
}

export interface AgentBridgeTable {
  id: string;
  /** sha256 hex of the bridge's key (X-Bridge-Key). */
  key_hash: string;
  callback_base: string;
  /** JSON array of Standard Webhooks secrets, as a channel's. */
  webhook_secrets: ColumnType<string, string | undefined, string>;
  created_at: number;
  updated_at: number;
}

export interface CallbackAttemptTable {
  id: Id;
  callback_id: number;
  started_at: number;
  duration_ms: number;
  http_status: number | null;
  error: string | null;
  /** The start of the answer, truncated. */
  response: string | null;
}

export interface CannedReplyTable {
  id: Id;
  /** null: shared by everyone. */
  agent_id: string | null;
  shortcut: string;
  text: string;
  created_at: number;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface VisitorTable {
  id: string;
  channel_id: string;
  /** The user id a site vouched for (identity); null: anonymous. */
  external_id: string | null;
  created_at: number;
  seen_at: number;
}

export interface VisitorTokenTable {
  token_hash: string;
  visitor_id: string;
  created_at: number;
  expires_at: number;
}

export interface LeftMessageTable {
  id: Id;
  channel_id: string;
  queue_id: number;
  visitor_id: string | null;
  name: string;
  contact: string;
  text: string;
  /** JSON of VisitorInfo. */
  info: string;
  created_at: number;
  handled_at: number | null;
  handled_by: string | null;
}

export type CustomerKind = 'account' | 'visitor';

/** A customer of the later wire (TPI types 1–4), per channel. */
export interface CustomerTable {
  id: Id;
  channel_id: string;
  /** The TPI's clientId: the login name (account), or the visitor's GUID (visitor). */
  client_id: string;
  kind: CustomerKind;
  name: string;
  portrait_uri: string | null;
  /** argon2id; null: none set (a customer registered by type 3), which only an empty password matches. */
  password_hash: string | null;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface CustomerTokenTable {
  /** sha256 hex of the token. */
  token_hash: string;
  customer_id: number;
  channel_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface DB {
  customers: CustomerTable;
  customer_tokens: CustomerTokenTable;
  settings: SettingTable;
  visitors: VisitorTable;
  visitor_tokens: VisitorTokenTable;
  left_messages: LeftMessageTable;
  canned_replies: CannedReplyTable;
  queues: QueueTable;
  agents: AgentTable;
  agent_queues: AgentQueueTable;
  channels: ChannelTable;
  agent_tokens: AgentTokenTable;
  chat_requests: ChatRequestTable;
  sessions: SessionTable;
  messages: MessageTable;
  images: ImageTable;
  files: FileTable;
  nodes: NodeTable;
  outbox_claims: OutboxClaimTable;
  callbacks: CallbackTable;
  callback_attempts: CallbackAttemptTable;
  offers: OfferTable;
  agent_bridges: AgentBridgeTable;
}

export type QueueRow = Selectable<QueueTable>;
export type AgentRow = Selectable<AgentTable>;
export type ChannelRow = Selectable<ChannelTable>;
export type ChatRequestRow = Selectable<ChatRequestTable>;
export type SessionRow = Selectable<SessionTable>;
export type MessageRow = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;
export type CallbackRow = Selectable<CallbackTable>;
export type VisitorRow = Selectable<VisitorTable>;
export type LeftMessageRow = Selectable<LeftMessageTable>;
export type OfferRow = Selectable<OfferTable>;
export type CustomerRow = Selectable<CustomerTable>;
export type AgentBridgeRow = Selectable<AgentBridgeTable>;
