// ID-token checks of the Logins map, in the order and with the messages of Cognito Identity
// (cognito-semantics.md sections 2 and 5): signature against cognito-local's JWKS, expiry,
// issuer against the Logins key, aud present.

export class LoginError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export type Claims = Record<string, unknown>;
type Jose = typeof import('jose');

// jose is ESM-only and this folder is CommonJS (the repo has no "type": "module"): load it lazily.
let josePromise: Promise<Jose> | undefined;
const jose = (): Promise<Jose> => (josePromise ??= import('jose'));

export class TokenVerifier {
  private readonly jwks = new Map<string, ReturnType<Jose['createLocalJWKSet']>>();

  /** `jwksUrl(pool)` gives cognito-local's JWKS for a user pool. */
  constructor(private readonly jwksUrl: (userPoolId: string) => string) {}

  /** Verifies `token` as the value of Logins[`providerName`]; returns its claims. */
  async verify(providerName: string, token: string): Promise<Claims> {
    const { compactVerify, decodeJwt, createLocalJWKSet } = await jose();
    let claims: Claims;
    try {
      claims = decodeJwt(token);
    } catch {
      throw new LoginError('NotAuthorizedException', 'Invalid login token. Not a valid OpenId Connect identity token.');
    }
    const pool = providerName.slice(providerName.indexOf('/') + 1);
    let jwks = this.jwks.get(pool);
    if (!jwks) {
      const response = await fetch(this.jwksUrl(pool));
      jwks = createLocalJWKSet(await response.json() as Parameters<Jose['createLocalJWKSet']>[0]);
      this.jwks.set(pool, jwks);
    }
    try {
      await compactVerify(token, jwks, { algorithms: ['RS256'] });
    } catch {
      throw new LoginError('NotAuthorizedException', 'Invalid login token. Couldn\'t verify signed token.');
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp === 'number' && claims.exp <= now) {
      // Placeholder order as cognito-semantics.md section 5 writes it.
      throw new LoginError('NotAuthorizedException', `Invalid login token. Token expired: ${claims.exp} >= ${now}`);
    }
    if (claims.iss !== `https://${providerName}`) {
      throw new LoginError('NotAuthorizedException', 'Invalid login token. Issuer doesn\'t match providerName');
    }
    if (claims.aud === undefined) {
      // An access token has client_id instead of aud.
      throw new LoginError('NotAuthorizedException', 'Invalid login token. Missing a required claim: aud');
    }
    return claims;
  }
}
