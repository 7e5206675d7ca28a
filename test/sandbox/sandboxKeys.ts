// The sandbox's own signing keys, and JWTs signed with node:crypto:
// - userPool: re-signs the user pools' ID tokens once the gateway has put real cognito:roles /
//   cognito:preferred_role into them (userPoolTokens.ts); served in each pool's JWKS next to
//   cognito-local's own key, so tokens of either kind verify.
// - oidc: the sandbox's OIDC provider https://login.sandbox.test (mintOidcToken).
// - cognitoIdentity: GetOpenIdToken's tokens (basic flow), checked by STS AssumeRoleWithWebIdentity.
// They live in <dataDir>/sandbox-keys.json (private JWKs, mode 0600), written at the first start
// of a data dir and read again later, so `npm run sandbox` and mintOidcToken.ts share them.

import { createPrivateKey, createPublicKey, generateKeyPair, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export type JwtAlg = 'RS256' | 'RS512';
export interface SigningKey { kid: string; alg: JwtAlg; privateKey: KeyObject; publicKey: KeyObject; publicJwk: PublicJwk }
export interface PublicJwk { kty: string; n: string; e: string; kid: string; alg: JwtAlg; use: 'sig' }
export interface SandboxKeys { userPool: SigningKey; oidc: SigningKey; cognitoIdentity: SigningKey }
export interface Jwks { keys: object[] }

export const KEYS_FILE = 'sandbox-keys.json';
// Cognito Identity signs its OpenID tokens with RS512 (a decoded token shows "alg": "RS512",
// "typ": "JWS"); user pools and typical OIDC providers use RS256.
const SPECS: Record<keyof SandboxKeys, { kid: string; alg: JwtAlg }> = {
  userPool: { kid: 'sandbox-user-pools-1', alg: 'RS256' },
  oidc: { kid: 'sandbox-oidc-1', alg: 'RS256' },
  cognitoIdentity: { kid: 'eu-central-1-sandbox-1', alg: 'RS512' },
};

const generate = promisify(generateKeyPair);

function signingKey(name: keyof SandboxKeys, privateJwk: JsonWebKey): SigningKey {
  const { kid, alg } = SPECS[name];
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const pub = publicKey.export({ format: 'jwk' });
  return { kid, alg, privateKey, publicKey, publicJwk: { kty: 'RSA', n: String(pub.n), e: String(pub.e), kid, alg, use: 'sig' } };
}

/** The data dir's keys, made (and saved) when it has none yet. */
export async function loadOrCreateKeys(dataDir: string): Promise<SandboxKeys> {
  const file = join(dataDir, KEYS_FILE);
  let stored: Partial<Record<keyof SandboxKeys, JsonWebKey>> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
  const names = Object.keys(SPECS) as (keyof SandboxKeys)[];
  const missing = names.filter((n) => !stored[n]);
  if (missing.length > 0) {
    await Promise.all(missing.map(async (n) => {
      const { privateKey } = await generate('rsa', { modulusLength: 2048 });
      stored[n] = privateKey.export({ format: 'jwk' });
    }));
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return Object.fromEntries(names.map((n) => [n, signingKey(n, stored[n] as JsonWebKey)])) as unknown as SandboxKeys;
}

/** The keys of a data dir that already has them (mintOidcToken.ts); a clear error otherwise. */
export function readKeys(dataDir: string): SandboxKeys {
  const file = join(dataDir, KEYS_FILE);
  if (!existsSync(file)) throw new Error(`no ${KEYS_FILE} in ${dataDir}: start the sandbox with that data dir first (npm run sandbox)`);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<keyof SandboxKeys, JsonWebKey>;
  return Object.fromEntries((Object.keys(SPECS) as (keyof SandboxKeys)[]).map((n) => [n, signingKey(n, stored[n])])) as unknown as SandboxKeys;
}

const b64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS: header {alg, kid, typ} + payload, signed with RSASSA-PKCS1-v1_5 (RS256 / RS512). */
export function signJwt(key: SigningKey, payload: Record<string, unknown>, typ = 'JWT'): string {
  const input = `${b64url({ kid: key.kid, typ, alg: key.alg })}.${b64url(payload)}`;
  const signature = sign(key.alg === 'RS512' ? 'sha512' : 'sha256', Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

/** A JWT's parts without checking anything (the gateway re-signs tokens cognito-local just issued). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  const parse = (part: string | undefined): Record<string, unknown> => JSON.parse(Buffer.from(part ?? '', 'base64url').toString()) as Record<string, unknown>;
  return { header: parse(h), payload: parse(p) };
}

export const jwksOf = (...keys: (PublicJwk | object)[]): Jwks => ({ keys });
