/** The agent API: /api/v1/agent/*. Its shapes are the protocol's. */
import type {
  AgentStatus,
  AgentView,
  CannedBody,
  CannedRepliesAnswer,
  CannedReply,
  ChangePasswordBody,
  ColleagueView,
  ColleaguesAnswer,
  DeclineBody,
  LeftMessagesAnswer,
  LeftMessagesQuery,
  LeftMessageView,
  LoginAnswer,
  LoginBody,
  MessagesAnswer,
  MessagesQuery,
  MessageView,
  OffersAnswer,
  OfferView,
  QueuesAnswer,
  RatingOption,
  RatingsAnswer,
  SearchQuery,
  SendBody,
  SessionsAnswer,
  SessionsQuery,
  SessionSummariesAnswer,
  SessionView,
  StatusBody,
  TransferAnswer,
  TransferBody,
  WaitingRequestsAnswer,
} from '@elitewebchat/protocol/browser';
import { del, get, post, put, request } from './http';
import { uploadFile, type Progress } from './upload';

const A = '/api/v1/agent';

export const agentApi = {
  login: (username: string, password: string) =>
    request<LoginAnswer>('POST', `${A}/login`, { body: { username, password } satisfies LoginBody, anonymous: true }),
  logout: () => post<void>(`${A}/logout`),
  me: () => get<AgentView>(`${A}/me`),
  /** Replaces my password (a one-time one, typically): 204, or BAD_CREDENTIALS for a wrong current one. */
  changePassword: (currentPassword: string, newPassword: string) =>
    post<void>(`${A}/password`, { currentPassword, newPassword } satisfies ChangePasswordBody),
  setStatus: (status: AgentStatus) => put<AgentView>(`${A}/status`, { status } satisfies StatusBody),
  openSessions: () => get<SessionsAnswer>(`${A}/sessions`, { status: 'open' } satisfies SessionsQuery).then((r) => r.sessions),
  closedSessions: (limit: number, before?: number) =>
    get<SessionsAnswer>(`${A}/sessions`, { status: 'closed', limit, before } satisfies SessionsQuery).then((r) => r.sessions),
  session: (id: number) => get<SessionView>(`${A}/sessions/${id}`),
  /** The page of a session's messages just before the message `before`, oldest first. */
  messagesBefore: (sessionId: number, before: number, limit: number) =>
    get<MessagesAnswer>(`${A}/sessions/${sessionId}/messages`, { before, limit } satisfies MessagesQuery),
  send: (sessionId: number, text: string) => post<MessageView>(`${A}/sessions/${sessionId}/messages`, { text } satisfies SendBody),
  /** An image or a file (multipart, field `file`): 201 the message; 413 too large, 415 a format not taken, 400 not such a form. */
  sendFile: (sessionId: number, file: Blob, name: string, onProgress?: Progress) => uploadFile<MessageView>(`${A}/sessions/${sessionId}/files`, file, name, onProgress),
  requestRating: (sessionId: number) => post<MessageView>(`${A}/sessions/${sessionId}/rating-request`),
  close: (sessionId: number) => post<SessionView>(`${A}/sessions/${sessionId}/close`),
  queues: () => get<QueuesAnswer>(`${A}/queues`).then((r) => r.queues),
  cannedReplies: () => get<CannedRepliesAnswer>(`${A}/canned-replies`).then((r) => r.replies),
  addCannedReply: (shortcut: string, text: string) => post<CannedReply>(`${A}/canned-replies`, { shortcut, text } satisfies CannedBody),
  deleteCannedReply: (id: number) => del(`${A}/canned-replies/${id}`),
  /** Messages left outside hours in my queues, newest first. */
  leftMessages: (status: NonNullable<LeftMessagesQuery['status']>, limit: number) =>
    get<LeftMessagesAnswer>(`${A}/left-messages`, { status, limit } satisfies LeftMessagesQuery).then((r) => r.leftMessages),
  /** 409 CONFLICT when someone handled it first. */
  markLeftMessageHandled: (id: number) => request<LeftMessageView>('POST', `${A}/left-messages/${id}/handled`),
  /** Requests waiting in my manual queues, oldest first. */
  waitingRequests: () => get<WaitingRequestsAnswer>(`${A}/queue`).then((r) => r.requests),
  /** Takes a waiting request: the chat is mine. 409 CONFLICT when someone was first (or I may not take it now), 404 when it is not in my queues. */
  takeRequest: (requestId: number) => request<SessionView>('POST', `${A}/queue/${requestId}/take`),
  /** What is offered to me now, each with its deadline. */
  offers: () => get<OffersAnswer>(`${A}/offers`).then((r): OfferView[] => r.offers),
  /** Accepts an offered chat: the new session. 409 CONFLICT when it is not offered to me any more (ran out, went to someone else) or I have no room. */
  acceptOffer: (requestId: number) => request<SessionView>('POST', `${A}/offers/${requestId}/accept`),
  /** Declines an offered chat (204); an empty reason is sent as none. 409 when it is not offered to me any more. */
  declineOffer: (requestId: number, reason: string) => post<void>(`${A}/offers/${requestId}/decline`, (reason ? { reason } : {}) satisfies DeclineBody),
  /** Hands one of my chats to another agent (online, with room) or to a queue. 409 says why not. */
  transfer: (sessionId: number, body: TransferBody) => post<TransferAnswer>(`${A}/sessions/${sessionId}/transfer`, body),
  /** The other agents of my queues, with status and load: whom I can transfer to. */
  colleagues: () => get<ColleaguesAnswer>(`${A}/colleagues`).then((r): ColleagueView[] => r.colleagues),
  /** The operator's rating scale (what a rating id means); may be empty. */
  ratings: () => get<RatingsAnswer>(`${A}/ratings`).then((r): RatingOption[] => r.ratings),
  search: (q: string, limit = 50, signal?: AbortSignal) =>
    get<SessionSummariesAnswer>(`${A}/search`, { q, limit } satisfies SearchQuery, signal).then((r) => r.sessions),
};
