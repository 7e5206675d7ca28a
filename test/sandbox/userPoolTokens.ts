// ID tokens with real role claims. cognito-local's tokens carry `cognito:groups` but never
// `cognito:roles` / `cognito:preferred_role`, so every sign-in answer that passes through the
// gateway (InitiateAuth, RespondToAuthChallenge, AdminInitiateAuth, AdminRespondToAuthChallenge,
// REFRESH_TOKEN_AUTH included) has its ID token rewritten and re-signed with the sandbox's own key
// (sandboxKeys.ts, served in the pool's JWKS next to cognito-local's):
// - cognito:roles: the RoleArns of the user's groups; cognito:preferred_role: the role of the
//   group with the lowest precedence, none when that precedence ties between different roles
//   (cognito-semantics.md section 1; roleChoice.ts roleClaimsFromGroups).
// - A pool with a pre token generation trigger (books-trigger) gets what the trigger "returns":
//   `setOverride(poolId, { groups, roles, preferredRole, claims })`, as a V2_0 trigger's
//   claimsAndScopeOverrideDetails.groupOverrideDetails {groupsToOverride, iamRolesToOverride,
//   preferredRole} and idTokenGeneration.claimsToAddOrOverride (developer guide,
//   user-pool-lambda-pre-token-generation; @types/aws-lambda pre-token-generation-v2). With V2_0,
//   groupsToOverride applies to the access token's cognito:groups too, so that one is re-signed
//   as well (cognito-local only decodes access tokens, it never checks their signature).
// Tokens still signed by cognito-local (a client that holds an old one) verify too; the identity
// handler derives their role claims the same way (roleClaimsFor).

import { roleClaimsFromGroups, type GroupInfo, type RoleClaims } from './roleChoice.ts';
import { decodeJwt, signJwt, type SigningKey } from './sandboxKeys.ts';
import { TRIGGER_LAMBDA_CONFIG, TRIGGER_USER_POOL_ID } from './seed.ts';
import { jsonReply, type Reply } from './wire.ts';

/** What the emulated pre token generation trigger returns for every token of its pool. */
export interface TokenOverride {
  /** groupsToOverride: replaces cognito:groups (ID and, for V2_0, access token). */
  groups?: string[];
  /** iamRolesToOverride: replaces cognito:roles. */
  roles?: string[];
  /** preferredRole: replaces cognito:preferred_role; null removes it. */
  preferredRole?: string | null;
  /** claimsToAddOrOverride of the ID token (reserved claims such as sub, aud, iss are left alone, as Cognito does). */
  claims?: Record<string, string>;
}

/** The pools with a trigger, and its version (seed: books-trigger, V2_0). */
const TRIGGERS: ReadonlyMap<string, string> = new Map([[TRIGGER_USER_POOL_ID, TRIGGER_LAMBDA_CONFIG.PreTokenGenerationConfig.LambdaVersion]]);
// The claims a trigger cannot change (cognito-local's list, which follows the developer guide).
const RESERVED = new Set(['acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'cognito:username', 'exp', 'iat', 'identities', 'iss', 'jti',
  'nbf', 'nonce', 'origin_jti', 'sub', 'token_use']);

export interface PoolRoleClaims extends RoleClaims { groups: string[] }

export class UserPoolTokens {
  private readonly overrides = new Map<string, TokenOverride>();

  constructor(private readonly key: SigningKey, private readonly cognitoLocalUrl: string, private readonly log: (line: string) => void) {}

  /** Sets (or with undefined clears) what the pool's trigger returns; a pool without a trigger has none to emulate. */
  setOverride(userPoolId: string, override: TokenOverride | undefined): void {
    if (!TRIGGERS.has(userPoolId)) {
      throw new Error(`user pool ${userPoolId} has no pre token generation trigger (LambdaConfig): only ${[...TRIGGERS.keys()].join(', ')} can override token claims`);
    }
    if (override) this.overrides.set(userPoolId, structuredClone(override));
    else this.overrides.delete(userPoolId);
  }

  /** The user's groups as cognito-local knows them (with precedence and role). */
  async groupsOf(userPoolId: string, username: string): Promise<GroupInfo[]> {
    const response = await fetch(this.cognitoLocalUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminListGroupsForUser' },
      body: JSON.stringify({ UserPoolId: userPoolId, Username: username }),
    });
    return ((await response.json()) as { Groups?: GroupInfo[] }).Groups ?? [];
  }

  /** cognito:groups / roles / preferred_role as Cognito would issue them now, the pool's trigger applied. */
  async roleClaimsFor(userPoolId: string, username: string): Promise<PoolRoleClaims> {
    const groups = await this.groupsOf(userPoolId, username);
    const derived = roleClaimsFromGroups(groups);
    const claims: PoolRoleClaims = { groups: groups.map((g) => g.GroupName), roles: derived.roles, ...(derived.preferred ? { preferred: derived.preferred } : {}) };
    const o = this.overrides.get(userPoolId);
    if (!o) return claims;
    if (o.groups) claims.groups = [...o.groups];
    if (o.roles) claims.roles = [...o.roles];
    if (o.preferredRole === null) delete claims.preferred;
    else if (o.preferredRole !== undefined) claims.preferred = o.preferredRole;
    return claims;
  }

  /** A sign-in answer with its ID token (and, for a V2_0 trigger's group override, access token) re-issued. */
  async reissue(reply: Reply): Promise<Reply> {
    if (reply.status !== 200 || !reply.body.includes('"IdToken"')) return reply;
    const body = JSON.parse(reply.body) as { AuthenticationResult?: { IdToken?: string; AccessToken?: string } };
    const result = body.AuthenticationResult;
    if (!result?.IdToken) return reply;
    const { payload } = decodeJwt(result.IdToken);
    const iss = String(payload.iss ?? '');
    const userPoolId = iss.slice(iss.lastIndexOf('/') + 1);
    const username = String(payload['cognito:username'] ?? '');
    const claims = await this.roleClaimsFor(userPoolId, username);
    const o = this.overrides.get(userPoolId);
    const id: Record<string, unknown> = { ...payload };
    for (const [k, v] of Object.entries(o?.claims ?? {})) if (!RESERVED.has(k)) id[k] = v;
    delete id['cognito:groups'];
    delete id['cognito:roles'];
    delete id['cognito:preferred_role'];
    // Real tokens: groups and roles are JSON arrays, absent when empty.
    if (claims.groups.length > 0) id['cognito:groups'] = claims.groups;
    if (claims.roles.length > 0) id['cognito:roles'] = claims.roles;
    if (claims.preferred) id['cognito:preferred_role'] = claims.preferred;
    result.IdToken = signJwt(this.key, id);
    if (o?.groups && result.AccessToken && TRIGGERS.get(userPoolId) !== 'V1_0') {
      const access: Record<string, unknown> = { ...decodeJwt(result.AccessToken).payload };
      delete access['cognito:groups'];
      if (o.groups.length > 0) access['cognito:groups'] = o.groups;
      result.AccessToken = signJwt(this.key, access);
    }
    this.log(`[cognito-idp] ID token of ${username} re-signed with cognito:roles [${claims.roles.join(', ')}], `
      + `preferred ${claims.preferred ?? '(none)'}${o ? ' (the pre token generation trigger\'s override applied)' : ''}`);
    return { ...jsonReply('cognito-idp', body, reply.status), headers: { ...reply.headers, 'content-type': reply.headers['content-type'] ?? 'application/x-amz-json-1.1' } };
  }
}
