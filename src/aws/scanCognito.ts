// Reads user pools (clients without their secrets, groups, optionally users and their groups)
// and identity pools (providers, roles, role mappings) for the snapshot. Every role ARN found is
// handed to `onRoleArn` as soon as its page arrives, so role reads overlap the listing.
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

/** Page sizes: the APIs' maxima (ListGroups and ListUsers 60, ListUserPools 60, ListIdentityPools 60). */
const PAGE = 60;

export interface CognitoScanDeps {
  idp: CognitoIdentityProviderClient;
  identity: CognitoIdentityClient;
  concurrency: number;
  onRoleArn: (arn: string) => void;
  onItem: (what: string) => void;
}

/** Every user pool id in the region. */
export async function* listUserPoolIds(idp: CognitoIdentityProviderClient): AsyncGenerator<string> {
  for await (const page of paginateListUserPools({ client: idp }, { MaxResults: PAGE })) {
    for (const pool of page.UserPools ?? []) if (pool.Id) yield pool.Id;
  }
}

/** Every identity pool id in the region. */
export async function* listIdentityPoolIds(identity: CognitoIdentityClient): AsyncGenerator<string> {
  for await (const page of paginateListIdentityPools({ client: identity }, { MaxResults: PAGE })) {
    for (const pool of page.IdentityPools ?? []) if (pool.IdentityPoolId) yield pool.IdentityPoolId;
  }
}

export async function* listGroups(idp: CognitoIdentityProviderClient, UserPoolId: string): AsyncGenerator<Group> {
  for await (const page of paginateListGroups({ client: idp }, { UserPoolId, Limit: PAGE })) {
    for (const g of page.Groups ?? []) {
      if (!g.GroupName) continue;
      yield { GroupName: g.GroupName, Precedence: g.Precedence ?? null, RoleArn: g.RoleArn ?? null, Description: g.Description ?? null };
    }
  }
}

async function readClients(deps: CognitoScanDeps, UserPoolId: string): Promise<AppClient[]> {
  const ids: string[] = [];
  for await (const page of paginateListUserPoolClients({ client: deps.idp }, { UserPoolId, MaxResults: PAGE })) {
    for (const c of page.UserPoolClients ?? []) if (c.ClientId) ids.push(c.ClientId);
  }
  return mapLimit(ids, deps.concurrency, async (ClientId) => {
    const described = (await deps.idp.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId }))).UserPoolClient;
    // Only the fact that a secret exists is kept; the secret itself is dropped right here.
    const client: AppClient = { ClientId, HasSecret: Boolean(described?.ClientSecret) };
    if (described?.ClientName) client.ClientName = described.ClientName;
    if (described?.ExplicitAuthFlows) client.ExplicitAuthFlows = described.ExplicitAuthFlows;
    return client;
  });
}

async function readUsers(deps: CognitoScanDeps, UserPoolId: string): Promise<PoolUser[]> {
  const names: string[] = [];
  for await (const page of paginateListUsers({ client: deps.idp }, { UserPoolId, Limit: PAGE })) {
    for (const u of page.Users ?? []) if (u.Username) names.push(u.Username);
  }
  return mapLimit(names, deps.concurrency, async (Username) => {
    const groups: string[] = [];
    for await (const page of paginateAdminListGroupsForUser({ client: deps.idp }, { UserPoolId, Username, Limit: PAGE })) {
      for (const g of page.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
    }
    deps.onItem(`user ${Username}`);
    return { Username, Groups: groups };
  });
}

export async function readUserPool(deps: CognitoScanDeps, UserPoolId: string, includeUsers: boolean): Promise<UserPool> {
  const describe = deps.idp.send(new DescribeUserPoolCommand({ UserPoolId }));
  const clients = readClients(deps, UserPoolId);
  const users = includeUsers ? readUsers(deps, UserPoolId) : undefined;
  for (const p of [describe, clients, users]) p?.catch(() => undefined);
  // ListGroups pages are sequential (each needs the previous NextToken): the scan's critical path.
  const groups: Group[] = [];
  for await (const group of listGroups(deps.idp, UserPoolId)) {
    if (group.RoleArn) deps.onRoleArn(group.RoleArn);
    groups.push(group);
  }
  const name = (await describe).UserPool?.Name;
  const pool: UserPool = { Id: UserPoolId, ...(name ? { Name: name } : {}), Clients: await clients, Groups: groups };
  if (users) pool.Users = await users;
  deps.onItem(`user pool ${UserPoolId}`);
  return pool;
}

export async function readIdentityPool(deps: CognitoScanDeps, IdentityPoolId: string): Promise<IdentityPool> {
  const [described, roles] = await Promise.all([
    deps.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId })),
    deps.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId })),
  ]);
  const pool: IdentityPool = {
    IdentityPoolId,
    ...(described.IdentityPoolName ? { IdentityPoolName: described.IdentityPoolName } : {}),
    AllowUnauthenticatedIdentities: described.AllowUnauthenticatedIdentities ?? false,
    AllowClassicFlow: described.AllowClassicFlow ?? false,
    CognitoIdentityProviders: (described.CognitoIdentityProviders ?? []).map((p) => ({
      ProviderName: p.ProviderName ?? '', ClientId: p.ClientId ?? '', ServerSideTokenCheck: p.ServerSideTokenCheck ?? false,
    })),
    Roles: {},
    RoleMappings: {},
  };
  for (const kind of ['authenticated', 'unauthenticated'] as const) {
    const arn = roles.Roles?.[kind];
    if (arn) {
      pool.Roles[kind] = arn;
      deps.onRoleArn(arn);
    }
  }
  for (const [key, m] of Object.entries(roles.RoleMappings ?? {})) {
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
    pool.RoleMappings[key] = mapping;
  }
  deps.onItem(`identity pool ${IdentityPoolId}`);
  return pool;
}
