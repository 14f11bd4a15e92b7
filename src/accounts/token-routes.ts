/** The anchor's API tokens (devices): list, create a named one, revoke one or all. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okData, responses } from '../http/schemas.js';
import { AnchorTokenList, AnchorTokenParams, CreateAnchorToken, CreatedAnchorToken, RevokedAnchorTokens } from './schemas.js';
import type { AccountsService } from './service.js';

export const anchorTokenRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountsService }> = async (app, { accounts }) => {
  const tokens = accounts.tokens;

  app.get(
    '/api/anchor/tokens',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: "The anchor's API tokens, newest first: name, created, last used (never the secret)",
        response: responses(okData(AnchorTokenList), 401, 403),
      },
    },
    async (request) => ({ code: 0 as const, data: { tokens: await tokens.list(request.user) } }),
  );

  app.post(
    '/api/anchor/tokens',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Create a named token (for the SillyTavern bridge or a script); its secret is in this answer only',
        body: CreateAnchorToken,
        response: responses(okData(CreatedAnchorToken), 401, 403, 409),
      },
    },
    async (request) => ({ code: 0 as const, data: await tokens.create(request.user, request.body.name) }),
  );

  app.delete(
    '/api/anchor/tokens/:token_id',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Revoke one token: from the next request on it is refused (401) on every instance',
        params: AnchorTokenParams,
        response: responses(okData(RevokedAnchorTokens), 401, 403, 404),
      },
    },
    async (request) => {
      await tokens.revoke(request.user, request.params.token_id);
      return { code: 0 as const, data: { revoked: 1 } };
    },
  );

  app.delete(
    '/api/anchor/tokens',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: "Revoke all the anchor's tokens, including the one presented (console sessions stay signed in)",
        response: responses(okData(RevokedAnchorTokens), 401, 403),
      },
    },
    async (request) => ({ code: 0 as const, data: { revoked: await tokens.revokeAll(request.user) } }),
  );
};
