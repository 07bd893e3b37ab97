/**
 * The admin API: queues, agents, channels, shared canned replies, the callback delivery log
 * and the later TPI's customers, one file each. Changes take effect at once: channels are reloaded, routing and sweeping
 * run again.
 */
import type { FastifyInstance } from 'fastify';
import { requireAgent } from '../../auth/guard.js';
import { agentRoutes } from './agents-routes.js';
import { callbackLogRoutes } from './callbacks-routes.js';
import { sharedCannedRoutes } from './canned-routes.js';
import { channelRoutes } from './channels-routes.js';
import { customerRoutes } from './customers-routes.js';
import type { AdminDeps } from './deps.js';
import { queueRoutes } from './queues-routes.js';

export type { AdminDeps } from './deps.js';

export async function adminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  requireAgent(app, deps, ['admin']);
  for (const routes of [queueRoutes, agentRoutes, channelRoutes, sharedCannedRoutes, callbackLogRoutes, customerRoutes]) await routes(app, deps);
}
