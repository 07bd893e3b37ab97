/**
 * The agents' Socket.IO server, typed by the protocol's event maps, what every authenticated
 * socket carries, and its rooms: each agent's sockets share a room (every tab sees
 * everything), supervisors and admins share one more, and each watched session has its own.
 */
import type { ClientToServerEvents, ServerToClientEvents } from '@elitewebchat/protocol';
import type { DefaultEventsMap, Server, Socket } from 'socket.io';
import type { AgentRow } from '../db/schema.js';

/** What the handshake learnt; set on every socket before it connects. */
export interface FeedData {
  agent: AgentRow;
  /** sha256 of the token the feed was opened with: revoking that token ends this feed. */
  tokenHash: string;
}

export type AgentServer = Server<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, FeedData>;
export type AgentSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, FeedData>;

const AGENT_ROOM = 'agent:';
export const agentRoom = (agentId: string) => `${AGENT_ROOM}${agentId}`;
export const sessionRoom = (sessionId: number) => `session:${sessionId}`;
export const SUPERVISORS = 'supervisors';

/** Whether any socket of this process is in the room. */
export const hasMembers = (io: AgentServer, room: string) => (io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;

/** The agents with at least one socket in this process. */
export const agentsWithFeeds = (io: AgentServer) =>
  [...io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith(AGENT_ROOM)).map((r) => r.slice(AGENT_ROOM.length));
