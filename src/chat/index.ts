/** The chat feature's public face: the only module other features and the composition import. */
export { chatRoutes } from './routes.js';
export { ChatService } from './service.js';
