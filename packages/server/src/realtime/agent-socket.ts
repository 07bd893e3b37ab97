/**
 * Agents' live feed over Socket.IO, authenticated with the agent API's bearer token
 * (`auth: { token }` in the handshake). Each agent's sockets share a room, so every tab sees
 * everything. Events carry the same views as the agent API; a client that was away fetches
 * `GET /api/v1/agent/sessions` and merges by message id.
 *
 * Events: `chat.assigned` (SessionView, pre-messages first), `chat.message` (MessageView:
 * customer and agent messages, ratings, client id changes, closing), `chat.closed`
 * ({sessionId, by}).
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Db } from '../db/database.js';
import type { AgentRow } from '../db/schema.js';
import type { AgentService } from '../modules/agent/agent-service.js';
import { presentMessage, presentSession } from '../modules/agent/presenter.js';
import { agentForToken } from '../modules/agent/tokens.js';
import type { ChatEvents } from '../modules/chat/events.js';
import type { Logger } from 'pino';

export const room = (agentId: string) => `agent:${agentId}`;

export function attachAgentSockets(
  server: HttpServer,
  deps: { db: Db; events: ChatEvents; agents: AgentService; clock: () => number; log: Logger },
): Server {
  const io = new Server(server, { path: '/socket.io', serveClient: false, cors: { origin: false } });

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') return next(new Error('unauthenticated: pass auth.token'));
    agentForToken(deps.db, token, deps.clock())
      .then((agent) => {
        if (!agent) return next(new Error('unauthenticated: missing, expired or revoked token'));
        (socket.data as { agent: AgentRow }).agent = agent;
        void socket.join(room(agent.id));
        next();
      })
      .catch((error: unknown) => next(error as Error));
  });

  // Per agent, pushes leave in the order the events happened, even when one needs a read first.
  const chains = new Map<string, Promise<void>>();
  const push = (agentId: string, task: () => Promise<void> | void) => {
    const next = (chains.get(agentId) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => deps.log.error({ err: error, agentId }, 'realtime push failed'));
    chains.set(agentId, next);
    void next.finally(() => {
      if (chains.get(agentId) === next) chains.delete(agentId);
    });
  };

  deps.events.on((event) => {
    switch (event.type) {
      case 'message': {
        const view = presentMessage(event.message);
        push(event.agentId, () => void io.to(room(event.agentId)).emit('chat.message', view));
        break;
      }
      case 'closed':
        push(event.agentId, () => void io.to(room(event.agentId)).emit('chat.closed', { sessionId: event.sessionId, by: event.by }));
        break;
      case 'assigned':
        push(event.agentId, async () => {
          const session = await deps.agents.session(event.agentId, event.sessionId);
          const messages = await deps.agents.messagesOf([session.id]);
          io.to(room(event.agentId)).emit('chat.assigned', presentSession(session, messages.get(session.id) ?? []));
        });
        break;
      default:
        break;
    }
  });
  return io;
}
