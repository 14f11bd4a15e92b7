/** Serving the built viewer web app (web/dist): the only module the composition imports. */
export { staticSite } from './plugin.js';
