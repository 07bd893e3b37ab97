/**
 * The admin API: queues, agents, channels, shared canned replies and the callback delivery
 * log. Changes take effect at once: channels are reloaded, routing and sweeping run again.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { ApiError } from '../../errors.js';
import { requireAgent } from '../../auth/guard.js';
import { hashPassword } from '../../auth/passwords.js';
import { isUniqueViolation } from '../../common/store-errors.js';
import {
  agentViews,
  presentChannel,
  queueViews,
  setAgentQueues,
  setQueueAgents,
  upsertAgent,
  upsertChannel,
  upsertQueue,
} from '../directory/repo.js';
import {
  AgentCreate,
  AgentUpdate,
  CallbacksQuery,
  CannedBody,
  ChannelCreate,
  ChannelUpdate,
  IntId,
  PasswordBody,
  QueueCreate,
  QueueUpdate,
  StringId,
} from '@elitewebchat/protocol';
import { checkChannelSecurity, checkQueue, checkUrls } from './validate.js';

export interface AdminDeps {
  db: Db;
  clock: () => number;
  /** Called after any change to who serves what, or where callbacks go. */
  changed(what: 'queues' | 'agents' | 'channels'): Promise<void>;
  /** Called after every token of an agent was revoked. */
  revoked(agentId: string): void;
  retryWindowMs: number;
  /** A callback was put back in the outbox by hand. */
  redelivered(): void;
}

const tags = ['admin'];
const security = [{ bearer: [] }];

export async function adminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  requireAgent(app, deps, ['admin']);
  const { db, clock } = deps;

  const conflict = (error: unknown, what: string): never => {
    if (isUniqueViolation(error)) throw new ApiError('CONFLICT', `${what} already exists`);
    throw error;
  };
  const existingAgents = async (ids: string[] | undefined) => {
    if (!ids || ids.length === 0) return;
    const found = await db.selectFrom('agents').select('id').where('id', 'in', ids).execute();
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new ApiError('BAD_REQUEST', `no agent ${missing.join(', ')}`);
  };
  const existingQueues = async (ids: number[] | undefined) => {
    if (!ids || ids.length === 0) return;
    const found = await db.selectFrom('queues').select('id').where('id', 'in', ids).execute();
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new ApiError('BAD_REQUEST', `no queue ${missing.join(', ')}`);
  };

  // ---- queues ----
  api.get('/api/v1/admin/queues', { schema: { tags, security } }, async () => ({ queues: await queueViews(db) }));

  api.post('/api/v1/admin/queues', { schema: { tags, security, body: QueueCreate } }, async (request, reply) => {
    const { id, agentIds, ...fields } = request.body;
    checkQueue(fields);
    await existingAgents(agentIds);
    if (await db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst()) throw new ApiError('CONFLICT', `queue ${id} already exists`);
    await db.transaction().execute(async (trx) => {
      await upsertQueue(trx, id, fields, clock());
      if (agentIds) await setQueueAgents(trx, id, agentIds);
    });
    await deps.changed('queues');
    return reply.code(201).send((await queueViews(db, [id]))[0]);
  });

  api.put('/api/v1/admin/queues/:id', { schema: { tags, security, params: IntId, body: QueueUpdate } }, async (request) => {
    const { id } = request.params;
    const { agentIds, ...fields } = request.body;
    if (!(await db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst())) throw new ApiError('NOT_FOUND', `no queue ${id}`);
    checkQueue(fields);
    await existingAgents(agentIds);
    await db.transaction().execute(async (trx) => {
      await upsertQueue(trx, id, fields, clock());
      if (agentIds) await setQueueAgents(trx, id, agentIds);
    });
    await deps.changed('queues');
    return (await queueViews(db, [id]))[0];
  });

  // ---- agents ----
  api.get('/api/v1/admin/agents', { schema: { tags, security } }, async () => ({ agents: await agentViews(db) }));

  api.post('/api/v1/admin/agents', { schema: { tags, security, body: AgentCreate } }, async (request, reply) => {
    const { id, password, queueIds, ...fields } = request.body;
    checkUrls([fields.icon || undefined]);
    await existingQueues(queueIds);
    if (await db.selectFrom('agents').select('id').where('id', '=', id).executeTakeFirst()) throw new ApiError('CONFLICT', `agent ${id} already exists`);
    const hash = await hashPassword(password);
    await db
      .transaction()
      .execute(async (trx) => {
        await upsertAgent(trx, id, fields, hash, clock());
        await setAgentQueues(trx, id, queueIds ?? []);
      })
      .catch((e: unknown) => conflict(e, `username ${fields.username}`));
    await deps.changed('agents');
    return reply.code(201).send((await agentViews(db, [id]))[0]);
  });

  api.put('/api/v1/admin/agents/:id', { schema: { tags, security, params: StringId, body: AgentUpdate } }, async (request) => {
    const { id } = request.params;
    const { queueIds, ...fields } = request.body;
    if (!(await db.selectFrom('agents').select('id').where('id', '=', id).executeTakeFirst())) throw new ApiError('NOT_FOUND', `no agent ${id}`);
    checkUrls([fields.icon || undefined]);
    await existingQueues(queueIds);
    await db
      .transaction()
      .execute(async (trx) => {
        await upsertAgent(trx, id, fields, undefined, clock());
        if (queueIds) await setAgentQueues(trx, id, queueIds);
        // A disabled agent takes no more chats and keeps no session alive on their tokens.
        if (fields.enabled === false) {
          await trx.updateTable('agents').set({ status: 'offline' }).where('id', '=', id).execute();
          await trx.updateTable('agent_tokens').set({ revoked_at: clock() }).where('agent_id', '=', id).where('revoked_at', 'is', null).execute();
        }
      })
      .catch((e: unknown) => conflict(e, `username ${fields.username}`));
    if (fields.enabled === false) deps.revoked(id);
    await deps.changed('agents');
    return (await agentViews(db, [id]))[0];
  });

  api.post('/api/v1/admin/agents/:id/password', { schema: { tags, security, params: StringId, body: PasswordBody } }, async (request, reply) => {
    const hash = await hashPassword(request.body.password);
    const result = await db.updateTable('agents').set({ password_hash: hash, updated_at: clock() }).where('id', '=', request.params.id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new ApiError('NOT_FOUND', `no agent ${request.params.id}`);
    // A reset password ends every session that the old one opened.
    await db.updateTable('agent_tokens').set({ revoked_at: clock() }).where('agent_id', '=', request.params.id).where('revoked_at', 'is', null).execute();
    deps.revoked(request.params.id);
    return reply.code(204).send(null);
  });

  // ---- channels ----
  api.get('/api/v1/admin/channels', { schema: { tags, security } }, async () => ({
    channels: (await db.selectFrom('channels').selectAll().orderBy('id').execute()).map(presentChannel),
  }));

  api.post('/api/v1/admin/channels', { schema: { tags, security, body: ChannelCreate } }, async (request, reply) => {
    const { id, ...fields } = request.body;
    checkUrls([fields.callbackBase, ...(fields.allowServerAddr ?? [])]);
    checkChannelSecurity(fields);
    if (await db.selectFrom('channels').select('id').where('id', '=', id).executeTakeFirst()) throw new ApiError('CONFLICT', `channel ${id} already exists`);
    await upsertChannel(db, id, { ...fields, key: fields.key ?? null, callbackBase: fields.callbackBase ?? null, allowServerAddr: fields.allowServerAddr ?? [] }, clock()).catch(
      (e: unknown) => conflict(e, 'a channel with this key'),
    );
    await deps.changed('channels');
    return reply.code(201).send(presentChannel(await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
  });

  api.put('/api/v1/admin/channels/:id', { schema: { tags, security, params: StringId, body: ChannelUpdate } }, async (request) => {
    const { id } = request.params;
    if (!(await db.selectFrom('channels').select('id').where('id', '=', id).executeTakeFirst())) throw new ApiError('NOT_FOUND', `no channel ${id}`);
    checkUrls([request.body.callbackBase, ...(request.body.allowServerAddr ?? [])]);
    checkChannelSecurity(request.body);
    await upsertChannel(db, id, request.body, clock()).catch((e: unknown) => conflict(e, 'a channel with this key'));
    await deps.changed('channels');
    return presentChannel(await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  });

  // ---- shared canned replies ----
  api.post('/api/v1/admin/canned-replies', { schema: { tags, security, body: CannedBody } }, async (request, reply) => {
    const row = await db
      .insertInto('canned_replies')
      .values({ agent_id: null, shortcut: request.body.shortcut, text: request.body.text, created_at: clock() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return reply.code(201).send({ id: row.id, shortcut: row.shortcut, text: row.text, shared: true });
  });

  api.delete('/api/v1/admin/canned-replies/:id', { schema: { tags, security, params: IntId } }, async (request, reply) => {
    const result = await db.deleteFrom('canned_replies').where('id', '=', request.params.id).where('agent_id', 'is', null).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new ApiError('NOT_FOUND', `no shared canned reply ${request.params.id}`);
    return reply.code(204).send(null);
  });

  // ---- callback delivery log ----
  api.get('/api/v1/admin/callbacks', { schema: { tags, security, querystring: CallbacksQuery } }, async (request) => {
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
    { schema: { tags, security, params: IntId, summary: 'Send a dead (or delivered) callback again, with a fresh retry window' } },
    async (request) => {
      const row = await db.selectFrom('callbacks').selectAll().where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw new ApiError('NOT_FOUND', `no callback ${request.params.id}`);
      if (row.status === 'pending') throw new ApiError('CONFLICT', `callback ${row.id} is still being delivered`);
      const now = clock();
      await db
        .updateTable('callbacks')
        .set({ status: 'pending', next_attempt_at: now, retry_until: now + deps.retryWindowMs, delivered_at: null })
        .where('id', '=', row.id)
        .execute();
      deps.redelivered();
      return presentCallback({ ...row, status: 'pending', next_attempt_at: now, delivered_at: null });
    },
  );

  api.get('/api/v1/admin/callbacks/:id', { schema: { tags, security, params: IntId } }, async (request) => {
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

function presentCallback(row: { id: number; session_id: number; channel_id: string; name: string; url: string; status: string; attempts: number; next_attempt_at: number; last_error: string | null; created_at: number; delivered_at: number | null }) {
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
