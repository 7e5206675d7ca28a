// Cognito Identity (JSON 1.1, target prefix AWSCognitoIdentityService): the pools, GetId and
// GetCredentialsForIdentity in the enhanced flow, with Cognito's checks in Cognito's order
// and its exact error codes and messages (cognito-semantics.md sections 2 and 5).
// Guests: in a pool with AllowUnauthenticatedIdentities, GetId without Logins creates a new
// unauthenticated identity, and GetCredentialsForIdentity without Logins gives it a session of
// the pool's unauthenticated role (amr ["unauthenticated"], trust checked like any role), carrying
// Cognito's guest scope-down session policy (guestSessionPolicy.ts), which the authorizer
// intersects with the role's policies. Not implemented: linking a login to a guest identity.

import { randomUUID } from 'node:crypto';
import { authorizeSession, trustAllows } from './authorize.ts';
import { GUEST_SESSION_POLICY, GUEST_SESSION_POLICY_ARN } from './guestSessionPolicy.ts';
import type { Caller, CredentialStore, IssuedSession } from './credentials.ts';
import type { IamStore } from './iamStore.ts';
import { chooseRole, roleClaimsFromGroups, rolesClaim, type GroupInfo, type RoleClaims } from './roleChoice.ts';
import { IDENTITY_POOLS, REGION, SEED_IDENTITIES, USERS } from './seed.ts';
import { LoginError, TokenVerifier, type Claims } from './tokens.ts';
import { jsonError, jsonReply, type Reply } from './wire.ts';

type Pool = (typeof IDENTITY_POOLS)[number];
type Body = Record<string, unknown>;
/** providerName and sub are '' for a guest (unauthenticated) identity. */
interface Identity { identityId: string; poolId: string; providerName: string; sub: string; guest?: boolean }

export interface IdentityDeps {
  accountId: string;
  credentials: CredentialStore;
  iam: IamStore;
  /** Base URL of cognito-local (for the JWKS and the user's groups). */
  cognitoLocalUrl: string;
  log: (line: string) => void;
}

const fail = (code: string, message: string): Reply => jsonError('cognito-identity', code, message);

export class IdentityService {
  private readonly identities = new Map<string, Identity>();
  private readonly tokens: TokenVerifier;

  constructor(private readonly deps: IdentityDeps) {
    this.tokens = new TokenVerifier((pool) => `${deps.cognitoLocalUrl}/${pool}/.well-known/jwks.json`);
    for (const s of SEED_IDENTITIES) {
      const pool = IDENTITY_POOLS.find((p) => p.IdentityPoolId === s.identityPoolId);
      const user = USERS.find((u) => u.Username === s.username);
      if (!pool || !user) throw new Error(`seed: bad identity ${s.identityId}`);
      const providerName = pool.CognitoIdentityProviders[0].ProviderName;
      this.identities.set(s.identityId, { identityId: s.identityId, poolId: pool.IdentityPoolId, providerName, sub: user.sub });
    }
  }

  async handle(operation: string, body: Body, caller: Caller | undefined): Promise<Reply> {
    try {
      switch (operation) {
        case 'GetId': return await this.getId(body);
        case 'GetCredentialsForIdentity': return await this.getCredentials(body);
        case 'ListIdentityPools': return await this.admin(caller, operation, '*', () => this.listPools(body));
        case 'DescribeIdentityPool': return await this.admin(caller, operation, String(body.IdentityPoolId), () => describe(this.pool(body)));
        case 'GetIdentityPoolRoles': return await this.admin(caller, operation, String(body.IdentityPoolId), () => {
          const p = this.pool(body);
          return { IdentityPoolId: p.IdentityPoolId, Roles: p.Roles, RoleMappings: p.RoleMappings };
        });
        default: return fail('UnknownOperationException', `The sandbox does not implement ${operation}.`);
      }
    } catch (e) {
      if (e instanceof LoginError) return fail(e.code, e.message);
      throw e;
    }
  }

  private pool(body: Body): Pool {
    const pool = IDENTITY_POOLS.find((p) => p.IdentityPoolId === body.IdentityPoolId);
    if (!pool) throw new LoginError('ResourceNotFoundException', `IdentityPool '${String(body.IdentityPoolId)}' not found.`);
    return pool;
  }

  /** Pool-management calls need signed credentials; issued ones must be allowed by their role. */
  private async admin(caller: Caller | undefined, operation: string, poolId: string, answer: () => unknown): Promise<Reply> {
    if (!caller) return fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (caller.kind === 'issued') {
      const resource = poolId === '*' ? '*' : `arn:aws:cognito-identity:${REGION}:${this.deps.accountId}:identitypool/${poolId}`;
      const d = await authorizeSession(this.deps.iam, caller, this.deps.accountId, { action: `cognito-identity:${operation}`, resource });
      if (!d.allowed) return fail('AccessDeniedException', d.message);
    }
    return jsonReply('cognito-identity', answer());
  }

  private listPools(body: Body): unknown {
    const max = Number(body.MaxResults ?? 60);
    if (!(max >= 1 && max <= 60)) throw new LoginError('InvalidParameterException', '1 validation error detected: Value at \'maxResults\' failed to satisfy constraint: Member must have value less than or equal to 60');
    const start = body.NextToken ? Number(body.NextToken) : 0;
    const page = IDENTITY_POOLS.slice(start, start + max).map((p) => ({ IdentityPoolId: p.IdentityPoolId, IdentityPoolName: p.IdentityPoolName }));
    const next = start + max < IDENTITY_POOLS.length ? String(start + max) : undefined;
    return { IdentityPools: page, NextToken: next };
  }

  /** The one valid login of the Logins map for this pool, checked in Cognito's order; null for a guest (no Logins, guests allowed). */
  private async login(pool: Pool, logins: unknown): Promise<{ providerName: string; clientId: string; claims: Claims } | null> {
    const entries = Object.entries((logins ?? {}) as Record<string, string>);
    if (entries.length === 0) {
      if (!pool.AllowUnauthenticatedIdentities) throw new LoginError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
      return null;
    }
    for (const [providerName, token] of entries) {
      const claims = await this.tokens.verify(providerName, token);
      const clientId = String(claims.aud);
      if (pool.CognitoIdentityProviders.some((p) => p.ProviderName === providerName && p.ClientId === clientId)) {
        return { providerName, clientId, claims };
      }
    }
    throw new LoginError('NotAuthorizedException', 'Token is not from a supported provider of this identity pool.');
  }

  private async getId(body: Body): Promise<Reply> {
    const pool = this.pool(body);
    const login = await this.login(pool, body.Logins);
    if (!login) {
      // Every guest GetId makes a new identity (the client is expected to keep its id).
      const guest: Identity = { identityId: `${REGION}:${randomUUID()}`, poolId: pool.IdentityPoolId, providerName: '', sub: '', guest: true };
      this.identities.set(guest.identityId, guest);
      return jsonReply('cognito-identity', { IdentityId: guest.identityId });
    }
    const { providerName, claims } = login;
    const sub = String(claims.sub);
    let identity = [...this.identities.values()].find((i) => i.poolId === pool.IdentityPoolId && i.providerName === providerName && i.sub === sub);
    if (!identity) {
      identity = { identityId: `${REGION}:${randomUUID()}`, poolId: pool.IdentityPoolId, providerName, sub };
      this.identities.set(identity.identityId, identity);
    }
    return jsonReply('cognito-identity', { IdentityId: identity.identityId });
  }

  private async getCredentials(body: Body): Promise<Reply> {
    const identityId = String(body.IdentityId);
    const identity = this.identities.get(identityId);
    if (!identity) return fail('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    const noLogins = !body.Logins || Object.keys(body.Logins).length === 0;
    if (identity.guest && noLogins) return this.guestCredentials(identity);
    if (noLogins) return fail('NotAuthorizedException', `Access to Identity '${identityId}' is forbidden.`);
    const pool = this.pool({ IdentityPoolId: identity.poolId });
    const login = await this.login(pool, body.Logins);
    if (!login || identity.guest) {
      // Logins for a guest identity would link them (not implemented): the login does not match it.
      return fail('NotAuthorizedException', 'Logins don\'t match. Please include at least one valid login for this identity or identity pool.');
    }
    const { providerName, clientId, claims } = login;
    if (providerName !== identity.providerName || String(claims.sub) !== identity.sub) {
      return fail('NotAuthorizedException', 'Logins don\'t match. Please include at least one valid login for this identity or identity pool.');
    }
    const roleClaims = await this.roleClaims(providerName, claims);
    const customRoleArn = typeof body.CustomRoleArn === 'string' ? body.CustomRoleArn : undefined;
    const choice = chooseRole(pool, providerName, clientId, claims, roleClaims, customRoleArn);
    if ('code' in choice) return fail(choice.code, choice.message);
    const amr = ['authenticated', providerName, `${providerName}:CognitoSignIn:${identity.sub}`];
    // Cognito calls STS AssumeRoleWithWebIdentity; any refusal there looks like this to the caller.
    const role = this.deps.iam.roleByArn(choice.roleArn);
    if (!role || !(await trustAllows(role, this.deps.accountId, identityId, pool.IdentityPoolId, amr))) {
      this.deps.log(`[cognito-identity] STS would refuse ${choice.roleArn} for ${identityId}: ${role ? 'trust policy does not allow' : 'no such role'}`);
      return fail('InvalidIdentityPoolConfigurationException', 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
    }
    return this.issue(identityId, role, pool.IdentityPoolId, amr);
  }

  /** A guest identity's credentials: the unauthenticated role, amr ["unauthenticated"], the guest session policy. */
  private async guestCredentials(identity: Identity): Promise<Reply> {
    const pool = this.pool({ IdentityPoolId: identity.poolId });
    // Guests may have been switched off since GetId.
    if (!pool.AllowUnauthenticatedIdentities) return fail('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
    const roleArn = pool.Roles.unauthenticated;
    const amr = ['unauthenticated'];
    const role = roleArn ? this.deps.iam.roleByArn(roleArn) : undefined;
    if (!role || !(await trustAllows(role, this.deps.accountId, identity.identityId, pool.IdentityPoolId, amr))) {
      this.deps.log(`[cognito-identity] STS would refuse the unauthenticated role ${roleArn ?? '(none set)'} for ${identity.identityId}`);
      return fail('InvalidIdentityPoolConfigurationException', 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
    }
    return this.issue(identity.identityId, role, pool.IdentityPoolId, amr, { name: GUEST_SESSION_POLICY_ARN, policy: GUEST_SESSION_POLICY });
  }

  private issue(identityId: string, role: { Arn: string }, identityPoolId: string, amr: string[], sessionPolicy?: IssuedSession['sessionPolicy']): Reply {
    const s = this.deps.credentials.issue(this.deps.accountId, role.Arn, identityId, identityPoolId, amr, sessionPolicy);
    this.deps.log(`[cognito-identity] issued ${s.accessKeyId} for ${identityId} as ${s.arn}${sessionPolicy ? ' with the guest session policy' : ''}`);
    return jsonReply('cognito-identity', {
      IdentityId: identityId,
      Credentials: { AccessKeyId: s.accessKeyId, SecretKey: s.secretAccessKey, SessionToken: s.sessionToken, Expiration: Math.floor(s.expiration.getTime() / 1000) },
    });
  }

  /** The token's cognito:roles / preferred_role, or the same derived from the user's groups. */
  private async roleClaims(providerName: string, claims: Claims): Promise<RoleClaims> {
    const roles = rolesClaim(claims['cognito:roles']);
    if (roles) return { roles, preferred: typeof claims['cognito:preferred_role'] === 'string' ? claims['cognito:preferred_role'] : undefined };
    const userPoolId = providerName.slice(providerName.indexOf('/') + 1);
    const username = String(claims['cognito:username']);
    const response = await fetch(this.deps.cognitoLocalUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminListGroupsForUser' },
      body: JSON.stringify({ UserPoolId: userPoolId, Username: username }),
    });
    const groups = ((await response.json()) as { Groups?: GroupInfo[] }).Groups ?? [];
    const derived = roleClaimsFromGroups(groups);
    this.deps.log(`[cognito-identity] the token of ${username} has no cognito:roles (cognito-local does not issue them); `
      + `derived from groups [${groups.map((g) => g.GroupName).join(', ')}]: roles [${derived.roles.join(', ')}], preferred ${derived.preferred ?? '(none)'}`);
    return derived;
  }
}

function describe(p: Pool): unknown {
  return {
    IdentityPoolId: p.IdentityPoolId, IdentityPoolName: p.IdentityPoolName,
    AllowUnauthenticatedIdentities: p.AllowUnauthenticatedIdentities, AllowClassicFlow: p.AllowClassicFlow,
    CognitoIdentityProviders: p.CognitoIdentityProviders,
  };
}
