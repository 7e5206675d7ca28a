// The sandbox's own signing keys, and JWTs signed with node:crypto:
// - userPool: re-signs the user pools' ID tokens once the gateway has put real cognito:roles /
//   cognito:preferred_role into them (userPoolTokens.ts); served in each pool's JWKS next to
//   cognito-local's own key, so tokens of either kind verify.
// - oidc: the sandbox's OIDC provider https://login.sandbox.test (mintOidcToken).
// - cognitoIdentity: GetOpenIdToken's tokens (basic flow), checked by STS AssumeRoleWithWebIdentity.
// The keys are the seed's (seedKeys.json: sandbox-only, like the seed's passwords; fixed, so no
// start pays for RSA key generation and a token minted from the command line is valid in any
// sandbox). Each start writes them to <dataDir>/sandbox-keys.json unless that file exists already,
// in which case its keys are used (replace it to use keys of your own).

import { createPrivateKey, createPublicKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

function signingKey(name: keyof SandboxKeys, privateJwk: JsonWebKey): SigningKey {
  const { kid, alg } = SPECS[name];
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const pub = publicKey.export({ format: 'jwk' });
  return { kid, alg, privateKey, publicKey, publicJwk: { kty: 'RSA', n: String(pub.n), e: String(pub.e), kid, alg, use: 'sig' } };
}

type StoredKeys = Record<keyof SandboxKeys, JsonWebKey>;
const NAMES = Object.keys(SPECS) as (keyof SandboxKeys)[];
const seedKeys = (): StoredKeys => JSON.parse(readFileSync(join(__dirname, 'seedKeys.json'), 'utf8')) as StoredKeys;
const asKeys = (stored: StoredKeys): SandboxKeys =>
  Object.fromEntries(NAMES.map((n) => [n, signingKey(n, stored[n])])) as unknown as SandboxKeys;

/** The data dir's keys: its sandbox-keys.json, written from the seed's keys when it has none yet. */
export function keysForDataDir(dataDir: string): SandboxKeys {
  const file = join(dataDir, KEYS_FILE);
  if (existsSync(file)) return asKeys(JSON.parse(readFileSync(file, 'utf8')) as StoredKeys);
  const stored = seedKeys();
  writeFileSync(file, JSON.stringify(Object.fromEntries(NAMES.map((n) => [n, stored[n]])), null, 2), { mode: 0o600 });
  return asKeys(stored);
}

/** The keys a data dir's sandbox signs with, without writing anything (mintOidcToken.ts): its file, else the seed's. */
export function readKeys(dataDir?: string): SandboxKeys {
  const file = dataDir ? join(dataDir, KEYS_FILE) : undefined;
  return asKeys(file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as StoredKeys : seedKeys());
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
