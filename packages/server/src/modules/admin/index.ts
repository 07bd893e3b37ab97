/** What other folders may use of modules/admin. */
export { adminRoutes } from './routes.js';
export type { AdminDeps } from './routes.js';
