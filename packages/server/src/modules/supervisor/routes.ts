/** The supervisor's API: the live board and read-only access to any session. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { ApiError } from '../../errors.js';
import type { AgentService } from '../agent/index.js';
import type { WaitEstimator } from '../chat/index.js';
import { requireAgent } from '../../auth/guard.js';
import { presentSession, presentSessionSummary } from '../agent/index.js';
import { Board, ErrorView, SessionParams, SessionSummariesAnswer, SessionView } from '@elitewebchat/protocol';
import { board } from './board.js';

export async function supervisorRoutes(app: FastifyInstance, deps: { db: Db; agents: AgentService; clock: () => number; timeZone: string; waitEstimator: WaitEstimator }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  requireAgent(app, deps, ['supervisor', 'admin']);
  const schema = { tags: ['supervisor'], security: [{ bearer: [] }] };
  const errors = { 401: ErrorView, 403: ErrorView, 404: ErrorView };

  api.get('/api/v1/supervisor/board', { schema: { ...schema, summary: 'Queues, agents and today at a glance', response: { 200: Board, ...errors } } }, async () =>
    board(deps.db, deps.clock(), deps.timeZone, (queueId, place) => deps.waitEstimator.estimate(queueId, place)),
  );

  api.get('/api/v1/supervisor/sessions', { schema: { ...schema, summary: 'Every open session (without messages)', response: { 200: SessionSummariesAnswer, ...errors } } }, async () => {
    const rows = await deps.db.selectFrom('sessions').selectAll().where('status', '=', 'open').orderBy('id').execute();
    return { sessions: rows.map(presentSessionSummary) };
  });

  api.get('/api/v1/supervisor/sessions/:id', { schema: { ...schema, params: SessionParams, summary: 'Any session with its messages', response: { 200: SessionView, ...errors } } }, async (request) => {
    const row = await deps.db.selectFrom('sessions').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw new ApiError('NOT_FOUND', `no session ${request.params.id}`);
    const messages = await deps.agents.messagesOf([row.id]);
    return presentSession(row, messages.get(row.id) ?? []);
  });
}
