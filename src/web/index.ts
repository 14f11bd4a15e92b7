/** Serving the built viewer app: the only module the composition imports. */
export { webRoutes } from './routes.js';
