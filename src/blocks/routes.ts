/** The signed-in viewer's block list: `GET` and `POST /api/users/blocks`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okData, responses } from '../http/schemas.js';
import { BlockBody, BlockList, BlockState } from './schemas.js';
import type { BlocksService } from './service.js';

export interface BlocksRoutesOptions {
  blocks: BlocksService;
}

export const blocksRoutes: FastifyPluginAsyncTypebox<BlocksRoutesOptions> = async (app, { blocks }) => {
  app.get(
    '/api/users/blocks',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['accounts'],
        summary: 'Viewers whose chat messages the signed-in user hides (login required)',
        response: responses(okData(BlockList), 401),
      },
    },
    async (request) => {
      return { code: 0 as const, data: await blocks.list(request.user) };
    },
  );

  app.post(
    '/api/users/blocks',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['accounts'],
        summary: 'Block or unblock a viewer (a user by uid, a guest by guest_name) for the signed-in user; idempotent',
        body: BlockBody,
        response: responses(okData(BlockState), 401, 404),
      },
    },
    async (request) => {
      const { blocked, ...target } = request.body;
      return { code: 0 as const, data: await blocks.setBlocked(request.user, target, blocked) };
    },
  );
};
