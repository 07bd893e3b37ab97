/**
 * Manual queues: their agents see the waiting requests and take one by hand. Two agents taking
 * the same request at once: the accept is one transaction that moves the request out of
 * WAITING only if it still is, so exactly one gets it and the other a 409 that says so.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorView, RequestParams, RequestStatus, SessionView, WaitingRequestsAnswer } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { ApiError } from '../../errors.js';
import { me, requireAgent } from '../../auth/guard.js';
import type { Router } from '../chat/index.js';
import type { AgentService } from './agent-service.js';
import { presentSession } from './presenter.js';
import { waitingRequests } from './waiting-requests.js';

export async function queueRoutes(app: FastifyInstance, deps: { db: Db; clock: () => number; router: Router; agents: AgentService }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  requireAgent(app, deps);
  const { db } = deps;
  const schema = { tags: ['agent'], security: [{ bearer: [] }] };
  const errors = { 401: ErrorView, 403: ErrorView, 404: ErrorView, 409: ErrorView };
  const myManualQueues = (agentId: string) =>
    db.selectFrom('agent_queues').innerJoin('queues', 'queues.id', 'agent_queues.queue_id').select('queues.id').where('agent_queues.agent_id', '=', agentId).where('queues.assignment', '=', 'manual');

  api.get(
    '/api/v1/agent/queue',
    { schema: { ...schema, summary: 'The requests waiting in my manual queues, oldest first', response: { 200: WaitingRequestsAnswer, ...errors } } },
    async (request) => ({ requests: await waitingRequests(db, myManualQueues(me(request).id)) }),
  );

  api.post(
    '/api/v1/agent/queue/:requestId/take',
    { schema: { ...schema, summary: 'Take a waiting request of a manual queue of mine: the new session, or 409 when someone else has it', params: RequestParams, response: { 200: SessionView, ...errors } } },
    async (request) => {
      const agent = me(request);
      const { requestId } = request.params;
      const row = await db
        .selectFrom('chat_requests')
        .innerJoin('queues', 'queues.id', 'chat_requests.queue_id')
        .select(['chat_requests.id', 'chat_requests.status', 'chat_requests.queue_id', 'queues.assignment'])
        .where('chat_requests.id', '=', requestId)
        .executeTakeFirst();
      const member = row && (await db.selectFrom('agent_queues').select('queue_id').where('agent_id', '=', agent.id).where('queue_id', '=', row.queue_id).executeTakeFirst());
      if (!row || !member) throw new ApiError('NOT_FOUND', `no request ${requestId} in your queues`);
      if (row.assignment !== 'manual') throw new ApiError('CONFLICT', `queue ${row.queue_id} routes its requests itself (assignment: auto)`);
      if (agent.status !== 'online') throw new ApiError('CONFLICT', 'go online to take chats');
      if (!(await deps.router.accept(requestId, agent.id)).accepted) {
        const now = await db.selectFrom('chat_requests').select(['status', 'session_id']).where('id', '=', requestId).executeTakeFirstOrThrow();
        if (now.status !== RequestStatus.WAITING) {
          const by = now.session_id === null ? undefined : await db.selectFrom('sessions').select('agent_id').where('id', '=', now.session_id).executeTakeFirst();
          throw new ApiError('CONFLICT', by ? `request ${requestId} was taken by ${by.agent_id} first` : `request ${requestId} is no longer waiting`);
        }
        throw new ApiError('CONFLICT', 'you have no room for another chat (maxChats), or went offline');
      }
      const taken = await db.selectFrom('chat_requests').select('session_id').where('id', '=', requestId).executeTakeFirstOrThrow();
      const session = await deps.agents.session(agent.id, taken.session_id!);
      const messages = await deps.agents.messagesOf([session.id]);
      return presentSession(session, messages.get(session.id) ?? []);
    },
  );
}
