/** Admin: the callback delivery log, each attempt, and sending a callback again by hand. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { CallbackDetail, CallbacksQuery, CallbackView, CallbackViews, IntId } from '@elitewebchat/protocol';
import type { CallbackRow } from '../../db/schema.js';
import { ApiError } from '../../errors.js';
import { redeliverCallback } from '../../delivery/redeliver.js';
import { errors, security, tags, type AdminDeps } from './deps.js';

export async function callbackLogRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;
  api.get('/api/v1/admin/callbacks', { schema: { tags, security, querystring: CallbacksQuery, response: { 200: CallbackViews, ...errors } } }, async (request) => {
    const q = request.query;
    const rows = await db
      .selectFrom('callbacks')
      .selectAll()
      .$if(q.status !== undefined, (b) => b.where('status', '=', q.status!))
      .$if(q.channelId !== undefined, (b) => b.where('channel_id', '=', q.channelId!))
      .$if(q.sessionId !== undefined, (b) => b.where('session_id', '=', q.sessionId!))
      .$if(q.before !== undefined, (b) => b.where('id', '<', q.before!))
      .orderBy('id', 'desc')
      .limit(q.limit ?? 100)
      .execute();
    return { callbacks: rows.map(presentCallback) };
  });

  api.post(
    '/api/v1/admin/callbacks/:id/redeliver',
    { schema: { tags, security, params: IntId, summary: 'Send a dead (or delivered) callback again, with a fresh retry window', response: { 200: CallbackView, ...errors } } },
    async (request) => {
      const done = await redeliverCallback(db, request.params.id, { now: clock(), windowMs: deps.retryWindowMs, from: ['dead', 'delivered'] });
      if (done.outcome === 'not-found') throw new ApiError('NOT_FOUND', `no callback ${request.params.id}`);
      if (done.outcome === 'refused') throw new ApiError('CONFLICT', `callback ${request.params.id} is still being delivered`);
      deps.redelivered();
      return presentCallback(done.callback);
    },
  );

  api.get('/api/v1/admin/callbacks/:id', { schema: { tags, security, params: IntId, response: { 200: CallbackDetail, ...errors } } }, async (request) => {
    const row = await db.selectFrom('callbacks').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw new ApiError('NOT_FOUND', `no callback ${request.params.id}`);
    const attempts = await db.selectFrom('callback_attempts').selectAll().where('callback_id', '=', row.id).orderBy('id').execute();
    return {
      ...presentCallback(row),
      body: row.body,
      attempts: attempts.map((a) => ({ id: a.id, startedAt: a.started_at, durationMs: a.duration_ms, httpStatus: a.http_status, error: a.error, response: a.response })),
    };
  });
}

function presentCallback(row: CallbackRow): CallbackView {
  return {
    id: row.id,
    sessionId: row.session_id,
    channelId: row.channel_id,
    name: row.name,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}
