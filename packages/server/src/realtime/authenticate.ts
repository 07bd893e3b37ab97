/**
 * The handshake: `auth: { token }` is the agent API's bearer token. An accepted socket joins
 * its agent's room (and supervisors' room, for supervisors and admins). A feed lives no longer
 * than its token: it ends at the token's expiry, and when the token is revoked (logout: that
 * token; a password reset or a disabled agent: all of the agent's).
 */
import type { EventBus } from '../cluster/event-bus.js';
import { agentForToken } from '../auth/tokens.js';
import { sha256 } from '../common/hash.js';
import type { Db } from '../db/database.js';
import { agentRoom, SUPERVISORS, type AgentServer } from './io.js';

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Returns what stops ending feeds on revocation. */
export function authenticateFeeds(io: AgentServer, deps: { db: Db; events: EventBus; clock: () => number }): () => void {
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') return next(new Error('unauthenticated: pass auth.token'));
    agentForToken(deps.db, token, deps.clock())
      .then((agent) => {
        if (!agent) return next(new Error('unauthenticated: missing, expired or revoked token'));
        const { token_expires_at: expiresAt, ...row } = agent;
        socket.data.agent = row;
        socket.data.tokenHash = sha256(token);
        const expiry = setTimeout(() => socket.disconnect(true), Math.min(Math.max(0, expiresAt - deps.clock()), MAX_TIMER_MS));
        expiry.unref();
        socket.once('disconnect', () => clearTimeout(expiry));
        void socket.join(agentRoom(agent.id));
        if (agent.role !== 'agent') void socket.join(SUPERVISORS);
        next();
      })
      .catch((error: unknown) => next(error as Error));
  });

  return deps.events.on((event) => {
    if (event.type !== 'tokens-revoked') return;
    void io
      .in(agentRoom(event.agentId))
      .fetchSockets()
      .then((sockets) => {
        for (const s of sockets) if (!event.tokenHash || s.data.tokenHash === event.tokenHash) s.disconnect(true);
      });
  });
}
