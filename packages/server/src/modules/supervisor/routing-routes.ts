/**
 * The supervisor's hand in routing: every waiting request, giving one to a chosen agent (online
 * with room: else 409), and moving an open chat from one agent to another.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AssignBody, ErrorView, MoveBody, RequestParams, SessionParams, TransferAnswer, WaitingRequestsAnswer } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { ApiError } from '../../errors.js';
import { me, requireAgent } from '../../auth/guard.js';
import type { Router, TransferService } from '../chat/index.js';
import { notAcceptedMessage, waitingRequests } from '../agent/index.js';

export async function supervisorRoutingRoutes(
  app: FastifyInstance,
  deps: { db: Db; clock: () => number; router: Router; transfers: TransferService },
): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  requireAgent(app, deps, ['supervisor', 'admin']);
  const schema = { tags: ['supervisor'], security: [{ bearer: [] }] };
  const errors = { 400: ErrorView, 401: ErrorView, 403: ErrorView, 404: ErrorView, 409: ErrorView };

  api.get(
    '/api/v1/supervisor/requests',
    { schema: { ...schema, summary: 'Every waiting request, oldest first, with its place in its queue', response: { 200: WaitingRequestsAnswer, ...errors } } },
    async () => ({ requests: await waitingRequests(deps.db) }),
  );

  api.post(
    '/api/v1/supervisor/requests/:requestId/assign',
    { schema: { ...schema, summary: 'Give a waiting request to a chosen agent (online, with room), whatever its queue routes by', params: RequestParams, body: AssignBody, response: { 200: TransferAnswer, ...errors } } },
    async (request) => {
      const { requestId } = request.params;
      const { agentId } = request.body;
      const [waiting, agent] = await Promise.all([
        deps.db.selectFrom('chat_requests').select(['id', 'queue_id']).where('id', '=', requestId).executeTakeFirst(),
        deps.db.selectFrom('agents').select(['id', 'bridge_id']).where('id', '=', agentId).where('enabled', '=', 1).executeTakeFirst(),
      ]);
      if (!waiting) throw new ApiError('NOT_FOUND', `no request ${requestId}`);
      if (!agent) throw new ApiError('NOT_FOUND', `no agent ${agentId}`);
      const outcome = await deps.router.accept(requestId, agentId);
      if (!outcome.accepted) throw new ApiError('CONFLICT', notAcceptedMessage(requestId, outcome.why, agentId));
      request.log.info({ supervisor: me(request).id, requestId, agentId }, 'request assigned by a supervisor');
      return { sessionId: outcome.sessionId, status: 'open' as const, agentId, queueId: waiting.queue_id };
    },
  );

  api.post(
    '/api/v1/supervisor/sessions/:id/move',
    { schema: { ...schema, summary: "Move an open chat to another agent (online, with room), with a note", params: SessionParams, body: MoveBody, response: { 200: TransferAnswer, ...errors } } },
    async (request) =>
      deps.transfers.transfer({ sessionId: request.params.id, toAgentId: request.body.toAgentId, note: request.body.note ?? '', by: me(request).id }),
  );
}
