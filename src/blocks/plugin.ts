/** The blocks feature: each account's list of viewers whose chat it hides. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import { DELETED_ACCOUNT_NAME } from '../accounts/index.js';
import type { Database } from '../db/schema.js';
import { blockSubject } from './mappers.js';
import { BlocksRepository } from './repository.js';
import { blocksRoutes } from './routes.js';
import { BlocksService } from './service.js';

export interface BlocksFeatureOptions {
  db: Kysely<Database>;
  clock?: () => number;
}

export const blocksFeature = fp<BlocksFeatureOptions>(
  async (app, { db, clock }) => {
    app.accounts.addDeletionStep((executor, userId) =>
      new BlocksRepository(executor).forgetAccount(userId, blockSubject({ uid: userId }), DELETED_ACCOUNT_NAME),
    );
    await app.register(blocksRoutes, { blocks: new BlocksService(db, { clock }) });
  },
  { name: 'blocks', dependencies: ['accounts', 'auth', 'api-docs'] },
);
