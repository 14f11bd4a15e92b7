/** The images feature's public face: room covers and avatars, stored encoded in the database. */
export { imagesFeature } from './plugin.js';
export { roomImageUrls } from './urls.js';
export type { ImageService } from './service.js';
export { MAX_IMAGE_BYTES } from './service.js';
export type { ImageKind } from './schemas.js';
