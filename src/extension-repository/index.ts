/** The extension-repository feature's public face: the only module the composition imports. */
export { extensionRepositoryFeature } from './plugin.js';
export { EXTENSION_REPOSITORY_PATH } from './routes.js';
