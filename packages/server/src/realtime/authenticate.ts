/**
 * The handshake: `auth: { token }` is the agent API's bearer token. An accepted socket joins
 * its agent's room (and supervisors' room, for supervisors and admins). A feed lives no longer
 * than its token: it ends at the token's expiry, and when the token is revoked (logout: that
 * token; a password reset or a disabled agent: all of the agent's). Revocations made in this
 * process end feeds at once; those made elsewhere (`npm run reset-password`, another process)
 * are found by a check of every feed's token every `recheckMs`.
 *
 * An agent whose password is a one-time one gets no feed until they have changed it.
 */
import type { EventBus } from '../cluster/event-bus.js';
import { agentForToken } from '../auth/tokens.js';
import { sha256 } from '../common/hash.js';
import type { Db } from '../db/database.js';
import { agentRoom, SUPERVISORS, type AgentServer } from './io.js';

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ends a socket when the token it came with expires (agents' and visitors' feeds alike). */
export function endAtExpiry(socket: { disconnect(close: boolean): unknown; once(event: 'disconnect', listener: () => void): unknown }, expiresAt: number, now: number): void {
  const expiry = setTimeout(() => socket.disconnect(true), Math.min(Math.max(0, expiresAt - now), MAX_TIMER_MS));
  expiry.unref();
  socket.once('disconnect', () => clearTimeout(expiry));
}

/** Returns what stops ending feeds on revocation. */
export function authenticateFeeds(io: AgentServer, deps: { db: Db; events: EventBus; clock: () => number; recheckMs: number }): () => void {
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') return next(new Error('unauthenticated: pass auth.token'));
    agentForToken(deps.db, token, deps.clock())
      .then((agent) => {
        if (!agent) return next(new Error('unauthenticated: missing, expired or revoked token'));
        if (agent.must_change_password === 1) return next(new Error('password change required: choose your own password first (POST /api/v1/agent/password)'));
        const { token_expires_at: expiresAt, ...row } = agent;
        socket.data.agent = row;
        socket.data.tokenHash = sha256(token);
        endAtExpiry(socket, expiresAt, deps.clock());
        void socket.join(agentRoom(agent.id));
        if (agent.role !== 'agent') void socket.join(SUPERVISORS);
        next();
      })
      .catch((error: unknown) => next(error as Error));
  });

  const recheck = setInterval(() => {
    void endRevokedFeeds(io, deps.db, deps.clock()).catch(() => undefined);
  }, deps.recheckMs);
  recheck.unref();

  const stopListening = deps.events.on((event) => {
    if (event.type !== 'tokens-revoked') return;
    void io
      .in(agentRoom(event.agentId))
      .fetchSockets()
      .then((sockets) => {
        for (const s of sockets) if (!event.tokenHash || s.data.tokenHash === event.tokenHash) s.disconnect(true);
      });
  });
  return () => {
    clearInterval(recheck);
    stopListening();
  };
}

/** Ends this process's feeds whose token is no longer valid in the store. */
async function endRevokedFeeds(io: AgentServer, db: Db, now: number): Promise<void> {
  const sockets = await io.local.fetchSockets();
  const hashes = [...new Set(sockets.map((s) => s.data.tokenHash).filter((h): h is string => typeof h === 'string'))];
  if (hashes.length === 0) return;
  const valid = await db
    .selectFrom('agent_tokens')
    .innerJoin('agents', 'agents.id', 'agent_tokens.agent_id')
    .select('agent_tokens.token_hash')
    .where('agent_tokens.token_hash', 'in', hashes)
    .where('agent_tokens.revoked_at', 'is', null)
    .where('agent_tokens.expires_at', '>', now)
    .where('agents.enabled', '=', 1)
    .where('agents.must_change_password', '=', 0)
    .execute();
  const still = new Set(valid.map((v) => v.token_hash));
  for (const s of sockets) if (!still.has(s.data.tokenHash)) s.disconnect(true);
}
