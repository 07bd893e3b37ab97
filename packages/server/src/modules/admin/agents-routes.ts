/** Admin: agents, their queues and passwords; disabling one ends their sessions. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AdminAgent, AdminAgents, AgentCreate, AgentUpdate, NoContent, PasswordBody, StringId } from '@elitewebchat/protocol';
import { hashPassword } from '../../auth/passwords.js';
import { ApiError } from '../../errors.js';
import { agentViews, setAgentQueues, upsertAgent } from '../directory/index.js';
import { conflict, existingQueues } from './deps.js';
import { checkUrls } from './validate.js';
import { errors, security, tags, type AdminDeps } from './deps.js';

export async function agentRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;
  api.get('/api/v1/admin/agents', { schema: { tags, security, response: { 200: AdminAgents, ...errors } } }, async () => ({ agents: await agentViews(db) }));

  api.post('/api/v1/admin/agents', { schema: { tags, security, body: AgentCreate, response: { 201: AdminAgent, ...errors } } }, async (request, reply) => {
    const { id, password, queueIds, ...fields } = request.body;
    checkUrls([fields.icon || undefined]);
    await existingQueues(db, queueIds);
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
    return reply.code(201).send((await agentViews(db, [id]))[0]!);
  });

  api.put('/api/v1/admin/agents/:id', { schema: { tags, security, params: StringId, body: AgentUpdate, response: { 200: AdminAgent, ...errors } } }, async (request) => {
    const { id } = request.params;
    const { queueIds, ...fields } = request.body;
    if (!(await db.selectFrom('agents').select('id').where('id', '=', id).executeTakeFirst())) throw new ApiError('NOT_FOUND', `no agent ${id}`);
    checkUrls([fields.icon || undefined]);
    await existingQueues(db, queueIds);
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
    return (await agentViews(db, [id]))[0]!;
  });

  api.post('/api/v1/admin/agents/:id/password', { schema: { tags, security, params: StringId, body: PasswordBody, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    const hash = await hashPassword(request.body.password);
    const result = await db.updateTable('agents').set({ password_hash: hash, updated_at: clock() }).where('id', '=', request.params.id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new ApiError('NOT_FOUND', `no agent ${request.params.id}`);
    // A reset password ends every session that the old one opened.
    await db.updateTable('agent_tokens').set({ revoked_at: clock() }).where('agent_id', '=', request.params.id).where('revoked_at', 'is', null).execute();
    deps.revoked(request.params.id);
    return reply.code(204).send(null);
  });
}
