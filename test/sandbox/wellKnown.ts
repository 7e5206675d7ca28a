// The discovery documents and key sets the gateway serves (GET), for anyone verifying tokens:
// - /<UserPoolId>/.well-known/jwks.json: cognito-local's key and the sandbox's re-signing key
//   (userPoolTokens.ts), so both kinds of ID token verify; /<UserPoolId>/.well-known/openid-configuration
//   with the AWS-looking issuer https://cognito-idp.<region>.amazonaws.com/<UserPoolId> and a
//   jwks_uri on this gateway (cognito-local's own document names http://localhost:9229).
// - /login.sandbox.test/.well-known/openid-configuration and .../jwks.json: the sandbox's OIDC
//   provider (issuer https://login.sandbox.test, the path stands in for that host).
// - /.well-known/openid-configuration and /.well-known/jwks_uri: Cognito Identity's (the basic
//   flow's OpenID tokens), as https://cognito-identity.amazonaws.com publishes them.

import { jwksOf, type Jwks, type SandboxKeys } from './sandboxKeys.ts';
import { COGNITO_IDENTITY_ISSUER, OIDC_HOST, OIDC_ISSUER } from './seed.ts';
import type { RawRequest } from './sigv4.ts';
import type { Reply } from './wire.ts';

export interface WellKnownDeps {
  region: string;
  keys: SandboxKeys;
  userPoolJwks: () => Promise<Jwks>;
}

const json = (value: unknown): Reply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

/** The answer for a GET of a discovery document or key set, or undefined when the path is none of them. */
export async function wellKnown(raw: RawRequest, deps: WellKnownDeps): Promise<Reply | undefined> {
  if (raw.method !== 'GET') return undefined;
  const path = new URL(raw.url, 'http://gateway').pathname;
  const base = `http://${String(raw.headers.host ?? '127.0.0.1')}`;
  if (path === `/${OIDC_HOST}/.well-known/jwks.json`) return json(jwksOf(deps.keys.oidc.publicJwk));
  if (path === `/${OIDC_HOST}/.well-known/openid-configuration`) {
    return json({
      issuer: OIDC_ISSUER, jwks_uri: `${base}/${OIDC_HOST}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['id_token'], subject_types_supported: ['public'],
      scopes_supported: ['openid'], claims_supported: ['sub', 'aud', 'iss', 'exp', 'iat'],
    });
  }
  if (path === '/.well-known/jwks_uri') return json(jwksOf(deps.keys.cognitoIdentity.publicJwk));
  if (path === '/.well-known/openid-configuration') {
    return json({
      issuer: COGNITO_IDENTITY_ISSUER, jwks_uri: `${base}/.well-known/jwks_uri`,
      id_token_signing_alg_values_supported: ['RS512'], response_types_supported: ['id_token'], subject_types_supported: ['public'],
    });
  }
  const pool = /^\/([\w-]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
  if (!pool) return undefined;
  if (pool[2] === 'jwks.json') return json(await deps.userPoolJwks());
  return json({
    issuer: `https://cognito-idp.${deps.region}.amazonaws.com/${pool[1]}`, jwks_uri: `${base}/${pool[1]}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['code', 'token'], subject_types_supported: ['public'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
  });
}
