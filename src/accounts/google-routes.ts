/**
 * "Sign in with Google" over HTTP: start (a redirect to Google, the flow's secrets in a signed,
 * short-lived cookie), the callback Google redirects back to, and the account page's view of its
 * linked identities. The button is hidden when GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET are unset.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, notFound } from '../http/errors.js';
import { OkBody, okData, responses } from '../http/schemas.js';
import type { RequestAuth } from './auth.js';
import { SIGN_IN_FLOW_MAX_AGE_MS, signInExpired, type GoogleSignIn, type SignInFlow, type SignInPurpose } from './google-sign-in.js';
import { GoogleCallbackQuery, LinkedIdentities, SignInMethods } from './schemas.js';
import type { AccountsService } from './service.js';

export const GOOGLE_CALLBACK_PATH = '/api/users/google/callback';
const FLOW_COOKIE = 'pk_google_flow';
const FLOW_COOKIE_PATH = '/api/users/google';

export interface GoogleRoutesOptions {
  accounts: AccountsService;
  auth: RequestAuth;
  /** Undefined when Google sign-in is not configured. */
  google?: GoogleSignIn;
  /** The provider's issuer, to unlink its identity. */
  issuer: string;
  cookieSecure: boolean;
}

const ReturnTo = Type.Object({
  return_to: Type.Optional(Type.String({ maxLength: 512, pattern: '^/(?![/\\\\])', description: 'A path on this site to come back to (default /)' })),
});

export const googleRoutes: FastifyPluginAsyncTypebox<GoogleRoutesOptions> = async (app, { accounts, auth, google, issuer, cookieSecure }) => {
  const configured = (): GoogleSignIn => {
    if (!google) throw notFound('google_not_configured', 'Sign in with Google is not offered on this site');
    return google;
  };

  const redirectToGoogle = async (reply: FastifyReply, purpose: SignInPurpose, userId: string | undefined, returnTo: string) => {
    const { url, flow } = await configured().start(purpose, userId);
    void reply.setCookie(FLOW_COOKIE, JSON.stringify({ ...flow, returnTo }), {
      path: FLOW_COOKIE_PATH,
      httpOnly: true,
      // Lax: the cookie comes back on Google's top-level redirect to the callback, not on cross-site subrequests.
      sameSite: 'lax',
      secure: cookieSecure,
      signed: true,
      maxAge: SIGN_IN_FLOW_MAX_AGE_MS / 1000,
    });
    return reply.redirect(url, 302);
  };

  app.get(
    '/api/users/sign_in_methods',
    {
      config: { auth: 'public' },
      schema: { tags: ['accounts'], summary: 'Which ways of signing in this site offers (the web app hides the Google button when off)', response: responses(okData(SignInMethods)) },
    },
    async () => ({ code: 0 as const, data: { password: true, google: google !== undefined } }),
  );

  app.get(
    '/api/users/google/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['accounts'],
        summary: 'Sign in with Google: redirects to Google (302). A first sign-in creates an account with a generated, changeable username',
        querystring: ReturnTo,
        response: responses(Type.Null(), 404, 503),
      },
    },
    async (request, reply) => redirectToGoogle(reply, 'sign_in', undefined, request.query.return_to ?? '/'),
  );

  app.get(
    '/api/users/google/link',
    {
      // A cross-site link must not start linking in the visitor's name.
      config: { auth: 'user', changesStateOnGet: true },
      schema: {
        tags: ['accounts'],
        summary: 'Link a Google account to the signed-in account: redirects to Google (302), then back to /account',
        response: responses(Type.Null(), 401, 403, 404, 503),
      },
    },
    async (request, reply) => redirectToGoogle(reply, 'link', request.user.id, '/account'),
  );

  app.get(
    GOOGLE_CALLBACK_PATH,
    {
      config: { auth: 'public' },
      schema: {
        tags: ['accounts'],
        summary:
          'Where Google sends the browser back: checks state, PKCE, nonce and the ID token, then signs in (or links) and redirects (302). ' +
          'A refused answer is an error page for a browser, the error envelope otherwise',
        querystring: GoogleCallbackQuery,
        response: responses(Type.Null(), 401, 403, 404, 409, 429, 503),
      },
    },
    async (request, reply) => {
      const raw = request.cookies[FLOW_COOKIE];
      // Single use: whatever happens next, this flow is over.
      void reply.clearCookie(FLOW_COOKIE, { path: FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: cookieSecure, signed: true });
      try {
        const signIn = configured();
        const flow = readFlow(request, raw);
        const identity = await signIn.finish(new URL(request.url, 'http://callback.invalid').search, flow);
        if (flow.purpose === 'link') {
          const viewer = await auth.viewer(request, reply);
          if (viewer.kind !== 'user' || viewer.user.id !== flow.userId) {
            throw new AppError(401, 'session_changed', 'You were signed out (or switched accounts) while linking Google; sign in and try again');
          }
          await accounts.linkIdentity(viewer.user, identity);
          return reply.redirect('/account?linked=google', 302);
        }
        const user = await accounts.signInWithIdentity(identity, request.ip);
        const session = await accounts.createSession(user.id);
        auth.setSessionCookie(reply, session.token, session.expiresAt);
        return reply.redirect(flow.returnTo, 302);
      } catch (err) {
        if (!(err instanceof AppError) || !wantsPage(request)) throw err;
        request.log.info({ err: err.error }, 'Google sign-in refused');
        return reply.code(err.statusCode).type('text/html; charset=utf-8').send(errorPage(err));
      }
    },
  );

  app.get(
    '/api/users/identities',
    {
      config: { auth: 'user' },
      schema: { tags: ['accounts'], summary: 'How the account signs in: whether it has a password, and its linked Google account', response: responses(okData(LinkedIdentities), 401) },
    },
    async (request) => ({ code: 0 as const, data: await accounts.linkedIdentities(request.user) }),
  );

  app.delete(
    '/api/users/identities/google',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['accounts'],
        summary: 'Unlink the Google account (409 password_required for an account without a password)',
        response: responses(OkBody, 401, 403, 404, 409),
      },
    },
    async (request) => {
      await accounts.unlinkIdentity(request.user, issuer);
      return { code: 0 as const };
    },
  );
};

type StoredFlow = SignInFlow & { returnTo: string };

/** The flow this browser started, from its signed cookie; a missing, forged or stale one is refused. */
function readFlow(request: FastifyRequest, raw: string | undefined): StoredFlow {
  if (!raw) throw signInExpired();
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) throw signInExpired();
  try {
    const flow = JSON.parse(unsigned.value) as StoredFlow;
    if (typeof flow.state !== 'string' || typeof flow.nonce !== 'string' || typeof flow.codeVerifier !== 'string') throw signInExpired();
    return flow;
  } catch {
    throw signInExpired();
  }
}

/** Google's redirect is a page load: the browser gets a page it can read, scripts and API clients the envelope. */
function wantsPage(request: FastifyRequest): boolean {
  return /text\/html/.test(request.headers.accept ?? '');
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

function errorPage(err: AppError): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Google sign-in failed · Google 登录失败</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#e8e8ee;background:#15151c}a{color:#9fb4ff}code{color:#aaa}</style>
</head><body><main>
<h1>Google sign-in failed</h1>
<p role="alert">${escapeHtml(err.message)}</p>
<p lang="zh">Google 登录未完成，请返回后重试。</p>
<p><code>${escapeHtml(err.error)}</code></p>
<p><a href="/">Back to Pecktra Live · 返回首页</a></p>
</main></body></html>`;
}
