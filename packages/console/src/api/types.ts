/**
 * The shapes the platform's agent, supervisor and admin APIs answer with (see docs/agent-api.md).
 * Written by hand from the server's schemas: the console never imports the server.
 */

export type Role = 'agent' | 'supervisor' | 'admin';
export type AgentStatus = 'online' | 'away' | 'offline';
export type Party = 'customer' | 'agent' | 'system';

export interface Agent {
  id: string;
  username: string;
  /** Chat nickname shown to customers. */
  name: string;
  /** Staff name. */
  alias: string;
  icon: string;
  comments: string;
  maxChats: number;
  role: Role;
  status: AgentStatus;
  queueIds: number[];
}

export interface LoginAnswer {
  token: string;
  expiresAt: number;
  agent: Agent;
}

export type SessionEvent =
  | { event: 'rating-requested' }
  | { event: 'rated'; ratingId: number; comments: string }
  | { event: 'client-changed'; from: string; to: string }
  | { event: 'closed'; by: Party };

export interface Message {
  /** Grows with time across all sessions: order and de-duplicate by it. */
  id: number;
  sessionId: number | null;
  sender: Party;
  kind: 'pre' | 'text' | 'image' | 'event';
  /** Plain text with emoticon codes; never HTML. */
  text?: string;
  image?: { id: number; name: string; url: string };
  event?: SessionEvent;
  createdAt: number;
  clientTime: number | null;
}

export interface Rating {
  ratingId: number;
  comments: string;
  at: number;
}

export interface Session {
  id: number;
  requestId: number;
  channelId: string;
  queueId: number;
  agentId: string;
  clientId: string;
  nickname: string;
  /** PC, MOBILE, WECHAT or APP. */
  from: string;
  status: 'open' | 'closed';
  requestedAt: number;
  startedAt: number;
  closedAt: number | null;
  closedBy: Party | null;
  rating: Rating | null;
  messages: Message[];
  /** Where a list carries only each session's latest messages: true when there are earlier ones. */
  hasEarlier?: boolean;
}

/** A session without its messages (search results, lists). */
export type SessionSummary = Omit<Session, 'messages' | 'hasEarlier'>;

export interface QueueCount {
  id: number;
  name: string;
  waiting: number;
}

export interface CannedReply {
  id: number;
  shortcut: string;
  text: string;
  shared: boolean;
}

// ---- supervisor ----

export interface BoardQueue {
  id: number;
  name: string;
  waiting: number;
  longestWaitMs: number;
  agentsOnline: number;
  load: { open: number; capacity: number };
}

export interface BoardAgent {
  id: string;
  name: string;
  alias: string;
  status: AgentStatus;
  openChats: number;
  maxChats: number;
  queueIds: number[];
}

export interface Board {
  queues: BoardQueue[];
  agents: BoardAgent[];
  today: {
    requestsByState: Record<string, number>;
    averageWaitMs: number | null;
    ratings: { count: number; byRatingId: Record<string, number> };
  };
}

// ---- admin ----

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** null: always open. A day not listed: closed. Periods are "HH:MM-HH:MM". */
export type WeeklyHours = Partial<Record<Weekday, string[]>> | null;

export interface AdminQueue {
  id: number;
  name: string;
  timezone: string;
  hours: WeeklyHours;
  maxWaitSeconds: number;
  maxLength: number;
  whenNoAgentOnline: 'refuse' | 'wait';
  enabled: boolean;
  agentIds: string[];
}
export type QueueInput = Omit<AdminQueue, 'id'>;

export interface AdminAgent {
  id: string;
  username: string;
  name: string;
  alias: string;
  icon: string;
  comments: string;
  maxChats: number;
  queueIds: number[];
  role: Role;
  status: AgentStatus;
  enabled: boolean;
}
export interface AgentCreateInput {
  id: string;
  username: string;
  password: string;
  name: string;
  alias?: string;
  icon?: string;
  comments?: string;
  maxChats?: number;
  queueIds?: number[];
  role?: Role;
}
export type AgentUpdateInput = Omit<AgentCreateInput, 'id' | 'password'> & { enabled?: boolean };

export interface Channel {
  id: string;
  hasKey: boolean;
  callbackBase: string | null;
  allowServerAddr: string[];
}
export interface ChannelCreateInput {
  id: string;
  key?: string;
  callbackBase?: string | null;
  allowServerAddr?: string[];
}
export interface ChannelUpdateInput {
  /** null removes the key; absent keeps it. */
  key?: string | null;
  callbackBase?: string | null;
  allowServerAddr?: string[];
}

export type CallbackStatus = 'pending' | 'delivered' | 'dead';
export interface Callback {
  id: number;
  sessionId: number;
  channelId: string;
  name: string;
  url: string;
  status: CallbackStatus | string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}
export interface CallbackAttempt {
  id: number;
  startedAt: number;
  durationMs: number | null;
  httpStatus: number | null;
  error: string | null;
  response: string | null;
}
export interface CallbackDetail extends Omit<Callback, 'attempts'> {
  body?: string;
  attempts: CallbackAttempt[];
}
export interface CallbackFilter {
  status?: 'pending' | 'delivered' | '';
  channelId?: string;
  sessionId?: number;
  limit?: number;
  before?: number;
}
