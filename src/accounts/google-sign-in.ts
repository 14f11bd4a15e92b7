/**
 * "Sign in with Google": the OpenID Connect authorization code flow with PKCE, `state` and `nonce`,
 * through openid-client. No HTTP here: the routes keep a started flow in a signed cookie and hand it
 * back with the provider's redirect; this module checks the answer and returns a verified identity.
 */
import * as oidc from 'openid-client';
import type { GoogleSignInConfig } from '../config.js';
import { AppError, badRequest, forbidden } from '../http/errors.js';

/** What a sign-in is for: signing in (or up), or linking Google to the account already signed in. */
export type SignInPurpose = 'sign_in' | 'link';

/** A started flow: the secrets the answer must match, kept by the browser in a signed cookie. */
export interface SignInFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  purpose: SignInPurpose;
  /** The account that asked to link (purpose link only). */
  userId?: string;
  startedAt: number;
}

/** The provider's answer once every check passed. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  /** A display name the provider offers, used to suggest a username. */
  name: string | null;
}

/** A flow not finished within this time is refused; the user simply starts again. */
export const SIGN_IN_FLOW_MAX_AGE_MS = 10 * 60 * 1000;

const unavailable = () =>
  new AppError(503, 'google_unavailable', 'Google sign-in is unavailable right now, try again in a moment', { retry_after: 5 });

export class GoogleSignIn {
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly config: GoogleSignInConfig,
    /** Where the provider sends the browser back: this site's callback route. */
    private readonly redirectUri: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The provider's endpoints and keys, discovered once; a failed discovery is tried again next time. */
  private provider(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      const issuer = new URL(this.config.issuerUrl);
      // Google is https; plain http is only for a provider on this machine (the end-to-end tests).
      const options = issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined;
      this.configuration = oidc.discovery(issuer, this.config.clientId, this.config.clientSecret, undefined, options);
      this.configuration.catch(() => {
        this.configuration = undefined;
      });
    }
    return this.configuration.catch(() => {
      throw unavailable();
    });
  }

  /** A new flow and the provider URL to send the browser to. */
  async start(purpose: SignInPurpose, userId?: string): Promise<{ url: string; flow: SignInFlow }> {
    const configuration = await this.provider();
    const flow: SignInFlow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      purpose,
      userId,
      startedAt: this.clock(),
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flow };
  }

  /**
   * Checks the provider's redirect (its query string) against the flow it answers (state, PKCE verifier, nonce, the ID
   * token's signature, issuer, audience and lifetime) and returns the identity it vouches for. Only
   * an identity with a verified e-mail is accepted.
   */
  async finish(callbackQuery: string, flow: SignInFlow): Promise<VerifiedIdentity> {
    if (this.clock() - flow.startedAt > SIGN_IN_FLOW_MAX_AGE_MS) throw signInExpired();
    const configuration = await this.provider();
    // The token request repeats the redirect URI the flow started with: this site's public address.
    const callbackUrl = new URL(this.redirectUri);
    callbackUrl.search = callbackQuery;
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw refusal(err);
    }
    if (!claims) throw badRequest('google_sign_in_failed', 'Google sent no identity');
    if (claims.email_verified !== true) {
      throw forbidden('google_email_unverified', 'This Google account has no verified e-mail address; verify it with Google first');
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof claims.email === 'string' ? claims.email : null,
      name: typeof claims.name === 'string' ? claims.name : null,
    };
  }
}

export const signInExpired = () =>
  badRequest('google_sign_in_expired', 'This Google sign-in has expired or was already used; please start again');

/** The reason a provider's answer was refused, as the user (and a support log) can understand it. */
function refusal(err: unknown): AppError {
  if (err instanceof oidc.AuthorizationResponseError) {
    return badRequest('google_refused', `Google did not sign you in (${err.error})`);
  }
  if (err instanceof oidc.ResponseBodyError) {
    // invalid_grant: the code was already used, has expired, or belongs to another flow.
    return badRequest('google_code_rejected', `Google refused this sign-in (${err.error}); please start again`);
  }
  // openid-client wraps oauth4webapi's error, whose cause names the claim or parameter that failed.
  const causes: unknown[] = [];
  for (let cause: unknown = err; cause && causes.length < 4; cause = (cause as { cause?: unknown }).cause) causes.push(cause);
  if (causes.some((cause) => (cause as { claim?: unknown }).claim === 'nonce')) {
    return badRequest('google_nonce_mismatch', 'The Google answer does not belong to this sign-in');
  }
  if (causes.some((cause) => cause instanceof Error && /"state"/.test(cause.message))) {
    return badRequest('google_state_mismatch', 'The Google answer does not belong to this sign-in');
  }
  if (err instanceof oidc.ClientError || err instanceof TypeError) {
    return err instanceof TypeError && /fetch/i.test(err.message)
      ? unavailable()
      : badRequest('google_sign_in_failed', 'The answer from Google could not be verified; please start again');
  }
  return unavailable();
}
