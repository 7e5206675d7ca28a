// Cognito Identity (JSON 1.1, target prefix AWSCognitoIdentityService): the pools, GetId and
// GetCredentialsForIdentity in the enhanced flow, with Cognito's checks in Cognito's order
// and its exact error codes and messages (cognito-semantics.md sections 2 and 5).
// Guests: in a pool with AllowUnauthenticatedIdentities, GetId without Logins creates a new
// unauthenticated identity, and GetCredentialsForIdentity without Logins gives it a session of
// the pool's unauthenticated role (amr ["unauthenticated"], trust checked like any role), carrying
// Cognito's guest scope-down session policy (guestSessionPolicy.ts), which the authorizer
// intersects with the role's policies. Not implemented: linking a login to a guest identity.
// Beyond the article (section 6):
// - Logins of the sandbox's OIDC provider (key login.sandbox.test, an IAM OIDC provider listed in
//   the pool's OpenIdConnectProviderARNs): the token is checked against that provider's JWKS and
//   its aud against the provider's ClientIDList (IAM's "audiences": the list Cognito checks an OIDC
//   token's aud against; a token for another audience is "not from a supported provider", as for
//   a user pool client the pool does not list). Role mappings for it are keyed by the provider name.
// - Principal tags (principalTags.ts): Get/SetPrincipalTagAttributeMap, session tags at
//   GetCredentialsForIdentity, and the sts:TagSession check of the chosen role's trust.
// - Basic flow: GetOpenIdToken (the second half, STS AssumeRoleWithWebIdentity, is webIdentity.ts).

import { randomUUID } from 'node:crypto';
import { authorizeSession, tagSessionAllowed, trustAllows } from './authorize.ts';
import { GUEST_SESSION_POLICY, GUEST_SESSION_POLICY_ARN } from './guestSessionPolicy.ts';
import type { Caller, CredentialStore, IssuedSession } from './credentials.ts';
import type { IamStore } from './iamStore.ts';
import { PrincipalTagMaps, mapApplies, sessionTags } from './principalTags.ts';
import { chooseRole, rolesClaim, type RoleClaims } from './roleChoice.ts';
import { decodeJwt, jwksOf, signJwt, type Jwks, type SandboxKeys } from './sandboxKeys.ts';
import { COGNITO_IDENTITY_ISSUER, IDENTITY_POOLS, REGION, SEED_IDENTITIES, USERS, type SeedIdentityPool } from './seed.ts';
import { LoginError, TokenVerifier, type Claims } from './tokens.ts';
import type { UserPoolTokens } from './userPoolTokens.ts';
import { jsonError, jsonReply, type Reply } from './wire.ts';

type Pool = SeedIdentityPool;
type Body = Record<string, unknown>;
/** providerName and sub are '' for a guest (unauthenticated) identity. */
interface Identity { identityId: string; poolId: string; providerName: string; sub: string; guest?: boolean }
/** A verified login of the Logins map: its provider, the audience the pool accepted, claims, and who signed it. */
interface Login { providerName: string; clientId: string; claims: Claims; kind: 'userPool' | 'oidc'; kid: unknown }

export interface IdentityDeps {
  accountId: string;
  credentials: CredentialStore;
  iam: IamStore;
  keys: SandboxKeys;
  /** The user pools' JWKS (cognito-local's key and the sandbox's re-signing key). */
  userPoolJwks: () => Promise<Jwks>;
  /** Role claims of tokens that lack them (still signed by cognito-local), the pool's trigger applied. */
  userPoolTokens: UserPoolTokens;
  log: (line: string) => void;
}

const fail = (code: string, message: string): Reply => jsonError('cognito-identity', code, message);
const INVALID_CONFIGURATION = 'Invalid identity pool configuration. Check assigned IAM roles for this pool.';
const LOGINS_DONT_MATCH = 'Logins don\'t match. Please include at least one valid login for this identity or identity pool.';

export class IdentityService {
  private readonly identities = new Map<string, Identity>();
  private readonly tokens: TokenVerifier;
  private readonly tagMaps = new PrincipalTagMaps();

  constructor(private readonly deps: IdentityDeps) {
    this.tokens = new TokenVerifier((provider) => this.keySet(provider));
    for (const s of SEED_IDENTITIES) {
      const pool = IDENTITY_POOLS.find((p) => p.IdentityPoolId === s.identityPoolId);
      const user = USERS.find((u) => u.Username === s.username);
      const provider = pool?.CognitoIdentityProviders[0];
      if (!pool || !user || !provider) throw new Error(`seed: bad identity ${s.identityId}`);
      this.identities.set(s.identityId, { identityId: s.identityId, poolId: pool.IdentityPoolId, providerName: provider.ProviderName, sub: user.sub });
    }
    for (const pool of IDENTITY_POOLS) for (const m of pool.PrincipalTagMaps ?? []) this.tagMaps.seed(pool.IdentityPoolId, m.IdentityProviderName, m);
  }

  async handle(operation: string, body: Body, caller: Caller | undefined): Promise<Reply> {
    try {
      switch (operation) {
        case 'GetId': return await this.getId(body);
        case 'GetCredentialsForIdentity': return await this.getCredentials(body);
        case 'GetOpenIdToken': return await this.openIdToken(body);
        case 'ListIdentityPools': return await this.admin(caller, operation, '*', () => this.listPools(body));
        case 'DescribeIdentityPool': return await this.admin(caller, operation, String(body.IdentityPoolId), () => describe(this.pool(body)));
        case 'GetIdentityPoolRoles': return await this.admin(caller, operation, String(body.IdentityPoolId), () => {
          const p = this.pool(body);
          return { IdentityPoolId: p.IdentityPoolId, Roles: p.Roles, RoleMappings: p.RoleMappings };
        });
        case 'GetPrincipalTagAttributeMap': return await this.admin(caller, operation, String(body.IdentityPoolId),
          () => this.tagMaps.get(this.pool(body).IdentityPoolId, String(body.IdentityProviderName ?? '')));
        case 'SetPrincipalTagAttributeMap': return await this.admin(caller, operation, String(body.IdentityPoolId),
          () => this.tagMaps.set(this.pool(body).IdentityPoolId, String(body.IdentityProviderName ?? ''), body));
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

  /** The JWKS a Logins key's tokens verify against: user pools', the IAM OIDC provider's, else none. */
  private async keySet(providerName: string): Promise<Jwks> {
    if (providerName.startsWith('cognito-idp.')) return this.deps.userPoolJwks();
    if (this.oidcProvider(providerName)) return jwksOf(this.deps.keys.oidc.publicJwk);
    return jwksOf();
  }

  /** The IAM OIDC provider whose Logins name (the ARN's host and path) is `providerName`. */
  private oidcProvider(providerName: string): { ClientIDList: string[] } | undefined {
    return this.deps.iam.oidcProviders.find((o) => o.Url === providerName);
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
  private async login(pool: Pool, logins: unknown): Promise<Login | null> {
    const entries = Object.entries((logins ?? {}) as Record<string, string>);
    if (entries.length === 0) {
      if (!pool.AllowUnauthenticatedIdentities) throw new LoginError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
      return null;
    }
    for (const [providerName, token] of entries) {
      const claims = await this.tokens.verify(providerName, token);
      const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map(String);
      const kid = decodeJwt(token).header.kid;
      if (providerName.startsWith('cognito-idp.')) {
        const match = pool.CognitoIdentityProviders.find((p) => p.ProviderName === providerName && audiences.includes(p.ClientId));
        if (match) return { providerName, clientId: match.ClientId, claims, kind: 'userPool', kid };
        continue;
      }
      const oidc = this.oidcProvider(providerName);
      const listed = (pool.OpenIdConnectProviderARNs ?? []).some((arn) => arn.endsWith(`:oidc-provider/${providerName}`));
      const audience = oidc && listed ? audiences.find((a) => oidc.ClientIDList.includes(a)) : undefined;
      if (audience) return { providerName, clientId: audience, claims, kind: 'oidc', kid };
    }
    throw new LoginError('NotAuthorizedException', 'Token is not from a supported provider of this identity pool.');
  }

  /**
   * amr as Cognito sets it: `authenticated`, the provider name, and a provider-specific entry
   * (user pools: `<provider>:CognitoSignIn:<sub>`, observed; OIDC: `<provider>:<sub>`, inferred).
   */
  private static amr(login: Login, sub: string): string[] {
    return ['authenticated', login.providerName, login.kind === 'userPool' ? `${login.providerName}:CognitoSignIn:${sub}` : `${login.providerName}:${sub}`];
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

  /**
   * Who may act for an identity (GetCredentialsForIdentity, GetOpenIdToken): a guest without
   * Logins, or a login of the identity's own provider and subject; else Cognito's refusal.
   */
  private async authenticate(identityId: string, body: Body): Promise<{ identity: Identity; pool: Pool; login: Login | null } | Reply> {
    const identity = this.identities.get(identityId);
    if (!identity) return fail('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    const pool = this.pool({ IdentityPoolId: identity.poolId });
    const noLogins = !body.Logins || Object.keys(body.Logins).length === 0;
    if (identity.guest && noLogins) {
      // Guests may have been switched off since GetId.
      if (!pool.AllowUnauthenticatedIdentities) return fail('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
      return { identity, pool, login: null };
    }
    if (noLogins) return fail('NotAuthorizedException', `Access to Identity '${identityId}' is forbidden.`);
    const login = await this.login(pool, body.Logins);
    // Logins for a guest identity would link them (not implemented): the login does not match it.
    if (!login || identity.guest) return fail('NotAuthorizedException', LOGINS_DONT_MATCH);
    if (login.providerName !== identity.providerName || String(login.claims.sub) !== identity.sub) return fail('NotAuthorizedException', LOGINS_DONT_MATCH);
    return { identity, pool, login };
  }

  private async getCredentials(body: Body): Promise<Reply> {
    const identityId = String(body.IdentityId);
    const who = await this.authenticate(identityId, body);
    if ('status' in who) return who;
    const { identity, pool, login } = who;
    if (!login) return this.guestCredentials(identity);
    const { providerName, clientId, claims } = login;
    const roleClaims = await this.roleClaims(login);
    const customRoleArn = typeof body.CustomRoleArn === 'string' ? body.CustomRoleArn : undefined;
    const choice = chooseRole(pool, providerName, clientId, claims, roleClaims, customRoleArn);
    if ('code' in choice) return fail(choice.code, choice.message);
    const amr = IdentityService.amr(login, identity.sub);
    // Principal tags: Cognito passes them to STS as session tags (principalTags.ts).
    const tagMap = this.tagMaps.find(pool.IdentityPoolId, providerName);
    let tags: Record<string, string> | undefined;
    if (mapApplies(tagMap)) {
      const computed = sessionTags(tagMap, claims);
      if ('problem' in computed) {
        this.deps.log(`[cognito-identity] STS would refuse the session tags for ${identityId}: ${computed.problem} (the error code is inferred)`);
        return fail('InvalidIdentityPoolConfigurationException', INVALID_CONFIGURATION);
      }
      tags = computed.tags;
    }
    // Cognito calls STS AssumeRoleWithWebIdentity; any refusal there looks like this to the caller.
    const role = this.deps.iam.roleByArn(choice.roleArn);
    if (!role || !(await trustAllows(role, this.deps.accountId, identityId, pool.IdentityPoolId, amr, tags))) {
      this.deps.log(`[cognito-identity] STS would refuse ${choice.roleArn} for ${identityId}: ${role ? 'trust policy does not allow' : 'no such role'}`);
      return fail('InvalidIdentityPoolConfigurationException', INVALID_CONFIGURATION);
    }
    if (tags && !(await tagSessionAllowed(role, this.deps.accountId, identityId, pool.IdentityPoolId, amr, tags))) {
      this.deps.log(`[cognito-identity] STS would refuse ${choice.roleArn} for ${identityId}: the pool maps principal tags for ${providerName} and the trust policy does not allow sts:TagSession`);
      return fail('InvalidIdentityPoolConfigurationException', INVALID_CONFIGURATION);
    }
    return this.issue(identityId, role, pool.IdentityPoolId, amr, undefined, tags);
  }

  /** A guest identity's credentials: the unauthenticated role, amr ["unauthenticated"], the guest session policy. */
  private async guestCredentials(identity: Identity): Promise<Reply> {
    const pool = this.pool({ IdentityPoolId: identity.poolId });
    const roleArn = pool.Roles.unauthenticated;
    const amr = ['unauthenticated'];
    const role = roleArn ? this.deps.iam.roleByArn(roleArn) : undefined;
    if (!role || !(await trustAllows(role, this.deps.accountId, identity.identityId, pool.IdentityPoolId, amr))) {
      this.deps.log(`[cognito-identity] STS would refuse the unauthenticated role ${roleArn ?? '(none set)'} for ${identity.identityId}`);
      return fail('InvalidIdentityPoolConfigurationException', INVALID_CONFIGURATION);
    }
    return this.issue(identity.identityId, role, pool.IdentityPoolId, amr, { name: GUEST_SESSION_POLICY_ARN, policy: GUEST_SESSION_POLICY });
  }

  /**
   * Basic flow, first half: an OpenID token for the identity (valid 10 minutes, API reference),
   * `aud` the identity pool, `sub` the identity id, `amr` as Cognito sets it, signed RS512 with
   * the sandbox's Cognito Identity key and the pool ARN claim real tokens carry. Refused on a pool
   * without classic flow, and on one with role mappings, with Cognito's texts (aws-cli issue 7652
   * and amplify-js issue 9704; aws-rum-web issue 172).
   */
  private async openIdToken(body: Body): Promise<Reply> {
    const identityId = String(body.IdentityId);
    const identity = this.identities.get(identityId);
    if (!identity) return fail('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    const pool = this.pool({ IdentityPoolId: identity.poolId });
    if (!pool.AllowClassicFlow) return fail('InvalidParameterException', 'Basic (classic) flow is not enabled, please use enhanced flow.');
    if (Object.keys(pool.RoleMappings).length > 0) return fail('InvalidParameterException', 'Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.');
    const who = await this.authenticate(identityId, body);
    if ('status' in who) return who;
    const amr = who.login ? IdentityService.amr(who.login, identity.sub) : ['unauthenticated'];
    const now = Math.floor(Date.now() / 1000);
    const Token = signJwt(this.deps.keys.cognitoIdentity, {
      sub: identityId, aud: pool.IdentityPoolId, amr, iss: COGNITO_IDENTITY_ISSUER,
      [`${COGNITO_IDENTITY_ISSUER}/identity-pool-arn`]: `arn:aws:cognito-identity:${REGION}:${this.deps.accountId}:identitypool/${pool.IdentityPoolId}`,
      exp: now + 600, iat: now,
    }, 'JWS');
    this.deps.log(`[cognito-identity] GetOpenIdToken for ${identityId} (basic flow), amr [${amr.join(', ')}]`);
    return jsonReply('cognito-identity', { IdentityId: identityId, Token });
  }

  private issue(identityId: string, role: { Arn: string }, identityPoolId: string, amr: string[], sessionPolicy?: IssuedSession['sessionPolicy'],
    tags?: Record<string, string>): Reply {
    const s = this.deps.credentials.issue(this.deps.accountId, role.Arn, identityId, identityPoolId, amr, sessionPolicy, { ...(tags ? { tags } : {}) });
    const tagText = tags && Object.keys(tags).length > 0 ? ` with session tags ${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
    this.deps.log(`[cognito-identity] issued ${s.accessKeyId} for ${identityId} as ${s.arn}${sessionPolicy ? ' with the guest session policy' : ''}${tagText}`);
    return jsonReply('cognito-identity', {
      IdentityId: identityId,
      Credentials: { AccessKeyId: s.accessKeyId, SecretKey: s.secretAccessKey, SessionToken: s.sessionToken, Expiration: Math.floor(s.expiration.getTime() / 1000) },
    });
  }

  /**
   * The token's cognito:roles / preferred_role. Tokens the gateway re-signed carry them (absent =
   * none); tokens still signed by cognito-local lack them: derived from the user's groups, the
   * pool's trigger applied. OIDC tokens carry no role claims here.
   */
  private async roleClaims(login: Login): Promise<RoleClaims> {
    const { claims } = login;
    if (login.kind === 'oidc') return { roles: rolesClaim(claims['cognito:roles']) ?? [] };
    const preferred = typeof claims['cognito:preferred_role'] === 'string' ? claims['cognito:preferred_role'] : undefined;
    if (login.kid === this.deps.keys.userPool.kid) return { roles: rolesClaim(claims['cognito:roles']) ?? [], ...(preferred ? { preferred } : {}) };
    const roles = rolesClaim(claims['cognito:roles']);
    if (roles) return { roles, ...(preferred ? { preferred } : {}) };
    const userPoolId = login.providerName.slice(login.providerName.indexOf('/') + 1);
    const username = String(claims['cognito:username']);
    const derived = await this.deps.userPoolTokens.roleClaimsFor(userPoolId, username);
    this.deps.log(`[cognito-identity] the token of ${username} is cognito-local's own (no cognito:roles); `
      + `derived from groups [${derived.groups.join(', ')}]: roles [${derived.roles.join(', ')}], preferred ${derived.preferred ?? '(none)'}`);
    return { roles: derived.roles, ...(derived.preferred ? { preferred: derived.preferred } : {}) };
  }
}

/** DescribeIdentityPool: the pool's settings; the other providers' fields only when set, as AWS. */
function describe(p: Pool): unknown {
  return {
    IdentityPoolId: p.IdentityPoolId, IdentityPoolName: p.IdentityPoolName,
    AllowUnauthenticatedIdentities: p.AllowUnauthenticatedIdentities, AllowClassicFlow: p.AllowClassicFlow,
    CognitoIdentityProviders: p.CognitoIdentityProviders,
    ...(p.SupportedLoginProviders ? { SupportedLoginProviders: p.SupportedLoginProviders } : {}),
    ...(p.DeveloperProviderName ? { DeveloperProviderName: p.DeveloperProviderName } : {}),
    ...(p.OpenIdConnectProviderARNs ? { OpenIdConnectProviderARNs: p.OpenIdConnectProviderARNs } : {}),
    ...(p.SamlProviderARNs ? { SamlProviderARNs: p.SamlProviderARNs } : {}),
  };
}
