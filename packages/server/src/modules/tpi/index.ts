/** The third-party integration protocol. What other folders may use of it. */
export { TpiAuthenticator, signTpiBody } from './authenticate.js';
export { ChannelDirectory } from './channels.js';
export { tpiRoutes } from './routes.js';
export { uploadRoutes } from './upload-routes.js';
export { asksForRequestStatus, listenRequestStatus } from './request-status-notices.js';
