/** The supervisor API: /api/v1/supervisor/* (roles supervisor and admin). Its shapes are the protocol's. */
import type { Board, DeliveryView, SessionSummariesAnswer, SessionView } from '@elitewebchat/protocol/browser';
import { get, post } from './http';

const S = '/api/v1/supervisor';

export const supervisorApi = {
  board: () => get<Board>(`${S}/board`),
  openSessions: () => get<SessionSummariesAnswer>(`${S}/sessions`).then((r) => r.sessions),
  session: (id: number) => get<SessionView>(`${S}/sessions/${id}`),
  /** Sends a failed reply again (its callback, `delivery.callbackId`): answers its new mark. */
  redeliver: (callbackId: number) => post<DeliveryView>(`${S}/callbacks/${callbackId}/redeliver`),
};
