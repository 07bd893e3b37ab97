/** Admin: queues, with their agents. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AdminQueue, AdminQueues, IntId, QueueCreate, QueueUpdate } from '@elitewebchat/protocol';
import { ApiError } from '../../errors.js';
import { queueViews, setQueueAgents, upsertQueue } from '../directory/index.js';
import { existingAgents } from './deps.js';
import { checkQueue } from './validate.js';
import { errors, security, tags, type AdminDeps } from './deps.js';

export async function queueRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;
  api.get('/api/v1/admin/queues', { schema: { tags, security, response: { 200: AdminQueues, ...errors } } }, async () => ({ queues: await queueViews(db) }));

  api.post('/api/v1/admin/queues', { schema: { tags, security, body: QueueCreate, response: { 201: AdminQueue, ...errors } } }, async (request, reply) => {
    const { id, agentIds, ...fields } = request.body;
    checkQueue(fields);
    await existingAgents(db, agentIds);
    if (await db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst()) throw new ApiError('CONFLICT', `queue ${id} already exists`);
    await db.transaction().execute(async (trx) => {
      await upsertQueue(trx, id, fields, clock());
      if (agentIds) await setQueueAgents(trx, id, agentIds);
    });
    await deps.changed('queues');
    return reply.code(201).send((await queueViews(db, [id]))[0]!);
  });

  api.put('/api/v1/admin/queues/:id', { schema: { tags, security, params: IntId, body: QueueUpdate, response: { 200: AdminQueue, ...errors } } }, async (request) => {
    const { id } = request.params;
    const { agentIds, ...fields } = request.body;
    if (!(await db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst())) throw new ApiError('NOT_FOUND', `no queue ${id}`);
    checkQueue(fields);
    await existingAgents(db, agentIds);
    await db.transaction().execute(async (trx) => {
      await upsertQueue(trx, id, fields, clock());
      if (agentIds) await setQueueAgents(trx, id, agentIds);
    });
    await deps.changed('queues');
    return (await queueViews(db, [id]))[0]!;
  });
}
