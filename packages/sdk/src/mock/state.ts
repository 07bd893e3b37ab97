/** What the mock holds, as GET /mock/state and state() show it. Everything is in memory. */
import type { CallbackName } from '@elitewebchat/protocol';

export interface MockRequest {
  requestId: number;
  channelId: string;
  clientId: string;
  nickname: string;
  queueId: number;
  /** RequestStatus: 0 waiting, 1 accepted, 3 timeout, 6 off hours, 7 canceled … */
  requestStatus: number;
  /** Why it ended, as 1001's message says it. */
  endNote?: string;
  sessionId?: number;
  /** The base of its callbacks (serverAddr, else the channel's callbackBase). */
  callbackBase: string;
  createdAt: number;
  endedAt?: number;
  /** True when a 1000 continued an open session (it never waited). */
  continued?: boolean;
}

export interface MockMessage {
  id: number;
  /** 0 while it is a pre-message of a request not yet accepted. */
  sessionId: number;
  requestId?: number;
  from: 'customer' | 'agent';
  /** The TPI type that brought it (2001, 2002, 2003 …), or 'agent'. */
  kind: 'text' | 'pre' | 'image' | 'voice' | 'location' | 'file' | 'video' | 'agent';
  text: string;
  /** The third party's msgId / messageId. */
  msgId?: string;
  extra?: string;
  userId: string;
  time: number;
  revoked?: boolean;
}

export interface MockSession {
  sessionId: number;
  channelId: string;
  requestId: number;
  clientId: string;
  queueId: number;
  agentId: string;
  open: boolean;
  /** Waiting for another agent after a 2023. */
  transferring?: boolean;
  closedBy?: 'customer' | 'agent';
  callbackBase: string;
  rating?: { ratingId: number; ratingComments: string; ratingExtends?: Record<string, unknown> };
  notices: { noticeType: number; notice?: string; time: number }[];
  createdAt: number;
  closedAt?: number;
}

export interface CallbackAttempt {
  at: number;
  ok: boolean;
  status?: number;
  error?: string;
}

export interface MockCallback {
  /** webhook-id: the same on every attempt. */
  id: string;
  name: CallbackName;
  url: string;
  sessionId?: number;
  requestId?: number;
  body: Record<string, unknown>;
  /** pending: not yet delivered (waiting its turn, or being retried). */
  status: 'pending' | 'delivered';
  attempts: CallbackAttempt[];
}

export interface MockCustomerRecord {
  channelId: string;
  clientId: string;
  name: string;
  password?: string;
}

/** A customer's file uploaded by tpiu: its url names it in their later calls. The bytes are not kept. */
export interface MockUpload {
  /** e.g. /webchat/tpiu/files/9kQ0b…, as the upload answered it. */
  url: string;
  channelId: string;
  clientId: string;
  fileName: string;
  /** The format its bytes are: png, pdf, amr … */
  type: string;
  size: number;
  time: number;
}

export interface MockState {
  requests: MockRequest[];
  sessions: MockSession[];
  messages: MockMessage[];
  callbacks: MockCallback[];
  customers: MockCustomerRecord[];
  uploads: MockUpload[];
}
