/** The agent API: /api/v1/agent/*. */
import { del, get, post, put, request } from './http';
import type { Agent, AgentStatus, CannedReply, LoginAnswer, Message, QueueCount, Session, SessionSummary } from './types';

const A = '/api/v1/agent';

export const agentApi = {
  login: (username: string, password: string) => request<LoginAnswer>('POST', `${A}/login`, { body: { username, password }, anonymous: true }),
  logout: () => post<void>(`${A}/logout`),
  me: () => get<Agent>(`${A}/me`),
  setStatus: (status: AgentStatus) => put<Agent>(`${A}/status`, { status }),

  openSessions: () => get<{ sessions: Session[] }>(`${A}/sessions`, { status: 'open' }).then((r) => r.sessions),
  closedSessions: (limit: number, before?: number) =>
    get<{ sessions: Session[] }>(`${A}/sessions`, { status: 'closed', limit, before }).then((r) => r.sessions),
  session: (id: number) => get<Session>(`${A}/sessions/${id}`),
  /** The page of a session's messages just before the message `before`, oldest first. */
  messagesBefore: (sessionId: number, before: number, limit: number) =>
    get<{ messages: Message[]; hasMore: boolean }>(`${A}/sessions/${sessionId}/messages`, { before, limit }),
  send: (sessionId: number, text: string) => post<Message>(`${A}/sessions/${sessionId}/messages`, { text }),
  requestRating: (sessionId: number) => post<Message>(`${A}/sessions/${sessionId}/rating-request`),
  close: (sessionId: number) => post<Session>(`${A}/sessions/${sessionId}/close`),

  queues: () => get<{ queues: QueueCount[] }>(`${A}/queues`).then((r) => r.queues),
  cannedReplies: () => get<{ replies: CannedReply[] }>(`${A}/canned-replies`).then((r) => r.replies),
  addCannedReply: (shortcut: string, text: string) => post<CannedReply>(`${A}/canned-replies`, { shortcut, text }),
  deleteCannedReply: (id: number) => del(`${A}/canned-replies/${id}`),

  search: (q: string, limit = 50, signal?: AbortSignal) =>
    get<{ sessions: SessionSummary[] }>(`${A}/search`, { q, limit }, signal).then((r) => r.sessions),
};
