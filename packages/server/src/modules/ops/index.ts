/** What other folders may use of modules/ops. */
export { opsRoutes } from './routes.js';
