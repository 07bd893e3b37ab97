/** The supervisor's API: the live board, read-only access to any session, and sending a failed reply again. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { ApiError } from '../../errors.js';
import type { AgentService } from '../agent/index.js';
import type { WaitEstimator } from '../chat/index.js';
import { requireAgent } from '../../auth/guard.js';
import { presentSession, presentSessionSummary } from '../agent/index.js';
import { Board, DeliveryView, ErrorView, IntId, SessionParams, SessionSummariesAnswer, SessionView } from '@elitewebchat/protocol';
import { board } from './board.js';
import { redeliverCallback } from '../../delivery/redeliver.js';
import { callbackDelivery } from '../../delivery/marks.js';

/** What the supervisor's redelivery of a failed reply needs (as the admin's callback log has). */
export interface RedeliveryDeps {
  retryWindowMs: number;
  /** A callback was put back in the outbox: wake the worker. */
  redelivered(): void;
}

export async function supervisorRoutes(
  app: FastifyInstance,
  deps: { db: Db; agents: AgentService; clock: () => number; timeZone: string; waitEstimator: WaitEstimator } & RedeliveryDeps,
): Promise<void> {
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

  api.post(
    '/api/v1/supervisor/callbacks/:id/redeliver',
    {
      schema: {
        ...schema,
        params: IntId,
        summary: "Send a failed reply again: its dead callback (a message's delivery.callbackId), with a fresh retry window",
        response: { 200: DeliveryView, ...errors, 409: ErrorView },
      },
    },
    async (request) => {
      const done = await redeliverCallback(deps.db, request.params.id, { now: deps.clock(), windowMs: deps.retryWindowMs, from: ['dead'] });
      if (done.outcome === 'not-found') throw new ApiError('NOT_FOUND', `no callback ${request.params.id}`);
      if (done.outcome === 'refused') throw new ApiError('CONFLICT', `callback ${request.params.id} is ${done.status}, not dead: only a failed one is sent again`);
      deps.redelivered();
      return callbackDelivery(done.callback);
    },
  );
}
