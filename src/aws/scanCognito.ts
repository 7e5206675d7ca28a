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
  paginateListIdentityPools,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import type { AppClient, Group, IdentityPool, PoolUser, RoleMapping, UserPool } from '../core/snapshot.ts';
import { mapLimit } from './limiter.ts';
import type { ScanReads } from './scanReads.ts';

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
  const name = (await describe)?.UserPool?.Name;
  const pool: UserPool = { Id: UserPoolId, ...(name ? { Name: name } : {}), Clients: await clients, Groups: groups };
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
    RoleMappings: {},
  };
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
    // An own property even for a key such as "__proto__" (names from AWS are data).
    Object.defineProperty(pool.RoleMappings, key, { value: mapping, enumerable: true, writable: true, configurable: true });
  }
  deps.onItem(`identity pool ${IdentityPoolId}`);
  return pool;
}
