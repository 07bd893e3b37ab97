/**
 * The agent bridge API (/api/v1/bridge/*): a bridge (header X-Bridge-Key) acts for its own
 * agents only: sets their status, accepts or declines what is offered to them, and writes,
 * asks for a rating and closes in their chats, through the same services as the console.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  BridgeAcceptAnswer,
  BridgeAgentBody,
  BridgeAgentParams,
  BridgeDeclineBody,
  BridgeMessageAnswer,
  BridgeOk,
  BridgeSendBody,
  BridgeStatusBody,
  ErrorView,
  IntId,
  RequestParams,
} from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { AgentBridgeRow, AgentRow } from '../../db/schema.js';
import { ApiError } from '../../errors.js';
import { IMAGE_RESPONSE, sendImage } from '../../http/image-reply.js';
import type { Router, SessionService } from '../chat/index.js';
import type { AgentService } from '../agent/index.js';
import type { BridgeDirectory } from './directory.js';
import { notAcceptedMessage } from '../agent/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    bridge?: AgentBridgeRow;
  }
}

export interface BridgeRouteDeps {
  db: Db;
  bridges: BridgeDirectory;
  agents: AgentService;
  sessions: SessionService;
  router: Router;
}

export async function bridgeRoutes(app: FastifyInstance, deps: BridgeRouteDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;
  const schema = { tags: ['bridge'], security: [{ bridgeKey: [] }] };
  const errors = { 401: ErrorView, 404: ErrorView, 409: ErrorView };

  app.addHook('onRequest', async (request) => {
    const key = request.headers['x-bridge-key'];
    const bridge = typeof key === 'string' && key.length > 0 ? deps.bridges.byKey(key) : undefined;
    if (!bridge) throw new ApiError('UNAUTHENTICATED', 'missing or unknown X-Bridge-Key');
    request.bridge = bridge;
  });

  /** One of this bridge's agents (another bridge's, or a console agent, is unknown here). */
  const agentOf = async (request: FastifyRequest, agentId: string): Promise<AgentRow> => {
    const agent = await db.selectFrom('agents').selectAll().where('id', '=', agentId).where('enabled', '=', 1).executeTakeFirst();
    if (!agent || agent.bridge_id !== request.bridge!.id) throw new ApiError('NOT_FOUND', `no agent ${agentId} on this bridge`);
    return agent;
  };

  api.put(
    '/api/v1/bridge/agents/:agentId/status',
    { schema: { ...schema, summary: "Set a bridged agent's status: online agents are routed chats", params: BridgeAgentParams, body: BridgeStatusBody, response: { 200: BridgeOk, ...errors } } },
    async (request) => {
      await deps.agents.setStatus(await agentOf(request, request.params.agentId), request.body.status);
      return { ok: true as const };
    },
  );

  api.post(
    '/api/v1/bridge/offers/:requestId/accept',
    { schema: { ...schema, summary: 'Accept a chat offered to a bridged agent: the new session', params: RequestParams, body: BridgeAgentBody, response: { 200: BridgeAcceptAnswer, ...errors } } },
    async (request) => {
      const agent = await agentOf(request, request.body.agentId);
      const outcome = await deps.router.accept(request.params.requestId, agent.id, { viaOffer: true });
      if (!outcome.accepted) throw new ApiError('CONFLICT', notAcceptedMessage(request.params.requestId, outcome.why));
      return { ok: true as const, sessionId: outcome.sessionId };
    },
  );

  api.post(
    '/api/v1/bridge/offers/:requestId/decline',
    { schema: { ...schema, summary: 'Decline a chat offered to a bridged agent', params: RequestParams, body: BridgeDeclineBody, response: { 200: BridgeOk, ...errors } } },
    async (request) => {
      const agent = await agentOf(request, request.body.agentId);
      const declined = await deps.router.offers.refuse(request.params.requestId, agent.id, 'declined', request.body.reason ?? null);
      if (!declined) throw new ApiError('CONFLICT', `request ${request.params.requestId} is not offered to ${agent.id} (any more)`);
      return { ok: true as const };
    },
  );

  api.post(
    '/api/v1/bridge/sessions/:id/messages',
    { schema: { ...schema, summary: "A bridged agent's reply to the customer", params: IntId, body: BridgeSendBody, response: { 200: BridgeMessageAnswer, ...errors } } },
    async (request) => {
      const agent = await agentOf(request, request.body.agentId);
      const message = await deps.sessions.agentText(agent, request.params.id, request.body.text);
      return { ok: true as const, messageId: message.id };
    },
  );

  api.post(
    '/api/v1/bridge/sessions/:id/rating-request',
    { schema: { ...schema, summary: 'Ask the customer to rate the chat (pushRating)', params: IntId, body: BridgeAgentBody, response: { 200: BridgeMessageAnswer, ...errors } } },
    async (request) => {
      const agent = await agentOf(request, request.body.agentId);
      const message = await deps.sessions.agentRatingRequest(agent, request.params.id);
      return { ok: true as const, messageId: message.id };
    },
  );

  api.post(
    '/api/v1/bridge/sessions/:id/close',
    { schema: { ...schema, summary: 'End the chat', params: IntId, body: BridgeAgentBody, response: { 200: BridgeOk, ...errors } } },
    async (request) => {
      const agent = await agentOf(request, request.body.agentId);
      await deps.sessions.agentClose(agent, request.params.id);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/bridge/images/:id',
    {
      schema: {
        ...schema,
        summary: "An image a customer sent in a chat of one of this bridge's agents",
        params: IntId,
        response: { 200: IMAGE_RESPONSE, ...errors },
      },
    },
    async (request, reply) => {
      const image = await db
        .selectFrom('images')
        .innerJoin('sessions', 'sessions.id', 'images.session_id')
        .innerJoin('agents', 'agents.id', 'sessions.agent_id')
        .select(['images.mime', 'images.data'])
        .where('images.id', '=', request.params.id)
        .where('agents.bridge_id', '=', request.bridge!.id)
        .executeTakeFirst();
      if (!image) throw new ApiError('NOT_FOUND', `no image ${request.params.id} in this bridge's chats`);
      return sendImage(reply, image, request.params.id);
    },
  );
}
