// ID-token checks of the Logins map, in the order and with the messages of Cognito Identity
// (cognito-semantics.md sections 2 and 5): signature against the provider's JWKS (a user pool's:
// cognito-local's key and the sandbox's re-signing key; the OIDC provider's), expiry, issuer
// against the Logins key (`https://<key>`, for user pools and OIDC alike), aud present.

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

export type KeySetOf = (providerName: string) => Promise<{ keys: object[] }>;

export class TokenVerifier {
  private readonly jwks = new Map<string, ReturnType<Jose['createLocalJWKSet']>>();

  /** `keySet(providerName)` gives the JWKS a Logins key's tokens are signed with. */
  constructor(private readonly keySet: KeySetOf) {}

  /** Verifies `token` as the value of Logins[`providerName`]; returns its claims. */
  async verify(providerName: string, token: string): Promise<Claims> {
    const { compactVerify, decodeJwt, createLocalJWKSet } = await jose();
    let claims: Claims;
    try {
      claims = decodeJwt(token);
    } catch {
      throw new LoginError('NotAuthorizedException', 'Invalid login token. Not a valid OpenId Connect identity token.');
    }
    let jwks = this.jwks.get(providerName);
    if (!jwks) {
      jwks = createLocalJWKSet(await this.keySet(providerName) as Parameters<Jose['createLocalJWKSet']>[0]);
      this.jwks.set(providerName, jwks);
    }
    try {
      await compactVerify(token, jwks, { algorithms: ['RS256', 'RS512'] });
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
