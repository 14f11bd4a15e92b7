/** The accounts feature's public face: the only module other features and the composition import. */
export { accountsFeature } from './plugin.js';
export type { SessionUser, Viewer } from './service.js';
