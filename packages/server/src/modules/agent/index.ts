/** The agent API and the agent's own affairs. What other folders may use of it. */
export { AgentService } from './agent-service.js';
export { presentAgent, presentMessage, presentSession, presentSessionSummary } from './presenter.js';
export { agentRoutes } from './routes.js';
export { workspaceRoutes } from './workspace-routes.js';
export { leftMessagesRoutes } from './left-messages-routes.js';
export { queueRoutes } from './queue-routes.js';
export { offerRoutes, notAcceptedMessage } from './offer-routes.js';
export { colleagueRoutes } from './colleague-routes.js';
export { waitingRequests } from './waiting-requests.js';
export { openOffers } from './offer-views.js';
export { agentFileRoutes } from './file-routes.js';
