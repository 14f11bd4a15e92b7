import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OkBody, okData, responses } from '../http/schemas.js';
import { bearerToken, SESSION_COOKIE, type RequestAuth } from './auth.js';
import { AnchorAuth, AnchorLogin, Credentials, UserInfoBody } from './schemas.js';
import type { AccountsService, SessionUser } from './service.js';

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  auth: RequestAuth;
}

export const accountsRoutes: FastifyPluginAsyncTypebox<AccountsRoutesOptions> = async (app, { accounts, auth }) => {
  const startSession = async (user: SessionUser, reply: Parameters<RequestAuth['setSessionCookie']>[0]) => {
    const session = await accounts.createSession(user.id);
    auth.setSessionCookie(reply, session.token, session.expiresAt);
    return { code: 0 as const, data: { user_info: await accounts.userInfo({ kind: 'user', user }) } };
  };

  /** A fresh bearer token for the anchor API. */
  const anchorSession = async (anchor: SessionUser) => {
    const token = await accounts.issueAnchorToken(anchor);
    return { code: 0 as const, data: { uid: anchor.id, username: anchor.username, token } };
  };

  app.post(
    '/api/users/register',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['accounts'],
        summary: 'Create a viewer account and log in',
        body: Credentials,
        response: responses(okData(UserInfoBody), 403, 409, 429, 503),
      },
    },
    async (request, reply) => {
      const user = await accounts.register(request.body.username, request.body.password, request.ip);
      return startSession(user, reply);
    },
  );

  app.post(
    '/api/users/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['accounts'],
        summary: 'Log in with username and password',
        body: Credentials,
        response: responses(okData(UserInfoBody), 401, 403, 429, 503),
      },
    },
    async (request, reply) => {
      const user = await accounts.authenticate(request.body.username, request.body.password, request.ip);
      return startSession(user, reply);
    },
  );

  app.get(
    '/api/users/is_logged_in',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['accounts'],
        summary: 'Who am I (contract 1). Guests get status:false, uname 游客 and a stable guest_name',
        response: responses(okData(UserInfoBody)),
      },
    },
    async (request) => {
      return { code: 0 as const, data: { user_info: await accounts.userInfo(request.viewer) } };
    },
  );

  app.route({
    method: ['GET', 'POST'],
    url: '/api/users/login_out',
    config: { auth: 'public', changesStateOnGet: true },
    schema: {
      tags: ['accounts'],
      summary: 'Log out (contract 2); the session is invalidated server-side',
      response: responses(OkBody, 403),
    },
    handler: async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await accounts.endSession(token);
      auth.clearSessionCookie(reply);
      return { code: 0 as const };
    },
  });

  app.post(
    '/api/anchor/register',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['anchor'],
        summary: 'Create a new anchor account and get a bearer token (an existing username is 409)',
        body: Credentials,
        response: responses(okData(AnchorAuth), 409, 429, 503),
      },
    },
    async (request) => {
      return anchorSession(await accounts.registerAnchor(request.body.username, request.body.password, request.ip));
    },
  );

  app.post(
    '/api/anchor/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['anchor'],
        summary: 'Anchor login: a fresh bearer token; with become_anchor a viewer account becomes an anchor too',
        body: AnchorLogin,
        response: responses(okData(AnchorAuth), 401, 429, 503),
      },
    },
    async (request) => {
      const user = await accounts.authenticate(request.body.username, request.body.password, request.ip);
      return anchorSession(request.body.become_anchor ? await accounts.becomeAnchor(user) : user);
    },
  );

  app.post(
    '/api/users/become_anchor',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['anchor'],
        summary: 'The signed-in viewer makes their account an anchor account and gets a bearer token',
        response: responses(okData(AnchorAuth), 401, 403),
      },
    },
    async (request) => {
      return anchorSession(await accounts.becomeAnchor(request.user));
    },
  );

  app.post(
    '/api/anchor/logout',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Revoke the presented anchor token',
        response: responses(OkBody, 401, 403),
      },
    },
    async (request) => {
      await accounts.revokeAnchorToken(bearerToken(request) ?? '');
      return { code: 0 as const };
    },
  );
};
