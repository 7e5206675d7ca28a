// The basic (classic) flow's second half, STS AssumeRoleWithWebIdentity (unsigned, Query
// protocol): the client presents the OpenID token GetOpenIdToken gave it and names any role; STS
// checks the token (the sandbox's Cognito Identity key) and the role's trust policy in the web
// identity context (cognito-identity.amazonaws.com:aud = the token's aud, the identity pool;
// :sub = the identity id; :amr = the token's amr), and returns credentials of that role, without
// Cognito's role mappings or session policy (cognito-semantics.md section 6, basic flow).
// Errors as STS gives them: AccessDenied 403 "Not authorized to perform
// sts:AssumeRoleWithWebIdentity" (trust refuses, or no such role: STS does not tell them apart),
// InvalidIdentityToken "The ID Token provided is not a valid JWT. (You may see this error if you
// sent an Access Token)" (amplify-js issue 9704 shows both), ExpiredTokenException "Token
// expired: current date/time <now> must be before the expiration date/time<exp>". The wording
// for a bad signature or an unknown issuer is inferred.
// STS federation with other OIDC providers (a role trusting oidc-provider/login.sandbox.test
// directly) is not emulated: only Cognito Identity's tokens are accepted.

import { verify } from 'node:crypto';
import { trustAllows } from './authorize.ts';
import type { CredentialStore } from './credentials.ts';
import type { IamStore } from './iamStore.ts';
import { decodeJwt, type SigningKey } from './sandboxKeys.ts';
import { COGNITO_IDENTITY_ISSUER } from './seed.ts';
import { queryError, queryReply, type Reply } from './wire.ts';

export interface WebIdentityDeps {
  accountId: string;
  /** The key GetOpenIdToken signs with (sandboxKeys.ts cognitoIdentity). */
  key: SigningKey;
  iam: IamStore;
  credentials: CredentialStore;
  log: (line: string) => void;
}

/** Checks a compact JWS against one key (RS256 / RS512); false for anything that does not verify. */
export function verifyJwt(token: string, key: SigningKey): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    const { header } = decodeJwt(token);
    if (header.alg !== key.alg || (header.kid !== undefined && header.kid !== key.kid)) return false;
    return verify(key.alg === 'RS512' ? 'sha512' : 'sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key.publicKey, Buffer.from(parts[2] ?? '', 'base64url'));
  } catch {
    return false;
  }
}

const sts = (code: string, message: string, status = 400): Reply => queryError('sts', code, message, status);

export class WebIdentitySts {
  constructor(private readonly deps: WebIdentityDeps) {}

  async assumeRoleWithWebIdentity(params: URLSearchParams): Promise<Reply> {
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    const token = params.get('WebIdentityToken') ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      return sts('ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
    }
    const duration = Number(params.get('DurationSeconds') ?? 3600);
    if (!Number.isInteger(duration) || duration < 900) {
      return sts('ValidationError', `1 validation error detected: Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
    }
    if (duration > 3600) return sts('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(token).payload;
    } catch {
      return sts('InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
    }
    if (claims.iss !== COGNITO_IDENTITY_ISSUER) {
      return sts('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${String(claims.iss)}`);
    }
    if (!verifyJwt(token, this.deps.key)) return sts('InvalidIdentityToken', 'The web identity token\'s signature could not be verified.');
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= now) {
      return sts('ExpiredTokenException', `Token expired: current date/time ${now} must be before the expiration date/time${String(claims.exp)}`);
    }
    const identityId = String(claims.sub ?? '');
    const identityPoolId = String(claims.aud ?? '');
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    const role = this.deps.iam.roleByArn(roleArn);
    if (!role || !(await trustAllows(role, this.deps.accountId, identityId, identityPoolId, amr))) {
      this.deps.log(`[sts] AssumeRoleWithWebIdentity refused ${roleArn} for ${identityId} of ${identityPoolId}: ${role ? 'the trust policy does not allow it' : 'no such role'}`);
      return sts('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    }
    const s = this.deps.credentials.issue(this.deps.accountId, role.Arn, identityId, identityPoolId, amr, undefined, { sessionName, ttlSeconds: duration });
    this.deps.log(`[sts] AssumeRoleWithWebIdentity issued ${s.accessKeyId} as ${s.arn} (basic flow, ${identityPoolId})`);
    return queryReply('sts', 'AssumeRoleWithWebIdentity', {
      Credentials: { AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, SessionToken: s.sessionToken, Expiration: s.expiration.toISOString() },
      SubjectFromWebIdentityToken: identityId,
      AssumedRoleUser: { AssumedRoleId: s.userId, Arn: s.arn },
      // "For OpenID Connect ID tokens, this contains the value of the iss field" (STS API reference).
      Provider: COGNITO_IDENTITY_ISSUER,
      Audience: identityPoolId,
    });
  }
}
