/** The third-party integration protocol. What other folders may use of it. */
export { TpiAuthenticator, signTpiBody } from './authenticate.js';
export { ChannelDirectory } from './channels.js';
export { TPI_PATHS, tpiRoutes } from './routes.js';
export { TPIU_PATHS, uploadRoutes } from './upload-routes.js';
export { asksForRequestStatus, listenRequestStatus } from './request-status-notices.js';
