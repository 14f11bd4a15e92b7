/**
 * Every route says who may call it, in its config (`config: { auth }`). The accounts feature
 * enforces the levels (src/accounts/route-auth.ts) and refuses to start with a route that says
 * nothing, so a forgotten check cannot fail open.
 */
export const AUTH_LEVELS = ['public', 'viewer', 'user', 'anchor', 'operator'] as const;

/**
 * - `public`: anyone; the caller's identity is not looked at.
 * - `viewer`: anyone, as a signed-in user or a guest (a cookieless guest gets a guest cookie).
 * - `user`: a signed-in user (session cookie), else 401.
 * - `anchor`: an anchor's bearer token, or an anchor's session cookie on a same-origin request (the
 *   web console), else 401 (403 `anchor_token_required` with only a viewer
 *   session).
 * - `operator`: an operator console sign-in (POST /api/admin/login: a short session of an account
 *   holding the role, granted by `npm run operator`), else 401, or 403 `operator_required`;
 *   checked before the body is read, so the answer is the same whatever the request carries.
 */
export type AuthLevel = (typeof AUTH_LEVELS)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthLevel;
  }
}
