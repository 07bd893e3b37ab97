/**
 * Offers and transfers, the agent's side: what is offered to me (with deadlines), accept
 * (answers the new session) or decline with a reason; and handing one of my chats to another
 * agent or a queue. Answering what is not offered to me, or no longer, is a 409 that says why.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { DeclineBody, ErrorView, NoContent, OffersAnswer, RequestParams, SessionParams, SessionView, TransferAnswer, TransferBody } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { ApiError } from '../../errors.js';
import { me, requireAgent } from '../../auth/guard.js';
import type { NotAcceptedReason, Router, TransferService } from '../chat/index.js';
import type { AgentService } from './agent-service.js';
import { openOffers } from './offer-views.js';
import { presentSession } from './presenter.js';

/** Why an accept (of an offer, a take, an assignment) did not happen, in words. */
export function notAcceptedMessage(requestId: number, why: NotAcceptedReason, agentId?: string): string {
  switch (why) {
    case 'not-offered':
      return `request ${requestId} is not offered to ${agentId ?? 'you'} (any more): its offer ran out, was withdrawn or went to someone else`;
    case 'no-room':
      return `${agentId ?? 'you'} ha${agentId ? 's' : 've'} no room for another chat (maxChats)`;
    case 'agent-unavailable':
      return `${agentId ?? 'you'} must be online to take chats`;
    case 'gone':
      return `request ${requestId} is no longer waiting`;
  }
}

export async function offerRoutes(
  app: FastifyInstance,
  deps: { db: Db; clock: () => number; router: Router; agents: AgentService; transfers: TransferService },
): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  requireAgent(app, deps);
  const schema = { tags: ['agent'], security: [{ bearer: [] }] };
  const errors = { 400: ErrorView, 401: ErrorView, 403: ErrorView, 404: ErrorView, 409: ErrorView };

  api.get(
    '/api/v1/agent/offers',
    { schema: { ...schema, summary: 'What is offered to me now, each with its deadline', response: { 200: OffersAnswer, ...errors } } },
    async (request) => ({ offers: await openOffers(deps.db, me(request).id) }),
  );

  api.post(
    '/api/v1/agent/offers/:requestId/accept',
    { schema: { ...schema, summary: 'Accept a chat offered to me: the new session', params: RequestParams, response: { 200: SessionView, ...errors } } },
    async (request) => {
      const agent = me(request);
      const outcome = await deps.router.accept(request.params.requestId, agent.id, { viaOffer: true });
      if (!outcome.accepted) throw new ApiError('CONFLICT', notAcceptedMessage(request.params.requestId, outcome.why));
      const session = await deps.agents.session(agent.id, outcome.sessionId);
      const messages = await deps.agents.messagesOf([session.id]);
      return presentSession(session, messages.get(session.id) ?? []);
    },
  );

  api.post(
    '/api/v1/agent/offers/:requestId/decline',
    { schema: { ...schema, summary: 'Decline a chat offered to me; it passes to the next agent and never comes back to me', params: RequestParams, body: DeclineBody, response: { 204: NoContent, ...errors } } },
    async (request, reply) => {
      const declined = await deps.router.offers.refuse(request.params.requestId, me(request).id, 'declined', request.body?.reason ?? null);
      if (!declined) throw new ApiError('CONFLICT', notAcceptedMessage(request.params.requestId, 'not-offered'));
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/agent/sessions/:id/transfer',
    {
      schema: {
        ...schema,
        summary: 'Hand one of my chats to another agent (online, with room: else 409) or to a queue, with a note',
        params: SessionParams,
        body: TransferBody,
        response: { 200: TransferAnswer, ...errors },
      },
    },
    async (request) => {
      const agent = me(request);
      return deps.transfers.transfer({
        sessionId: request.params.id,
        fromAgentId: agent.id,
        toAgentId: request.body.toAgentId,
        toQueueId: request.body.toQueueId,
        note: request.body.note ?? '',
        by: agent.id,
      });
    },
  );
}
