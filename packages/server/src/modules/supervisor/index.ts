/** What other folders may use of modules/supervisor. */
export { supervisorRoutes } from './routes.js';
