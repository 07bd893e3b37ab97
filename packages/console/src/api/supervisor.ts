/** The supervisor API: /api/v1/supervisor/* (roles supervisor and admin). Its shapes are the protocol's. */
import type { Board, SessionSummariesAnswer, SessionView } from '@elitewebchat/protocol/browser';
import { get } from './http';

const S = '/api/v1/supervisor';

export const supervisorApi = {
  board: () => get<Board>(`${S}/board`),
  openSessions: () => get<SessionSummariesAnswer>(`${S}/sessions`).then((r) => r.sessions),
  session: (id: number) => get<SessionView>(`${S}/sessions/${id}`),
};
