// Reads user pools (clients without their secrets, groups, optionally users and their groups)
// and identity pools (providers, roles, role mappings) for the snapshot. Every role ARN found is
// handed to `onRoleArn` as soon as its page arrives, so role reads overlap the listing. Every read
// is isolated (ScanReads): a failed one is a scan gap, and what the others read is kept.
import {
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  paginateAdminListGroupsForUser,
  paginateListGroups,
  paginateListUserPoolClients,
  paginateListUserPools,
  paginateListUsers,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  GetPrincipalTagAttributeMapCommand,
  paginateListIdentityPools,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import type { AppClient, Group, IdentityPool, PoolUser, PrincipalTagMap, RoleMapping, UserPool } from '../core/snapshot.ts';
import { errorCode } from './errors.ts';
import { mapLimit } from './limiter.ts';
import type { ScanReads } from './scanReads.ts';
import { setOwn } from '../core/records.ts';

/** Page sizes: the APIs' maxima (ListGroups and ListUsers 60, ListUserPools 60, ListIdentityPools 60). */
const PAGE = 60;

export interface CognitoScanDeps {
  idp: CognitoIdentityProviderClient;
  identity: CognitoIdentityClient;
  reads: ScanReads;
  concurrency: number;
  onRoleArn: (arn: string) => void;
  onItem: (what: string) => void;
}

/** Every user pool id in the region (as many as could be listed). */
export async function listUserPoolIds(deps: CognitoScanDeps): Promise<string[]> {
  const ids: string[] = [];
  await deps.reads.pages('cognito-idp', 'ListUserPools', null, () => paginateListUserPools({ client: deps.idp }, { MaxResults: PAGE }), (page) => {
    for (const pool of page.UserPools ?? []) if (pool.Id) ids.push(pool.Id);
  });
  return ids;
}

/** Every identity pool id in the region (as many as could be listed). */
export async function listIdentityPoolIds(deps: CognitoScanDeps): Promise<string[]> {
  const ids: string[] = [];
  await deps.reads.pages('cognito-identity', 'ListIdentityPools', null, () => paginateListIdentityPools({ client: deps.identity }, { MaxResults: PAGE }), (page) => {
    for (const pool of page.IdentityPools ?? []) if (pool.IdentityPoolId) ids.push(pool.IdentityPoolId);
  });
  return ids;
}

async function readClients(deps: CognitoScanDeps, UserPoolId: string): Promise<AppClient[]> {
  const ids: string[] = [];
  await deps.reads.pages('cognito-idp', 'ListUserPoolClients', UserPoolId, () => paginateListUserPoolClients({ client: deps.idp }, { UserPoolId, MaxResults: PAGE }), (page) => {
    for (const c of page.UserPoolClients ?? []) if (c.ClientId) ids.push(c.ClientId);
  });
  return mapLimit(ids, deps.concurrency, async (ClientId) => {
    const response = await deps.reads.read('cognito-idp', 'DescribeUserPoolClient', `${UserPoolId}/${ClientId}`, () =>
      deps.idp.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId })));
    // Not described: the client is kept by id (identity pools name it); the gap says the rest is unknown.
    if (!response) return { ClientId };
    const described = response.UserPoolClient;
    // Only the fact that a secret exists is kept; the secret itself is dropped right here.
    const client: AppClient = { ClientId, HasSecret: Boolean(described?.ClientSecret) };
    if (described?.ClientName) client.ClientName = described.ClientName;
    if (described?.ExplicitAuthFlows) client.ExplicitAuthFlows = described.ExplicitAuthFlows;
    // Which attributes users may write through this client (claims a Rules mapping must not trust).
    if (described?.WriteAttributes) client.WriteAttributes = described.WriteAttributes;
    if (described?.ReadAttributes) client.ReadAttributes = described.ReadAttributes;
    if (described?.AllowedOAuthFlows) client.AllowedOAuthFlows = described.AllowedOAuthFlows;
    return client;
  });
}

async function readUsers(deps: CognitoScanDeps, UserPoolId: string): Promise<PoolUser[]> {
  const names: string[] = [];
  await deps.reads.pages('cognito-idp', 'ListUsers', UserPoolId, () => paginateListUsers({ client: deps.idp }, { UserPoolId, Limit: PAGE }), (page) => {
    for (const u of page.Users ?? []) if (u.Username) names.push(u.Username);
  });
  const users = await mapLimit(names, deps.concurrency, async (Username): Promise<PoolUser | undefined> => {
    const groups: string[] = [];
    const gap = await deps.reads.pages('cognito-idp', 'AdminListGroupsForUser', `${UserPoolId}/${Username}`,
      () => paginateAdminListGroupsForUser({ client: deps.idp }, { UserPoolId, Username, Limit: PAGE }),
      (page) => {
        for (const g of page.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
      });
    deps.onItem(`user ${Username}`);
    // A user whose groups are unknown is left out rather than shown in fewer groups than they are.
    return gap ? undefined : { Username, Groups: groups };
  });
  return users.filter((u): u is PoolUser => u !== undefined);
}

export async function readUserPool(deps: CognitoScanDeps, UserPoolId: string, includeUsers: boolean): Promise<UserPool> {
  const describe = deps.reads.read('cognito-idp', 'DescribeUserPool', UserPoolId, () => deps.idp.send(new DescribeUserPoolCommand({ UserPoolId })));
  const clients = readClients(deps, UserPoolId);
  const users = includeUsers ? readUsers(deps, UserPoolId) : undefined;
  for (const p of [describe, clients, users]) p?.catch(() => undefined);
  // ListGroups pages are sequential (each needs the previous NextToken): the scan's critical path.
  const groups: Group[] = [];
  await deps.reads.pages('cognito-idp', 'ListGroups', UserPoolId, () => paginateListGroups({ client: deps.idp }, { UserPoolId, Limit: PAGE }), (page) => {
    for (const g of page.Groups ?? []) {
      if (!g.GroupName) continue;
      const group: Group = { GroupName: g.GroupName, Precedence: g.Precedence ?? null, RoleArn: g.RoleArn ?? null, Description: g.Description ?? null };
      if (group.RoleArn) deps.onRoleArn(group.RoleArn);
      groups.push(group);
    }
  });
  const described = (await describe)?.UserPool;
  const name = described?.Name;
  const pool: UserPool = { Id: UserPoolId, ...(name ? { Name: name } : {}), Clients: await clients, Groups: groups };
  // The pre token generation trigger (it may rewrite cognito:groups / roles / preferred_role).
  const lambda = described?.LambdaConfig;
  if (lambda?.PreTokenGeneration || lambda?.PreTokenGenerationConfig?.LambdaArn) {
    pool.LambdaConfig = {
      ...(lambda.PreTokenGeneration ? { PreTokenGeneration: lambda.PreTokenGeneration } : {}),
      ...(lambda.PreTokenGenerationConfig?.LambdaArn
        ? { PreTokenGenerationConfig: { LambdaArn: lambda.PreTokenGenerationConfig.LambdaArn, LambdaVersion: lambda.PreTokenGenerationConfig.LambdaVersion ?? 'V1_0' } }
        : {}),
    };
  }
  if (described?.SchemaAttributes) {
    pool.SchemaAttributes = described.SchemaAttributes.flatMap((a) => (a.Name ? [{ Name: a.Name, ...(a.Mutable !== undefined ? { Mutable: a.Mutable } : {}) }] : []));
  }
  if (described?.AdminCreateUserConfig) {
    pool.AdminCreateUserConfig = { AllowAdminCreateUserOnly: described.AdminCreateUserConfig.AllowAdminCreateUserOnly ?? false };
  }
  if (users) pool.Users = await users;
  deps.onItem(`user pool ${UserPoolId}`);
  return pool;
}

export async function readIdentityPool(deps: CognitoScanDeps, IdentityPoolId: string): Promise<IdentityPool> {
  const [described, roles] = await Promise.all([
    deps.reads.read('cognito-identity', 'DescribeIdentityPool', IdentityPoolId, () => deps.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId }))),
    deps.reads.read('cognito-identity', 'GetIdentityPoolRoles', IdentityPoolId, () => deps.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }))),
  ]);
  // Whatever could not be read stays empty here; the gap marks it as not captured.
  const pool: IdentityPool = {
    IdentityPoolId,
    ...(described?.IdentityPoolName ? { IdentityPoolName: described.IdentityPoolName } : {}),
    AllowUnauthenticatedIdentities: described?.AllowUnauthenticatedIdentities ?? false,
    AllowClassicFlow: described?.AllowClassicFlow ?? false,
    CognitoIdentityProviders: (described?.CognitoIdentityProviders ?? []).map((p) => ({
      ProviderName: p.ProviderName ?? '', ClientId: p.ClientId ?? '', ServerSideTokenCheck: p.ServerSideTokenCheck ?? false,
    })),
    Roles: {},
    // Keys are provider names from AWS: data, so a record without a prototype.
    RoleMappings: Object.create(null) as IdentityPool['RoleMappings'],
  };
  // Other identity providers (social, OIDC, SAML, developer-authenticated identities).
  if (described?.SupportedLoginProviders && Object.keys(described.SupportedLoginProviders).length > 0) {
    pool.SupportedLoginProviders = ownRecord(Object.entries(described.SupportedLoginProviders));
  }
  if (described?.OpenIdConnectProviderARNs?.length) pool.OpenIdConnectProviderARNs = described.OpenIdConnectProviderARNs;
  if (described?.SamlProviderARNs?.length) pool.SamlProviderARNs = described.SamlProviderARNs;
  if (described?.DeveloperProviderName) pool.DeveloperProviderName = described.DeveloperProviderName;
  if (described) {
    const maps = await readPrincipalTagMaps(deps, IdentityPoolId, principalTagProviders(pool));
    if (maps.length > 0) pool.PrincipalTagMaps = maps;
  }
  for (const kind of ['authenticated', 'unauthenticated'] as const) {
    const arn = roles?.Roles?.[kind];
    if (arn) {
      pool.Roles[kind] = arn;
      deps.onRoleArn(arn);
    }
  }
  for (const [key, m] of Object.entries(roles?.RoleMappings ?? {})) {
    const mapping: RoleMapping = { Type: m.Type === 'Rules' ? 'Rules' : 'Token' };
    if (m.AmbiguousRoleResolution === 'AuthenticatedRole' || m.AmbiguousRoleResolution === 'Deny') mapping.AmbiguousRoleResolution = m.AmbiguousRoleResolution;
    if (m.RulesConfiguration) {
      mapping.RulesConfiguration = {
        Rules: (m.RulesConfiguration.Rules ?? []).map((r) => {
          if (r.RoleARN) deps.onRoleArn(r.RoleARN);
          return { Claim: r.Claim ?? '', MatchType: (r.MatchType ?? 'Equals') as 'Equals', Value: r.Value ?? '', RoleARN: r.RoleARN ?? '' };
        }),
      };
    }
    setOwn(pool.RoleMappings, key, mapping);
  }
  deps.onItem(`identity pool ${IdentityPoolId}`);
  return pool;
}

/** A record from AWS's key/value pairs, without a prototype (keys are data, `__proto__` too). */
function ownRecord(entries: [string, string][]): Record<string, string> {
  const record = Object.create(null) as Record<string, string>;
  for (const [key, value] of entries) setOwn(record, key, value);
  return record;
}

/**
 * The provider names an identity pool can have a principal tag map for: each user pool provider
 * (its ProviderName), each social provider, each OIDC provider (by its Logins name, the ARN's host
 * and path: the console and the API name OIDC providers this way for Logins; unconfirmed for
 * GetPrincipalTagAttributeMap, where AWS documents only "the provider name"), each SAML provider
 * ARN. Developer-authenticated identities carry no token claims, so no map.
 */
export function principalTagProviders(pool: IdentityPool): string[] {
  const names = new Set<string>();
  for (const p of pool.CognitoIdentityProviders) if (p.ProviderName) names.add(p.ProviderName);
  for (const key of Object.keys(pool.SupportedLoginProviders ?? {})) names.add(key);
  for (const arn of pool.OpenIdConnectProviderARNs ?? []) names.add(arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length));
  for (const arn of pool.SamlProviderARNs ?? []) names.add(arn);
  return [...names];
}

/** GetPrincipalTagAttributeMap for each provider; ResourceNotFoundException means "no map", not a gap. */
async function readPrincipalTagMaps(deps: CognitoScanDeps, IdentityPoolId: string, providers: string[]): Promise<PrincipalTagMap[]> {
  const maps = await mapLimit(providers, deps.concurrency, async (IdentityProviderName): Promise<PrincipalTagMap | undefined> => {
    const got = await deps.reads.read('cognito-identity', 'GetPrincipalTagAttributeMap', `${IdentityPoolId}/${IdentityProviderName}`, async () => {
      try {
        return await deps.identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName }));
      } catch (error) {
        if (errorCode(error) === 'ResourceNotFoundException') return null;
        throw error;
      }
    });
    if (!got) return undefined;
    const tags = ownRecord(Object.entries(got.PrincipalTags ?? {}));
    // A map that neither uses defaults nor maps anything sets no tags: the same as none.
    if (!got.UseDefaults && Object.keys(tags).length === 0) return undefined;
    return { IdentityProviderName: got.IdentityProviderName ?? IdentityProviderName, UseDefaults: got.UseDefaults ?? false, PrincipalTags: tags };
  });
  return maps.filter((m): m is PrincipalTagMap => m !== undefined);
}
