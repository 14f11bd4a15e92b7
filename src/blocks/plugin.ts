/** The blocks feature: each account's list of viewers whose chat it hides. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Database } from '../db/schema.js';
import { blocksRoutes } from './routes.js';
import { BlocksService } from './service.js';

export interface BlocksFeatureOptions {
  db: Kysely<Database>;
  clock?: () => number;
}

export const blocksFeature = fp<BlocksFeatureOptions>(
  async (app, { db, clock }) => {
    await app.register(blocksRoutes, { blocks: new BlocksService(db, { clock }) });
  },
  { name: 'blocks', dependencies: ['auth', 'api-docs'] },
);
