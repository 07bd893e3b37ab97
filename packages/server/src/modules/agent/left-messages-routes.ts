/**
 * Messages customers left on the web chat when nobody could answer (outside hours, or no
 * agents): each agent sees those of their queues and marks one handled when they have
 * contacted the customer. And the rating scale, so the console shows a rating's label.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorView, IntId, LeftMessagesAnswer, LeftMessagesQuery, LeftMessageView, RatingsAnswer, type VisitorInfo } from '@elitewebchat/protocol';
import type { EventBus } from '../../cluster/event-bus.js';
import type { Db } from '../../db/database.js';
import type { LeftMessageRow } from '../../db/schema.js';
import { ApiError } from '../../errors.js';
import { me, requireAgent } from '../../auth/guard.js';
import { ratingScale } from '../directory/index.js';

export function presentLeftMessage(row: LeftMessageRow): LeftMessageView {
  return {
    id: row.id,
    channelId: row.channel_id,
    queueId: row.queue_id,
    name: row.name,
    contact: row.contact,
    text: row.text,
    info: JSON.parse(row.info) as VisitorInfo,
    createdAt: row.created_at,
    handledAt: row.handled_at,
    handledBy: row.handled_by,
  };
}

export async function leftMessagesRoutes(app: FastifyInstance, deps: { db: Db; events: EventBus; clock: () => number }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  requireAgent(app, deps);
  const { db } = deps;
  const schema = { tags: ['agent'], security: [{ bearer: [] }] };
  const errors = { 401: ErrorView, 403: ErrorView, 404: ErrorView, 409: ErrorView };
  const myQueues = (agentId: string) => db.selectFrom('agent_queues').select('queue_id').where('agent_id', '=', agentId);

  api.get(
    '/api/v1/agent/left-messages',
    { schema: { ...schema, summary: 'Messages left in my queues, newest first', querystring: LeftMessagesQuery, response: { 200: LeftMessagesAnswer, ...errors } } },
    async (request) => {
      const { status = 'open', limit = 100 } = request.query;
      const rows = await db
        .selectFrom('left_messages')
        .selectAll()
        .where('queue_id', 'in', myQueues(me(request).id))
        .where('handled_at', status === 'open' ? 'is' : 'is not', null)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return { leftMessages: rows.map(presentLeftMessage) };
    },
  );

  api.post(
    '/api/v1/agent/left-messages/:id/handled',
    { schema: { ...schema, summary: 'Mark a left message handled (once: a second answers 409)', params: IntId, response: { 200: LeftMessageView, ...errors } } },
    async (request) => {
      const agent = me(request);
      const row = await db.selectFrom('left_messages').selectAll().where('id', '=', request.params.id).where('queue_id', 'in', myQueues(agent.id)).executeTakeFirst();
      if (!row) throw new ApiError('NOT_FOUND', `no left message ${request.params.id} in your queues`);
      const updated = await db
        .updateTable('left_messages')
        .set({ handled_at: deps.clock(), handled_by: agent.id })
        .where('id', '=', row.id)
        .where('handled_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!updated) {
        const by = (await db.selectFrom('left_messages').select('handled_by').where('id', '=', row.id).executeTakeFirst())?.handled_by;
        throw new ApiError('CONFLICT', `left message ${row.id} was already handled by ${by}`);
      }
      deps.events.emit({ type: 'left-messages', queueId: row.queue_id });
      return presentLeftMessage(updated);
    },
  );

  api.get(
    '/api/v1/agent/ratings',
    { schema: { ...schema, summary: "The operator's rating scale (what a ratingId means); empty: none configured", response: { 200: RatingsAnswer, ...errors } } },
    async () => ({ ratings: await ratingScale(db) }),
  );
}
