/**
 * Agents' live feed over Socket.IO, authenticated with the agent API's bearer token
 * (`auth: { token }` in the handshake). Each agent's sockets share a room, so every tab sees
 * everything. Events carry the same views as the agent API; a client that was away fetches
 * `GET /api/v1/agent/sessions` and merges by message id.
 *
 * Events: `chat.assigned` (SessionView, pre-messages first), `chat.message` (MessageView:
 * customer and agent messages, ratings, client id changes, closing), `chat.messages`
 * (MessageView[], in order: several that were written together), `chat.closed`
 * ({sessionId, by}), `queues.changed` ({queues: [{id, name, waiting}]}, the agent's queues).
 * Supervisors and admins also get `board.changed` (refetch the board) and may send
 * `session.watch` / `session.unwatch` {sessionId} to follow any session read-only.
 *
 * Presence: an online agent whose last socket has been gone for `awayAfterMs` is set away, so
 * that a closed or crashed browser stops receiving chats. A reconnect within that time changes
 * nothing; agents who never connected a socket are not affected.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Db } from '../db/database.js';
import type { AgentRow } from '../db/schema.js';
import type { AgentService } from '../modules/agent/agent-service.js';
import { presentMessage, presentSession } from '../modules/agent/presenter.js';
import type { MessageView } from '../modules/agent/schemas.js';
import { agentForToken } from '../auth/tokens.js';
import { sha256 } from '../common/hash.js';
import type { EventBus } from '../cluster/event-bus.js';
import type { Logger } from 'pino';

export const room = (agentId: string) => `agent:${agentId}`;
interface SocketData {
  agent: AgentRow;
  tokenHash: string;
}
const sessionRoom = (sessionId: number) => `session:${sessionId}`;
const SUPERVISORS = 'supervisors';
/** Counts and the board are pushed at most this often; bursts of events coalesce. */
const COALESCE_MS = 500;

export function attachAgentSockets(
  server: HttpServer,
  deps: { db: Db; events: EventBus; agents: AgentService; clock: () => number; log: Logger; awayAfterMs: number },
): { io: Server; close(): Promise<void> } {
  const io = new Server(server, { path: '/socket.io', serveClient: false, cors: { origin: false } });

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') return next(new Error('unauthenticated: pass auth.token'));
    agentForToken(deps.db, token, deps.clock())
      .then((agent) => {
        if (!agent) return next(new Error('unauthenticated: missing, expired or revoked token'));
        const { token_expires_at: expiresAt, ...row } = agent;
        Object.assign(socket.data as SocketData, { agent: row, tokenHash: sha256(token) });
        // The feed ends with the token: at its expiry here, on revocation below.
        const expiry = setTimeout(() => socket.disconnect(true), Math.min(Math.max(0, expiresAt - deps.clock()), 2 ** 31 - 1));
        expiry.unref();
        socket.once('disconnect', () => clearTimeout(expiry));
        void socket.join(room(agent.id));
        if (agent.role !== 'agent') void socket.join(SUPERVISORS);
        next();
      })
      .catch((error: unknown) => next(error as Error));
  });

  const awayTimers = new Map<string, NodeJS.Timeout>();
  let closing = false;
  const connected = (agentId: string) => (io.of('/').adapter.rooms.get(room(agentId))?.size ?? 0) > 0;

  io.on('connection', (socket) => {
    const agent = (socket.data as { agent: AgentRow }).agent;
    clearTimeout(awayTimers.get(agent.id));
    awayTimers.delete(agent.id);
    socket.on('disconnect', () => {
      if (closing || deps.awayAfterMs <= 0 || connected(agent.id) || awayTimers.has(agent.id)) return;
      const timer = setTimeout(() => {
        awayTimers.delete(agent.id);
        if (connected(agent.id)) return;
        deps.agents
          .awayIfOnline(agent.id)
          .then((changed) => {
            if (changed) deps.log.info({ agentId: agent.id, afterMs: deps.awayAfterMs }, 'agent set away: no live feed');
          })
          .catch((error: unknown) => deps.log.error({ err: error, agentId: agent.id }, 'setting an agent away failed'));
      }, deps.awayAfterMs);
      timer.unref();
      awayTimers.set(agent.id, timer);
    });
    type Ack = (answer: { ok: boolean; error?: string }) => void;
    const sessionIdOf = (body: unknown) => {
      const id = (body as { sessionId?: unknown } | null)?.sessionId;
      return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
    };
    socket.on('session.watch', (body: unknown, ack?: Ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const sessionId = sessionIdOf(body);
      if (agent.role === 'agent') return reply({ ok: false, error: 'only supervisors and admins watch sessions' });
      if (sessionId === undefined) return reply({ ok: false, error: 'sessionId must be a positive integer' });
      deps.db
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', sessionId)
        .executeTakeFirst()
        .then(async (row) => {
          if (!row) return reply({ ok: false, error: `no session ${sessionId}` });
          await socket.join(sessionRoom(sessionId));
          reply({ ok: true });
        })
        .catch((error: unknown) => {
          deps.log.error({ err: error }, 'session.watch failed');
          reply({ ok: false, error: 'internal error' });
        });
    });
    socket.on('session.unwatch', (body: unknown, ack?: Ack) => {
      const sessionId = sessionIdOf(body);
      if (sessionId !== undefined) void socket.leave(sessionRoom(sessionId));
      if (typeof ack === 'function') ack({ ok: true });
    });
  });

  // Waiting counts and the board change with almost every event: recomputed once per burst.
  let countsDirty = false;
  let boardDirty = false;
  const flush = setInterval(() => {
    if (boardDirty) {
      boardDirty = false;
      io.to(SUPERVISORS).emit('board.changed');
    }
    if (countsDirty) {
      countsDirty = false;
      void pushQueueCounts().catch((error: unknown) => deps.log.error({ err: error }, 'queue counts push failed'));
    }
  }, COALESCE_MS);
  flush.unref();
  const pushQueueCounts = async () => {
    const agentIds = [...io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith('agent:')).map((r) => r.slice(6));
    if (agentIds.length === 0) return;
    const [counts, members] = await Promise.all([
      deps.db
        .selectFrom('queues')
        .leftJoin('chat_requests', (j) => j.onRef('chat_requests.queue_id', '=', 'queues.id').on('chat_requests.status', '=', 0))
        .select(['queues.id', 'queues.name', (eb) => eb.fn.count<number>('chat_requests.id').as('waiting')])
        .groupBy(['queues.id', 'queues.name'])
        .orderBy('queues.id')
        .execute(),
      deps.db.selectFrom('agent_queues').selectAll().where('agent_id', 'in', agentIds).execute(),
    ]);
    for (const agentId of agentIds) {
      const mine = new Set(members.filter((m) => m.agent_id === agentId).map((m) => m.queue_id));
      const queues = counts.filter((c) => mine.has(c.id)).map((c) => ({ id: c.id, name: c.name, waiting: Number(c.waiting) }));
      io.to(room(agentId)).emit('queues.changed', { queues });
    }
  };

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

  const batches = new Map<string, MessageView[]>();

  deps.events.on((event) => {
    if (event.type !== 'message' && event.type !== 'outbox') boardDirty = true;
    if (event.type === 'capacity' || event.type === 'request-ended' || event.type === 'assigned') countsDirty = true;
    switch (event.type) {
      case 'tokens-revoked':
        void io
          .in(room(event.agentId))
          .fetchSockets()
          .then((sockets) => {
            for (const s of sockets) if (!event.tokenHash || (s.data as SocketData).tokenHash === event.tokenHash) s.disconnect(true);
          });
        break;
      case 'message': {
        const view = presentMessage(event.message);
        const watchers = sessionRoom(event.sessionId);
        if (io.of('/').adapter.rooms.get(watchers)?.size) io.to(watchers).except(room(event.agentId)).emit('chat.message', view);
        // Messages written together (a group of 2001s) leave together, in one frame.
        let batch = batches.get(event.agentId);
        if (!batch) {
          const views: MessageView[] = [];
          batch = views;
          batches.set(event.agentId, views);
          push(event.agentId, () => {
            batches.delete(event.agentId);
            if (views.length === 1) io.to(room(event.agentId)).emit('chat.message', views[0]);
            else io.to(room(event.agentId)).emit('chat.messages', views);
          });
        }
        batch.push(view);
        break;
      }
      case 'closed': {
        const to = [room(event.agentId), sessionRoom(event.sessionId)];
        push(event.agentId, () => void io.to(to).emit('chat.closed', { sessionId: event.sessionId, by: event.by }));
        break;
      }
      case 'assigned':
        push(event.agentId, async () => {
          const session = await deps.agents.session(event.agentId, event.sessionId);
          const latest = (await deps.agents.latestMessagesOf([session.id])).get(session.id);
          io.to(room(event.agentId)).emit('chat.assigned', presentSession(session, latest?.messages ?? [], latest?.hasEarlier ?? false));
        });
        break;
      default:
        break;
    }
  });
  return {
    io,
    close: () =>
      new Promise<void>((resolve) => {
        // Sockets that end because the server stops set nobody away.
        closing = true;
        clearInterval(flush);
        void io.close(() => {
          for (const timer of awayTimers.values()) clearTimeout(timer);
          awayTimers.clear();
          resolve();
        });
      }),
  };
}
