/** The customer web chat: visitors, their conversations, the API and the pages. What other folders may use of it. */
export { ConversationService, visibleToVisitor, type WaitEstimate } from './conversation.js';
export { presentVisitorMessage } from './presenter.js';
export { webChatRoutes } from './routes.js';
export { webChatPages } from './pages.js';
export { originAllowed } from './origins.js';
export { VisitorService, identityHash, type WebChannel } from './visitors.js';
export { WebChannels } from './web-channels.js';
