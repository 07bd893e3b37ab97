/** Admin: canned replies shared by every agent. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { CannedBody, CannedReply, IntId, NoContent } from '@elitewebchat/protocol';
import { ApiError } from '../../errors.js';
import { errors, security, tags, type AdminDeps } from './deps.js';

export async function sharedCannedRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;
  api.post('/api/v1/admin/canned-replies', { schema: { tags, security, body: CannedBody, response: { 201: CannedReply, ...errors } } }, async (request, reply) => {
    const row = await db
      .insertInto('canned_replies')
      .values({ agent_id: null, shortcut: request.body.shortcut, text: request.body.text, created_at: clock() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return reply.code(201).send({ id: row.id, shortcut: row.shortcut, text: row.text, shared: true });
  });

  api.delete('/api/v1/admin/canned-replies/:id', { schema: { tags, security, params: IntId, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    const result = await db.deleteFrom('canned_replies').where('id', '=', request.params.id).where('agent_id', 'is', null).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new ApiError('NOT_FOUND', `no shared canned reply ${request.params.id}`);
    return reply.code(204).send(null);
  });
}
