/** What other folders may use of modules/console. */
export { consoleRoutes } from './routes.js';
