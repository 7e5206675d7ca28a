// Checks an ID token's signature against its user pool's JSON Web Key Set.
//
// AWS: "Verifying a JSON Web Token" (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
// the issuer is https://cognito-idp.<region>.amazonaws.com/<userPoolId>, the keys are at
// <issuer>/.well-known/jwks.json, `aud` is the app client id and `token_use` is "id".
// A local stand-in (cognito-local) issues tokens with issuer <its endpoint>/<userPoolId> and
// serves the keys under the same path, so an issuer built from the configured cognito-idp
// endpoint is accepted too. The keys are only ever fetched from an issuer we expect, never from
// whatever `iss` a token claims.
// jose 6 is ESM-only and this package compiles as CommonJS: load it with a dynamic import.
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };

const loadJose = () => import('jose');

export type SignatureStatus = 'verified' | 'failed' | 'unchecked';

export interface TokenCheck {
  signature: SignatureStatus;
  /** The token's payload (decoded even when the signature could not be checked). */
  claims: Record<string, unknown>;
  /** Why the signature is failed or unchecked. */
  reason?: string;
}

export interface ExpectedIssuer {
  userPoolId: string;
  region: string;
  /** The cognito-idp endpoint in use when it is not AWS's (a sandbox). */
  endpoint?: string;
  /** The app client id the token must be for (`aud`). */
  clientId?: string;
}

export type FetchJson = (url: string) => Promise<unknown>;

const defaultFetchJson: FetchJson = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.json();
};

/** The issuers a token of this pool may carry. */
export function expectedIssuers(expected: ExpectedIssuer): string[] {
  const issuers = [`https://cognito-idp.${expected.region}.amazonaws.com/${expected.userPoolId}`];
  if (expected.endpoint) issuers.push(`${expected.endpoint.replace(/\/+$/, '')}/${expected.userPoolId}`);
  return issuers;
}

export class TokenVerifier {
  /** One fetch per JWKS URL for the verifier's lifetime (the keys rotate rarely). */
  private readonly keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(private readonly fetchJson: FetchJson = defaultFetchJson) {}

  private keySet(issuer: string): Promise<JWTVerifyGetKey> {
    const url = `${issuer}/.well-known/jwks.json`;
    let keys = this.keySets.get(url);
    if (!keys) {
      keys = Promise.all([loadJose(), this.fetchJson(url)]).then(([jose, json]) => jose.createLocalJWKSet(json as JSONWebKeySet));
      keys.catch(() => this.keySets.delete(url)); // a failed fetch may be retried later
      this.keySets.set(url, keys);
    }
    return keys;
  }

  async verifyIdToken(token: string, expected: ExpectedIssuer): Promise<TokenCheck> {
    const { decodeJwt, jwtVerify } = await loadJose();
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(token) as Record<string, unknown>;
    } catch (error) {
      return { signature: 'failed', claims: {}, reason: `not a JWT: ${(error as Error).message}` };
    }
    const issuer = typeof claims.iss === 'string' ? claims.iss : '';
    const allowed = expectedIssuers(expected);
    if (!allowed.includes(issuer)) {
      return { signature: 'failed', claims, reason: `issuer ${JSON.stringify(issuer)} is not ${allowed.map((i) => JSON.stringify(i)).join(' or ')}` };
    }
    if (claims.token_use !== undefined && claims.token_use !== 'id') {
      return { signature: 'failed', claims, reason: `token_use is ${JSON.stringify(claims.token_use)}, not "id": an identity pool needs the ID token` };
    }
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.keySet(issuer);
    } catch (error) {
      return { signature: 'unchecked', claims, reason: `could not read the pool's keys: ${(error as Error).message}` };
    }
    try {
      await jwtVerify(token, keys, { issuer, ...(expected.clientId ? { audience: expected.clientId } : {}) });
      return { signature: 'verified', claims };
    } catch (error) {
      return { signature: 'failed', claims, reason: (error as Error).message };
    }
  }
}
