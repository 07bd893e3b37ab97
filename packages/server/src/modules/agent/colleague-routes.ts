/**
 * Whom an agent can hand a chat to: the other agents of the queues they serve, with their status
 * and load. A transfer still checks everything itself (online, room); this is for choosing.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ColleaguesAnswer, ErrorView, type ColleagueView } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { me, requireAgent } from '../../auth/guard.js';

/** The enabled agents, other than `agentId`, who share at least one queue with them. */
export async function colleaguesOf(db: Db, agentId: string): Promise<ColleagueView[]> {
  const mine = db.selectFrom('agent_queues').select('queue_id').where('agent_id', '=', agentId);
  const shared = await db
    .selectFrom('agent_queues as aq')
    .innerJoin('agents as a', 'a.id', 'aq.agent_id')
    .select(['a.id', 'a.name', 'a.alias', 'a.status', 'a.max_chats', 'aq.queue_id'])
    .where('aq.queue_id', 'in', mine)
    .where('a.id', '!=', agentId)
    .where('a.enabled', '=', 1)
    .orderBy('a.id')
    .orderBy('aq.queue_id')
    .execute();
  const ids = [...new Set(shared.map((r) => r.id))];
  if (ids.length === 0) return [];
  const [open, offers] = await Promise.all([
    db.selectFrom('sessions').select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')]).where('agent_id', 'in', ids).where('status', '=', 'open').groupBy('agent_id').execute(),
    db.selectFrom('offers').select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')]).where('agent_id', 'in', ids).where('status', '=', 'open').groupBy('agent_id').execute(),
  ]);
  const openBy = new Map(open.map((o) => [o.agent_id, Number(o.n)]));
  const offersBy = new Map(offers.map((o) => [o.agent_id, Number(o.n)]));
  const byId = new Map<string, ColleagueView>();
  for (const r of shared) {
    const known = byId.get(r.id);
    if (known) {
      known.queueIds.push(r.queue_id);
      continue;
    }
    byId.set(r.id, {
      id: r.id,
      name: r.name,
      alias: r.alias,
      status: r.status,
      openChats: openBy.get(r.id) ?? 0,
      openOffers: offersBy.get(r.id) ?? 0,
      maxChats: r.max_chats,
      queueIds: [r.queue_id],
    });
  }
  return [...byId.values()];
}

export async function colleagueRoutes(app: FastifyInstance, deps: { db: Db; clock: () => number }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  requireAgent(app, deps);
  const schema = { tags: ['agent'], security: [{ bearer: [] }] };
  api.get(
    '/api/v1/agent/colleagues',
    {
      schema: {
        ...schema,
        summary: 'The other agents of my queues, with status and load: whom I can transfer a chat to',
        response: { 200: ColleaguesAnswer, 401: ErrorView, 403: ErrorView },
      },
    },
    async (request) => ({ colleagues: await colleaguesOf(deps.db, me(request).id) }),
  );
}
