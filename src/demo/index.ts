/** Demo data: the only module the composition imports. */
export { seedDemoData } from './seed.js';
