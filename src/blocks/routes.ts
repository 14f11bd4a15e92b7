/** The signed-in viewer's block list: `GET` and `POST /api/users/blocks`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestAuth } from '../accounts/auth.js';
import { okData, responses } from '../http/schemas.js';
import type { BlocksService } from './service.js';

const BlockedViewer = Type.Object({
  uid: Type.String({ description: 'The blocked user, or empty for a guest' }),
  guest_name: Type.String({ description: 'The blocked guest, or empty for a user' }),
  username: Type.String(),
  blocked_at: Type.String({ format: 'date-time' }),
});

export interface BlocksRoutesOptions {
  blocks: BlocksService;
  auth: RequestAuth;
}

export const blocksRoutes: FastifyPluginAsyncTypebox<BlocksRoutesOptions> = async (app, { blocks, auth }) => {
  app.get(
    '/api/users/blocks',
    {
      schema: {
        tags: ['users'],
        summary: "Viewers whose chat messages the signed-in user hides (login required)",
        response: responses(okData(Type.Object({ blocks: Type.Array(BlockedViewer) })), 401),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      return { code: 0 as const, data: { blocks: await blocks.list(user) } };
    },
  );

  app.post(
    '/api/users/blocks',
    {
      schema: {
        tags: ['users'],
        summary: 'Block or unblock a viewer (a user by uid, a guest by guest_name) for the signed-in user; idempotent',
        body: Type.Object({
          uid: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          guest_name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          blocked: Type.Boolean(),
        }),
        response: responses(okData(Type.Object({ blocked: Type.Boolean() })), 401, 404),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      const { blocked, ...target } = request.body;
      return { code: 0 as const, data: await blocks.setBlocked(user, target, blocked) };
    },
  );
};
