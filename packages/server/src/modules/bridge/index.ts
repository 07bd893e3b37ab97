/** Agent bridges: agents who answer from another workplace app. What other folders may use of it. */
export { BridgeDirectory } from './directory.js';
export { bridgeRoutes } from './routes.js';
