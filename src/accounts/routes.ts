import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OkBody, okData, responses } from '../http/schemas.js';
import { bearerToken, SESSION_COOKIE, type RequestAuth } from './auth.js';
import { unauthorized } from '../http/errors.js';
import {
  AnchorAuth,
  AnchorLogin,
  AnchorRegister,
  ChangePasswordBody,
  Credentials,
  DeleteAccountBody,
  RenameBody,
  UserInfoBody,
} from './schemas.js';
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

  /**
   * A signed-in anchor: a fresh bearer token for the anchor API, or with `session` the browser's
   * session cookie (the web console) and no token.
   */
  const anchorSession = async (
    anchor: SessionUser,
    reply: Parameters<RequestAuth['setSessionCookie']>[0],
    options: { session?: boolean; token_name?: string } = {},
  ) => {
    if (options.session) {
      const session = await accounts.createSession(anchor.id);
      auth.setSessionCookie(reply, session.token, session.expiresAt);
      return { code: 0 as const, data: { uid: anchor.id, username: anchor.username } };
    }
    const token = await accounts.issueAnchorToken(anchor, options.token_name);
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

  // The original site's pages ask is_google_logged_in on every load: the same question, the same answer.
  for (const [url, summary] of [
    ['/api/users/is_logged_in', 'Who am I (contract 1). Guests get status:false, uname 游客 and a stable guest_name'],
    ['/api/users/is_google_logged_in', 'Legacy client support: the same as is_logged_in'],
  ] as const) {
    app.get(
      url,
      {
        config: { auth: 'viewer' },
        schema: { tags: ['accounts'], summary, response: responses(okData(UserInfoBody)) },
      },
      async (request) => {
        return { code: 0 as const, data: { user_info: await accounts.userInfo(request.viewer) } };
      },
    );
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/api/users/login_out',
    config: { auth: 'public' },
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

  // ---- the signed-in viewer's own account ----------------------------------------------------

  app.post(
    '/api/users/change_password',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['accounts'],
        summary: 'Change the password (the current one required); every other session of the account is signed out',
        body: ChangePasswordBody,
        response: responses(OkBody, 401, 403, 429),
      },
    },
    async (request) => {
      const { current_password: current, new_password: next } = request.body;
      await accounts.changePassword(request.user, current, next, request.cookies[SESSION_COOKIE] ?? '');
      return { code: 0 as const };
    },
  );

  app.post(
    '/api/users/change_username',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['accounts'],
        summary: 'Change the name the account shows (and signs in with); messages already written keep their name',
        body: RenameBody,
        response: responses(okData(UserInfoBody), 401, 403, 409),
      },
    },
    async (request) => {
      const user = await accounts.rename(request.user, request.body.username, request.cookies[SESSION_COOKIE] ?? '');
      return { code: 0 as const, data: { user_info: await accounts.userInfo({ kind: 'user', user }) } };
    },
  );

  app.post(
    '/api/users/delete_account',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['accounts'],
        summary:
          'Delete the account (the password required): signed out everywhere, chat messages stay under an anonymous name, ' +
          'ledger history and balance are kept, the username is never reused (README: what is kept on deletion)',
        body: DeleteAccountBody,
        response: responses(OkBody, 401, 403, 409, 429),
      },
    },
    async (request, reply) => {
      await accounts.deleteAccount(request.user, request.body.password);
      auth.clearSessionCookie(reply);
      return { code: 0 as const };
    },
  );

  app.post(
    '/api/anchor/register',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['anchor'],
        summary: 'Create a new anchor account and get a bearer token, or a session cookie with `session` (an existing username is 409)',
        body: AnchorRegister,
        response: responses(okData(AnchorAuth), 409, 429, 503),
      },
    },
    async (request, reply) => {
      return anchorSession(await accounts.registerAnchor(request.body.username, request.body.password, request.ip), reply, request.body);
    },
  );

  app.post(
    '/api/anchor/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['anchor'],
        summary: 'Anchor login: a fresh bearer token (or a session cookie with `session`); with become_anchor a viewer account becomes an anchor too',
        body: AnchorLogin,
        response: responses(okData(AnchorAuth), 401, 429, 503),
      },
    },
    async (request, reply) => {
      const user = await accounts.authenticate(request.body.username, request.body.password, request.ip);
      if (!request.body.become_anchor && !user.isAnchor) throw unauthorized('This account is not an anchor account', 'not_an_anchor');
      return anchorSession(request.body.become_anchor ? await accounts.becomeAnchor(user) : user, reply, request.body);
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
    async (request, reply) => {
      return anchorSession(await accounts.becomeAnchor(request.user), reply);
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
