/** What an agent's workspace needs besides chats: queue counts, canned replies, search. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql, type RawBuilder } from 'kysely';
import { RequestStatus } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { ApiError } from '../../errors.js';
import { CannedBody, CannedRepliesAnswer, CannedReply, ErrorView, IntId, NoContent, QueuesAnswer, SearchQuery, SessionSummariesAnswer } from '@elitewebchat/protocol';
import { me, requireAgent } from '../../auth/guard.js';
import { presentSessionSummary } from './presenter.js';

/** Waiting counts of the queues an agent serves. */
export async function agentQueues(db: Db, agentId: string): Promise<{ id: number; name: string; waiting: number }[]> {
  const rows = await db
    .selectFrom('agent_queues')
    .innerJoin('queues', 'queues.id', 'agent_queues.queue_id')
    .leftJoin('chat_requests', (j) => j.onRef('chat_requests.queue_id', '=', 'queues.id').on('chat_requests.status', '=', RequestStatus.WAITING))
    .select(['queues.id', 'queues.name', (eb) => eb.fn.count<number>('chat_requests.id').as('waiting')])
    .where('agent_queues.agent_id', '=', agentId)
    .groupBy(['queues.id', 'queues.name'])
    .orderBy('queues.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, waiting: Number(r.waiting) }));
}

/** A LIKE pattern that matches `text` literally anywhere, case-insensitively. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Both stores read the escape character only when told, so it is always told. */
function like(column: RawBuilder<unknown>, pattern: string) {
  return sql<boolean>`lower(${column}) like ${pattern} escape '\\'`;
}

export async function workspaceRoutes(app: FastifyInstance, deps: { db: Db; clock: () => number }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  requireAgent(app, deps);
  const { db } = deps;
  const schema = { tags: ['agent'], security: [{ bearer: [] }] };
  const errors = { 400: ErrorView, 401: ErrorView, 403: ErrorView, 404: ErrorView };

  api.get('/api/v1/agent/queues', { schema: { ...schema, summary: 'The queues I serve, with how many wait in each', response: { 200: QueuesAnswer, ...errors } } }, async (request) => ({
    queues: await agentQueues(db, me(request).id),
  }));

  api.get('/api/v1/agent/canned-replies', { schema: { ...schema, summary: 'My canned replies and the shared ones', response: { 200: CannedRepliesAnswer, ...errors } } }, async (request) => {
    const rows = await db
      .selectFrom('canned_replies')
      .selectAll()
      .where((eb) => eb.or([eb('agent_id', '=', me(request).id), eb('agent_id', 'is', null)]))
      .orderBy('shortcut')
      .execute();
    return { replies: rows.map((r) => ({ id: r.id, shortcut: r.shortcut, text: r.text, shared: r.agent_id === null })) };
  });

  api.post('/api/v1/agent/canned-replies', { schema: { ...schema, summary: 'Add a canned reply of my own', body: CannedBody, response: { 201: CannedReply, ...errors } } }, async (request, reply) => {
    const row = await db
      .insertInto('canned_replies')
      .values({ agent_id: me(request).id, shortcut: request.body.shortcut, text: request.body.text, created_at: deps.clock() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return reply.code(201).send({ id: row.id, shortcut: row.shortcut, text: row.text, shared: false });
  });

  api.delete('/api/v1/agent/canned-replies/:id', { schema: { ...schema, summary: 'Delete a canned reply of my own', params: IntId, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
    const result = await db.deleteFrom('canned_replies').where('id', '=', request.params.id).where('agent_id', '=', me(request).id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new ApiError('NOT_FOUND', `no canned reply ${request.params.id} of yours`);
    return reply.code(204).send(null);
  });

  api.get(
    '/api/v1/agent/search',
    {
      schema: {
        ...schema,
        summary: 'Past and open chats by customer id, nickname or message text (supervisors and admins: everyone\'s)',
        querystring: SearchQuery,
        response: { 200: SessionSummariesAnswer, ...errors },
      },
    },
    async (request) => {
      const agent = me(request);
      const pattern = containsPattern(request.query.q);
      const rows = await db
        .selectFrom('sessions as s')
        .selectAll('s')
        .$if(agent.role === 'agent', (q) => q.where('s.agent_id', '=', agent.id))
        .where((eb) =>
          eb.or([
            like(sql.ref('s.client_id'), pattern),
            like(sql.ref('s.nickname'), pattern),
            eb.exists(
              eb
                .selectFrom('messages as m')
                .select('m.id')
                .whereRef('m.session_id', '=', 's.id')
                .where(like(sql.ref('m.text'), pattern)),
            ),
          ]),
        )
        .orderBy('s.id', 'desc')
        .limit(request.query.limit ?? 50)
        .execute();
      return { sessions: rows.map(presentSessionSummary) };
    },
  );
}
