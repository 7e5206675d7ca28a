// The seed as a snapshot v1 (shared/spec/snapshot.md): what a correct live scan of a running
// sandbox must produce, and the extension's built-in sample account. Documents are plain
// objects (the format also allows IAM's URL-encoded strings); no secrets, as the format requires.
// With the fields added after v1's first cut: the books pool's SchemaAttributes (custom:dept,
// custom:role) and AdminCreateUserConfig, selfservice's WriteAttributes,
// books-trigger's LambdaConfig, books-oidc's OpenIdConnectProviderARNs and the identity pools'
// PrincipalTagMaps (one per provider with a map; GetPrincipalTagAttributeMap answers
// ResourceNotFoundException for the others, which a scan writes as no entry).

import {
  ADMIN_CREATE_USER_CONFIG, CLIENTS, GROUPS, IDENTITY_POOLS, SCHEMA_ATTRIBUTES, USERS, writeAttributesOf, type SeedGroup, type SeedUser,
} from './seedCognito.ts';
import { MANAGED_POLICIES, ROLES, TABLES } from './seedIam.ts';
import {
  ACCOUNT_ID, IDENTITY_POOL_IDS, REGION, TRIGGER_USER_POOL_ID, TRIGGER_USER_POOL_NAME, USER_POOL_ID, USER_POOL_NAME, policyArn, roleArn, tableArn,
} from './seedIds.ts';
import { TRIGGER_CLIENT, TRIGGER_GROUPS, TRIGGER_LAMBDA_CONFIG, TRIGGER_USERS } from './seedTrigger.ts';

/** Ids of a running sandbox (a Sandbox fits); the seed's constants when omitted, which they equal today. */
export interface SnapshotIds {
  userPoolId?: string;
  clients?: { web: string; backend: string; mobile?: string; selfservice?: string };
  identityPools?: Partial<Record<keyof typeof IDENTITY_POOL_IDS, string>>;
  triggerPool?: { userPoolId?: string; clientId?: string };
}

type SeedClient = { ClientId: string; ClientName: string; ClientSecret?: string | undefined; ExplicitAuthFlows: string[] };
/** A user pool as a scan reads it: DescribeUserPool (Name, LambdaConfig, SchemaAttributes as {Name, Mutable}), clients, groups, users. */
const userPool = (Id: string, Name: string, clients: SeedClient[], groups: SeedGroup[], users: SeedUser[], described: Record<string, unknown> = {}): Record<string, unknown> => ({
  Id,
  Name,
  Clients: clients.map((c) => ({
    ClientId: c.ClientId, ClientName: c.ClientName, ExplicitAuthFlows: c.ExplicitAuthFlows, HasSecret: c.ClientSecret !== undefined,
    ...(writeAttributesOf(c) ? { WriteAttributes: writeAttributesOf(c) } : {}),
  })),
  Groups: groups,
  Users: users.map((u) => ({ Username: u.Username, Groups: u.groups })),
  ...described,
});

const defaultVersion = (name: string): unknown => {
  const p = MANAGED_POLICIES.find((m) => m.PolicyName === name);
  return p?.Versions.find((v) => v.VersionId === p.DefaultVersionId)?.Document;
};

export function seedSnapshot(ids: SnapshotIds = {}, capturedAt?: string): Record<string, unknown> {
  const snapshot = {
    format: 'cognito-access-snapshot/v1',
    ...(capturedAt ? { capturedAt } : {}),
    region: REGION,
    accountId: ACCOUNT_ID,
    userPools: [
      userPool(USER_POOL_ID, USER_POOL_NAME, Object.values(CLIENTS), GROUPS, USERS,
        { SchemaAttributes: SCHEMA_ATTRIBUTES.map((a) => ({ Name: a.Name, Mutable: a.Mutable })), AdminCreateUserConfig: ADMIN_CREATE_USER_CONFIG }),
      // The second pool: its pre token generation trigger (snapshot.md, fields added after v1).
      userPool(TRIGGER_USER_POOL_ID, TRIGGER_USER_POOL_NAME, [TRIGGER_CLIENT], TRIGGER_GROUPS, TRIGGER_USERS, { LambdaConfig: TRIGGER_LAMBDA_CONFIG }),
    ],
    identityPools: IDENTITY_POOLS,
    roles: ROLES.map((r) => ({
      RoleName: r.RoleName,
      Arn: roleArn(r.RoleName),
      AssumeRolePolicyDocument: r.AssumeRolePolicyDocument,
      ...(r.Boundary ? { PermissionsBoundary: { PermissionsBoundaryArn: policyArn(r.Boundary), Document: defaultVersion(r.Boundary) } } : {}),
      AttachedPolicies: r.Attached.map((name) => ({ PolicyArn: policyArn(name), PolicyName: name, Document: defaultVersion(name) })),
      InlinePolicies: Object.entries(r.Inline).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
      Missing: false,
      Unreadable: null,
    })),
    tables: TABLES.map((t) => ({
      TableName: t.TableName, TableArn: tableArn(t.TableName), KeySchema: t.KeySchema, AttributeDefinitions: t.AttributeDefinitions,
      ResourcePolicy: t.ResourcePolicy,
    })),
  };
  // Put the running sandbox's ids wherever the seed's occur (provider names, mapping keys, trust aud).
  const swaps: [string, string | undefined][] = [
    [USER_POOL_ID, ids.userPoolId], [CLIENTS.web.ClientId, ids.clients?.web], [CLIENTS.backend.ClientId, ids.clients?.backend],
    [CLIENTS.mobile.ClientId, ids.clients?.mobile], [CLIENTS.selfservice.ClientId, ids.clients?.selfservice],
    [TRIGGER_USER_POOL_ID, ids.triggerPool?.userPoolId], [TRIGGER_CLIENT.ClientId, ids.triggerPool?.clientId],
    ...Object.entries(IDENTITY_POOL_IDS).map(([k, v]): [string, string | undefined] => [v, ids.identityPools?.[k as keyof typeof IDENTITY_POOL_IDS]]),
  ];
  let json = JSON.stringify(snapshot);
  for (const [from, to] of swaps) if (to && to !== from) json = json.split(from).join(to);
  return JSON.parse(json) as Record<string, unknown>;
}
