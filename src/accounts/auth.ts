/**
 * Identity for HTTP and WebSocket requests: the session cookie, else the guest cookie; anchors use
 * `Authorization: Bearer`. Identity never comes from a uid in the request body.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../http/errors.js';
import { isGuestName, newGuestName } from './guests.js';
import type { AccountsService, SessionUser, Viewer } from './service.js';

export const SESSION_COOKIE = 'pk_session';
export const GUEST_COOKIE = 'pk_guest';
const GUEST_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;
/** Bounds the memo of verified guest cookies; it starts over when full. */
const VERIFIED_GUEST_COOKIES_MAX = 50_000;

export interface AuthOptions {
  cookieSecure: boolean;
}

export class RequestAuth {
  private readonly viewers = new WeakMap<FastifyRequest, Promise<Viewer>>();
  /**
   * Signed guest cookie → the guest name it carries. Checking the signature is an HMAC, the largest
   * cost of a guest's request, and the same cookie always verifies the same way (one secret per
   * process), so each distinct cookie is checked once. Only cookies that verified are kept.
   */
  private readonly verifiedGuestCookies = new Map<string, string>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly options: AuthOptions,
  ) {}

  /**
   * The viewer behind this request. Pass `reply` to let it (re)issue cookies: a renewed session or a
   * brand-new guest name. Without a reply (WebSocket upgrade) a cookieless guest gets a fresh name.
   */
  viewer(request: FastifyRequest, reply?: FastifyReply): Promise<Viewer> {
    let viewer = this.viewers.get(request);
    if (!viewer) {
      viewer = this.resolveViewer(request, reply);
      this.viewers.set(request, viewer);
    }
    return viewer;
  }

  async requireUser(request: FastifyRequest, reply?: FastifyReply): Promise<SessionUser> {
    const viewer = await this.viewer(request, reply);
    if (viewer.kind !== 'user') throw unauthorized('Please log in first');
    return viewer.user;
  }

  /**
   * Anchor endpoints: a valid bearer token (scripts, the SillyTavern bridge), or the session cookie
   * of an anchor account on a same-origin request (the web console, so no token sits in the
   * page's storage). Else 401, or 403 for a viewer who is not an anchor.
   */
  async requireAnchor(request: FastifyRequest): Promise<SessionUser> {
    const token = bearerToken(request);
    if (token) {
      const anchor = await this.accounts.resolveAnchorToken(token);
      if (!anchor) throw unauthorized('Invalid or revoked anchor token');
      return anchor;
    }
    const viewer = await this.viewer(request);
    if (viewer.kind === 'user') {
      if (viewer.user.isAnchor && isSameOriginFetch(request)) return viewer.user;
      throw forbidden('anchor_token_required', 'Anchor endpoints need an anchor account (Authorization: Bearer, or signed in to the console)');
    }
    throw unauthorized('Anchor token required (Authorization: Bearer)');
  }

  /** Operator routes: a console sign-in (a short operator session) of an account holding the role. */
  async requireOperator(request: FastifyRequest, reply?: FastifyReply): Promise<SessionUser> {
    const viewer = await this.viewer(request, reply);
    if (viewer.kind !== 'user') throw unauthorized('Operator sign-in required');
    if (!viewer.user.operatorSession) throw forbidden('operator_required', 'This needs an operator sign-in (/admin)');
    return viewer.user;
  }

  setSessionCookie(reply: FastifyReply, token: string, expiresAt: number): void {
    void reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.options.cookieSecure,
      expires: new Date(expiresAt),
    });
  }

  clearSessionCookie(reply: FastifyReply): void {
    void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.options.cookieSecure });
  }

  private async resolveViewer(request: FastifyRequest, reply?: FastifyReply): Promise<Viewer> {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await this.accounts.resolveSession(token);
      if (session) {
        if (session.renewedExpiresAt && reply) this.setSessionCookie(reply, token, session.renewedExpiresAt);
        return { kind: 'user', user: session.user };
      }
    }
    return { kind: 'guest', guestName: this.guestName(request, reply) };
  }

  private guestName(request: FastifyRequest, reply?: FastifyReply): string {
    const raw = request.cookies[GUEST_COOKIE];
    if (raw) {
      const known = this.verifiedGuestCookies.get(raw);
      if (known) return known;
      const unsigned = request.unsignCookie(raw);
      if (unsigned.valid && unsigned.value && isGuestName(unsigned.value)) {
        if (this.verifiedGuestCookies.size >= VERIFIED_GUEST_COOKIES_MAX) this.verifiedGuestCookies.clear();
        this.verifiedGuestCookies.set(raw, unsigned.value);
        return unsigned.value;
      }
    }
    const name = newGuestName();
    if (reply) {
      void reply.setCookie(GUEST_COOKIE, name, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: this.options.cookieSecure,
        signed: true,
        maxAge: GUEST_COOKIE_MAX_AGE_S,
      });
    }
    return name;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The cookie counts as anchor credentials only on this site's own pages: browsers mark every fetch
 * with Sec-Fetch-Site, so a page on another origin allowed by CORS (SillyTavern's) cannot ride on
 * the console's session. Non-browser clients send no such header and hold their own cookie.
 */
function isSameOriginFetch(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
