/** The chat domain: requests, sessions, routing and sweeping. What other folders may use of it. */
export type { ChatContext } from './context.js';
export type { Stored } from './customer-messages.js';
export { RequestService } from './requests.js';
export { Router, type AcceptOutcome, type NotAcceptedReason } from './router.js';
export { BridgeNotices } from './bridge-notices.js';
export { TransferService } from './transfers.js';
export { AgentTyping } from './agent-typing.js';
export { SessionService } from './sessions.js';
export { Sweeper } from './sweeper.js';
export { WaitEstimator } from './wait-estimate.js';
export { onlineAgentCount, queueIsOpen } from './queues.js';
