/**
 * The images feature: encodes uploads (ImageService, `app.images`, used by the rooms feature's
 * upload routes) and serves the stored sizes at /media.
 */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Database } from '../db/schema.js';
import { imagesRoutes } from './routes.js';
import { ImageService } from './service.js';

export interface ImagesFeatureOptions {
  db: Kysely<Database>;
  clock?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    images: ImageService;
  }
}

export const imagesFeature = fp<ImagesFeatureOptions>(
  async (app, { db, clock = Date.now }) => {
    const images = new ImageService(db, clock);
    app.decorate('images', images);
    await app.register(imagesRoutes, { images });
  },
  { name: 'images', dependencies: ['api-docs'] },
);
