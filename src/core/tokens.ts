// Cognito ID and access tokens: decoding (header and claims) and the cognito:* claims, with jose.
// A malformed token gives a TokenError with a plain message, never an exception trace.
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, ProtectedHeaderParameters } from 'jose';
import { claimList, regionOfUserPoolId } from './claims.ts';

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export type TokenUse = 'id' | 'access' | 'unknown';

export interface DecodedToken {
  header: ProtectedHeaderParameters;
  claims: JWTPayload & Record<string, unknown>;
  tokenUse: TokenUse;
  /** `cognito:groups`, [] when absent. */
  groups: string[];
  /** `cognito:roles`, from a JSON array or a comma-separated string; [] when absent. */
  roles: string[];
  /** `cognito:preferred_role`, null when absent. */
  preferredRole: string | null;
  /** Issuer and the user pool it names, when it is a Cognito issuer (AWS's or a local stand-in's). */
  issuer: string | null;
  userPoolId: string | null;
  region: string | null;
  /** The app client id: `aud` in ID tokens, `client_id` in access tokens. */
  clientId: string | null;
  /** Expiry as a Date, null when the token has no `exp`. */
  expiresAt: Date | null;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Decodes a JWT without verifying it. Throws TokenError when the text is not a JWT. */
export function decodeToken(token: string): DecodedToken {
  const text = token.trim();
  if (text.length === 0) throw new TokenError('The token is empty.');
  if (!JWT_SHAPE.test(text)) {
    const parts = text.split('.').length;
    throw new TokenError(
      parts !== 3
        ? `The token is not a JWT: expected three dot-separated parts, found ${parts}.`
        : 'The token is not a JWT: its parts must be base64url text.',
    );
  }
  let header: ProtectedHeaderParameters;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(text);
  } catch {
    throw new TokenError('The token header is not valid base64url-encoded JSON.');
  }
  try {
    claims = decodeJwt(text);
  } catch {
    throw new TokenError('The token payload is not valid base64url-encoded JSON.');
  }
  return describeClaims(header, claims as JWTPayload & Record<string, unknown>);
}

/** Reads the cognito:* claims and the token's identity from decoded claims. */
export function describeClaims(header: ProtectedHeaderParameters, claims: JWTPayload & Record<string, unknown>): DecodedToken {
  const use = claims['token_use'];
  const tokenUse: TokenUse = use === 'id' || use === 'access' ? use : 'unknown';
  const issuer = typeof claims.iss === 'string' ? claims.iss : null;
  const pool = issuer ? userPoolFromIssuer(issuer) : null;
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  const clientId = tokenUse === 'access' ? stringOrNull(claims['client_id']) : (stringOrNull(aud) ?? stringOrNull(claims['client_id']));
  return {
    header,
    claims,
    tokenUse,
    groups: claimList(claims['cognito:groups']),
    roles: claimList(claims['cognito:roles']),
    preferredRole: stringOrNull(claims['cognito:preferred_role']),
    issuer,
    userPoolId: pool?.userPoolId ?? null,
    region: pool?.region ?? null,
    clientId,
    expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
  };
}

/**
 * The user pool an issuer names. AWS: `https://cognito-idp.<region>.amazonaws.com/<poolId>`.
 * Local stand-ins (cognito-local) use `http://host:port/<poolId>`: the pool id is the last path
 * segment and its region prefix (`<region>_...`) gives the region when present.
 */
export function userPoolFromIssuer(issuer: string): { region: string | null; userPoolId: string } | null {
  const aws = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([^/]+)$/.exec(issuer);
  if (aws) return { region: aws[1]!, userPoolId: aws[2]! };
  const local = /^https?:\/\/[^/]+\/([^/]+)\/?$/.exec(issuer);
  if (!local) return null;
  const userPoolId = local[1]!;
  const region = regionOfUserPoolId(userPoolId);
  return { region, userPoolId };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export type SignatureStatus = 'verified' | 'failed' | 'unchecked';

export interface VerifyResult {
  status: SignatureStatus;
  /** Why verification failed, for people. */
  reason?: string;
}

/**
 * Verifies a token's signature against a JWKS (the pool's `/.well-known/jwks.json`). Expiry is
 * reported separately by the caller, so an expired but genuine token still shows "verified".
 */
export async function verifyTokenSignature(token: string, jwks: JSONWebKeySet, now: Date = new Date()): Promise<VerifyResult> {
  let keySet;
  try {
    keySet = createLocalJWKSet(jwks);
  } catch {
    return { status: 'failed', reason: 'The JWKS is not a valid key set.' };
  }
  try {
    // currentDate far in the past of exp is not wanted; clockTolerance covers expiry so only the signature decides.
    await jwtVerify(token.trim(), keySet, { currentDate: now, clockTolerance: Number.MAX_SAFE_INTEGER });
    return { status: 'verified' };
  } catch (error) {
    return { status: 'failed', reason: describeJoseError(error) };
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'No key in the pool\'s JWKS matches the token\'s key id (kid).';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The signature does not match the pool\'s key.';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'The token is not a valid signed JWT.';
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) {
    return 'The token\'s algorithm is not supported by the key.';
  }
  return error instanceof Error ? error.message : String(error);
}

/** Seconds until expiry (negative when expired), or null when the token has no exp. */
export function secondsUntilExpiry(token: DecodedToken, now: Date = new Date()): number | null {
  return token.expiresAt ? Math.floor((token.expiresAt.getTime() - now.getTime()) / 1000) : null;
}
