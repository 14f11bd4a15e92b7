/** The operator console's public face: the only module the composition imports. */
export { operatorFeature } from './plugin.js';
export { recordOperatorRoleChange } from './service.js';
