/** The accounts feature's public face: the only module other features and the composition import. */
export { RequestAuth } from './auth.js';
export { accountsRoutes } from './routes.js';
export { AccountsService, type SessionUser, type Viewer } from './service.js';
