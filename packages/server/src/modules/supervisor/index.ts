/** What other folders may use of modules/supervisor. */
export { supervisorRoutes } from './routes.js';
export { supervisorRoutingRoutes } from './routing-routes.js';
