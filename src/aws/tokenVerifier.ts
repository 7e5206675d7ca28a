// Checks an ID token's signature against its user pool's JSON Web Key Set.
//
// AWS: "Verifying a JSON Web Token" (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
// the issuer is https://cognito-idp.<region>.amazonaws.com/<userPoolId>, the keys are at
// <issuer>/.well-known/jwks.json, `aud` is the app client id and `token_use` is "id".
// A local stand-in (cognito-local) issues tokens with issuer <its endpoint>/<userPoolId> and
// serves the keys under the same path, so an issuer built from the configured cognito-idp
// endpoint is accepted too. The keys are only ever fetched from an issuer we expect, never from
// whatever `iss` a token claims.
import type { JSONWebKeySet } from 'jose';
import { decodeToken, verifyTokenSignature } from '../core/tokens.ts';

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
  private readonly keySets = new Map<string, Promise<JSONWebKeySet>>();

  constructor(private readonly fetchJson: FetchJson = defaultFetchJson) {}

  private keySet(url: string): Promise<JSONWebKeySet> {
    let keys = this.keySets.get(url);
    if (!keys) {
      keys = this.fetchJson(url).then((json) => {
        if (!json || typeof json !== 'object' || !Array.isArray((json as { keys?: unknown }).keys)) throw new Error(`${url} is not a JSON Web Key Set`);
        return json as JSONWebKeySet;
      });
      keys.catch(() => this.keySets.delete(url)); // a failed fetch may be retried later
      this.keySets.set(url, keys);
    }
    return keys;
  }

  async verifyIdToken(token: string, expected: ExpectedIssuer): Promise<TokenCheck> {
    let claims: Record<string, unknown>;
    try {
      claims = decodeToken(token).claims;
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
    let keys: JSONWebKeySet;
    try {
      // With a configured endpoint (a stand-in), the keys come from that endpoint, whichever of the
      // expected issuers the token names: a stand-in may issue AWS-looking issuers it cannot serve.
      const base = expected.endpoint ? `${expected.endpoint.replace(/\/+$/, '')}/${expected.userPoolId}` : issuer;
      keys = await this.keySet(`${base}/.well-known/jwks.json`);
    } catch (error) {
      return { signature: 'unchecked', claims, reason: `could not read the pool's keys: ${(error as Error).message}` };
    }
    // The signature is jose's jwtVerify against the key set (core/tokens.ts); expiry is not part
    // of it (an expired but genuine token is still genuine; the identity pool reports expiry).
    const verified = await verifyTokenSignature(token, keys);
    if (verified.status !== 'verified') return { signature: 'failed', claims, reason: verified.reason ?? 'signature check failed' };
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (expected.clientId && !aud.includes(expected.clientId)) {
      return { signature: 'failed', claims, reason: `the token is for client ${JSON.stringify(claims.aud)}, not ${expected.clientId}` };
    }
    return { signature: 'verified', claims };
  }

  /**
   * An OIDC provider's ID token (cognito-semantics.md section 6: the Logins key is the provider's
   * host and path). The issuer must be `https://<provider>`; the keys come from the jwks_uri of that
   * issuer's discovery document (`<issuer>/.well-known/openid-configuration`), or, for a stand-in,
   * from `<endpoint>/<provider>/.well-known/openid-configuration`. The audience is the IAM OIDC
   * provider's client id list, which the scan does not read: the identity pool checks it.
   */
  async verifyOidcToken(token: string, expected: { provider: string; endpoint?: string }): Promise<TokenCheck> {
    let claims: Record<string, unknown>;
    try {
      claims = decodeToken(token).claims;
    } catch (error) {
      return { signature: 'failed', claims: {}, reason: `not a JWT: ${(error as Error).message}` };
    }
    const issuer = typeof claims.iss === 'string' ? claims.iss : '';
    const wanted = `https://${expected.provider}`;
    if (issuer.replace(/\/+$/, '') !== wanted) return { signature: 'failed', claims, reason: `issuer ${JSON.stringify(issuer)} is not ${JSON.stringify(wanted)} (the identity pool's Logins key ${expected.provider})` };
    let keys: JSONWebKeySet;
    try {
      const base = expected.endpoint ? `${expected.endpoint.replace(/\/+$/, '')}/${expected.provider}` : wanted;
      const discovery = await this.fetchJson(`${base}/.well-known/openid-configuration`) as { jwks_uri?: unknown } | null;
      const jwksUri = discovery && typeof discovery.jwks_uri === 'string' ? discovery.jwks_uri : `${base}/.well-known/jwks.json`;
      keys = await this.keySet(jwksUri);
    } catch (error) {
      return { signature: 'unchecked', claims, reason: `could not read the provider's keys: ${(error as Error).message}` };
    }
    const verified = await verifyTokenSignature(token, keys);
    if (verified.status !== 'verified') return { signature: 'failed', claims, reason: verified.reason ?? 'signature check failed' };
    return { signature: 'verified', claims };
  }
}
