/** The supervisor API: /api/v1/supervisor/* (roles supervisor and admin). */
import { get } from './http';
import type { Board, Session, SessionSummary } from './types';

const S = '/api/v1/supervisor';

export const supervisorApi = {
  board: () => get<Board>(`${S}/board`),
  openSessions: () => get<{ sessions: SessionSummary[] }>(`${S}/sessions`).then((r) => r.sessions),
  session: (id: number) => get<Session>(`${S}/sessions/${id}`),
};
