/**
 * Agents' live feed over Socket.IO (path /socket.io), authenticated with the agent API's bearer
 * token (`auth: { token }` in the handshake). Events carry the same views as the agent API; a
 * client that was away fetches `GET /api/v1/agent/sessions` and merges by message id. Their
 * names and payloads are the protocol's (ServerEvent, ClientEvent, SERVER_EVENT_ARGS).
 *
 * The parts, each in its own file: authenticate.ts (the handshake, token expiry and
 * revocation), presence.ts (agents whose feeds are gone are set away), watch.ts (supervisors
 * follow sessions), coalesced-pushes.ts (waiting counts and the board, once per burst),
 * chat-fan-out.ts (chat events to agents' rooms, in order). This file puts them together.
 */
import type { ClientToServerEvents, ServerToClientEvents } from '@elitewebchat/protocol';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type DefaultEventsMap } from 'socket.io';
import type { EventBus } from '../cluster/event-bus.js';
import type { PresenceStore } from '../cluster/presence-store.js';
import type { Db } from '../db/database.js';
import type { AgentService } from '../modules/agent/index.js';
import type { AgentTyping } from '../modules/chat/index.js';
import { authenticateFeeds } from './authenticate.js';
import { fanOutChatEvents } from './chat-fan-out.js';
import { pushOffers } from './offer-pushes.js';
import { pushCountsAndBoard } from './coalesced-pushes.js';
import type { AgentServer, FeedData } from './io.js';
import { StorePresence, type Presence } from './presence.js';
import { handleWatching } from './watch.js';
import { fanOutSignals, handleChatSignals } from './chat-signals.js';

export interface AgentSocketDeps {
  db: Db;
  events: EventBus;
  agents: AgentService;
  /** The agent typing (chat.typing), shared with the agent API. */
  typing: AgentTyping;
  clock: () => number;
  log: Logger;
  awayAfterMs: number;
  /** How often every feed's token is checked again in the store (revocations by another process). */
  feedRecheckMs: number;
  /** Default: StorePresence on presenceStore. Started and closed with the sockets. */
  presence?: Presence;
  /** Which agents have a feed on some node (ClusterState.presence); default: this process alone. */
  presenceStore?: PresenceStore;
}

export interface AgentSockets {
  io: AgentServer;
  /** When the platform starts, before it listens: presence catches up on a restart. */
  start(): Promise<void>;
  /** The shared presence store is back after being lost: presence catches up. */
  recover(): Promise<void>;
  close(): Promise<void>;
}

export function attachAgentSockets(server: HttpServer, deps: AgentSocketDeps): AgentSockets {
  const io: AgentServer = new Server<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, FeedData>(server, {
    path: '/socket.io',
    serveClient: false,
    cors: { origin: false },
  });
  const presence = deps.presence ?? new StorePresence({ ...deps, store: deps.presenceStore });
  const presenceFailed = (agentId: string) => (error: unknown) => deps.log.error({ err: error, agentId }, 'presence update failed');

  const stopRevoking = authenticateFeeds(io, { ...deps, recheckMs: deps.feedRecheckMs });
  io.on('connection', (socket) => {
    const { agent } = socket.data;
    presence.feedOpened(agent.id, socket.id).catch(presenceFailed(agent.id));
    socket.on('disconnect', () => void presence.feedClosed(agent.id, socket.id).catch(presenceFailed(agent.id)));
    handleWatching(socket, deps);
    handleChatSignals(socket, deps);
  });
  // An agent's own choice of online, made on any node (the only way an agent becomes online).
  const stopChoices = deps.events.on((event) => {
    if (event.type === 'agent-status' && event.status === 'online') presence.choseOnline(event.agentId).catch(presenceFailed(event.agentId));
  });
  const stopCoalescing = pushCountsAndBoard(io, deps);
  const stopFanOut = fanOutChatEvents(io, deps);
  const stopSignals = fanOutSignals(io, deps);
  const stopOffers = pushOffers(io, deps);

  return {
    io,
    start: () => presence.start(),
    recover: () => presence.recover(),
    async close() {
      stopChoices();
      stopCoalescing();
      // First: sockets that end because the server stops set nobody away.
      await presence.close();
      // Every feed of every namespace ends (clients reconnect: to another node, in a cluster), but
      // not the HTTP server: io.close() would wait for it to close, which keep-alive connections
      // in use (a load balancer's) never let happen. The platform closes it after this.
      io.engine.close();
      stopRevoking();
      stopFanOut();
      stopSignals();
      stopOffers();
    },
  };
}
