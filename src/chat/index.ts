/** The chat feature's public face: the only module other features and the composition import. */
export { chatFeature } from './plugin.js';
export type { ChatService } from './service.js';
