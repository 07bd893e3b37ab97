/** The bearer-token check every authenticated route shares, and role checks on top of it. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import type { AgentRole, AgentRow } from '../db/schema.js';
import { ApiError } from '../errors.js';
import { agentForToken, bearer } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    agent?: AgentRow;
  }
}

/** What an agent with a one-time password may do: see who they are, change it, or leave. */
const WITH_ONE_TIME_PASSWORD = new Set(['GET /api/v1/agent/me', 'POST /api/v1/agent/password', 'POST /api/v1/agent/logout']);

/**
 * Adds to this scope: every request needs a valid token, and, if given, one of these roles.
 * An agent whose password is a one-time one may only change it.
 */
export function requireAgent(scope: FastifyInstance, deps: { db: Db; clock: () => number }, roles?: readonly AgentRole[]): void {
  scope.addHook('onRequest', async (request) => {
    const token = bearer(request.headers.authorization);
    const agent = token ? await agentForToken(deps.db, token, deps.clock()) : undefined;
    if (!agent) throw new ApiError('UNAUTHENTICATED', 'missing, expired or revoked token');
    if (agent.must_change_password === 1 && !WITH_ONE_TIME_PASSWORD.has(`${request.method} ${request.routeOptions.url ?? ''}`)) {
      throw new ApiError('PASSWORD_CHANGE_REQUIRED', 'this password was for one use: choose your own first (POST /api/v1/agent/password)');
    }
    if (roles && !roles.includes(agent.role)) throw new ApiError('FORBIDDEN', `this needs the role ${roles.join(' or ')}`);
    request.agent = agent;
  });
}

export function me(request: FastifyRequest): AgentRow {
  if (!request.agent) throw new ApiError('UNAUTHENTICATED', 'log in first');
  return request.agent;
}
