/** The supervisor API: /api/v1/supervisor/* (roles supervisor and admin). Its shapes are the protocol's. */
import type { AssignBody, Board, DeliveryView, MoveBody, SessionSummariesAnswer, SessionView, TransferAnswer, WaitingRequestsAnswer, WaitingRequestView } from '@elitewebchat/protocol/browser';
import { get, post } from './http';

const S = '/api/v1/supervisor';

export const supervisorApi = {
  board: () => get<Board>(`${S}/board`),
  openSessions: () => get<SessionSummariesAnswer>(`${S}/sessions`).then((r) => r.sessions),
  session: (id: number) => get<SessionView>(`${S}/sessions/${id}`),
  /** Every waiting request, oldest first, with its place in its queue. */
  waitingRequests: () => get<WaitingRequestsAnswer>(`${S}/requests`).then((r): WaitingRequestView[] => r.requests),
  /** Gives a waiting request to an agent (online, with room: else 409 saying which). */
  assign: (requestId: number, agentId: string) => post<TransferAnswer>(`${S}/requests/${requestId}/assign`, { agentId } satisfies AssignBody),
  /** Moves an open chat to another agent (online, with room), with a note. */
  move: (sessionId: number, toAgentId: string, note: string) => post<TransferAnswer>(`${S}/sessions/${sessionId}/move`, { toAgentId, ...(note ? { note } : {}) } satisfies MoveBody),
  /** Sends a failed reply again (its callback, `delivery.callbackId`): answers its new mark. */
  redeliver: (callbackId: number) => post<DeliveryView>(`${S}/callbacks/${callbackId}/redeliver`),
};
