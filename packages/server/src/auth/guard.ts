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

/** Adds to this scope: every request needs a valid token, and, if given, one of these roles. */
export function requireAgent(scope: FastifyInstance, deps: { db: Db; clock: () => number }, roles?: readonly AgentRole[]): void {
  scope.addHook('onRequest', async (request) => {
    const token = bearer(request.headers.authorization);
    const agent = token ? await agentForToken(deps.db, token, deps.clock()) : undefined;
    if (!agent) throw new ApiError('UNAUTHENTICATED', 'missing, expired or revoked token');
    if (roles && !roles.includes(agent.role)) throw new ApiError('FORBIDDEN', `this needs the role ${roles.join(' or ')}`);
    request.agent = agent;
  });
}

export function me(request: FastifyRequest): AgentRow {
  if (!request.agent) throw new ApiError('UNAUTHENTICATED', 'log in first');
  return request.agent;
}
