/** The blocks feature's public face: the only module other features and the composition import. */
export { blocksFeature } from './plugin.js';
