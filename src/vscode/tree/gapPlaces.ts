// Where a scan gap shows in the Explorer, and how its warning node reads. Pure (types only from
// core, no vscode), so node:test covers it (test/unit/gapPlaces.test.ts).
//
// A gap sits on the node of what it could not read: an identity pool (settings, role mappings
// and default roles, or a provider's principal-tag map, under that provider), a user pool (settings, groups, app clients, users), a role (any IAM read of
// that role). Everything else (list calls, tables, managed policies, pools that are not in the
// tree) sits under the connection.
import type { ScanGap, Snapshot } from '../../core/snapshot.ts';

export type UserPoolTopic = 'settings' | 'groups' | 'clients' | 'users';
export type IdentityPoolTopic = 'settings' | 'roles' | 'tags';

export type GapPlace =
  | { kind: 'connection' }
  | { kind: 'userPool'; poolId: string; topic: UserPoolTopic }
  | { kind: 'identityPool'; poolId: string; topic: IdentityPoolTopic }
  | { kind: 'role'; roleArn: string };

const USER_POOL_TOPICS: Record<string, UserPoolTopic> = {
  DescribeUserPool: 'settings',
  ListGroups: 'groups',
  ListUserPoolClients: 'clients',
  DescribeUserPoolClient: 'clients',
  ListUsers: 'users',
  AdminListGroupsForUser: 'users',
};

/** Role ARNs the tree shows a node for: groups' roles, identity pools' default roles and rule roles. */
function rolesInTree(snapshot: Snapshot): Set<string> {
  const arns = new Set<string>();
  for (const pool of snapshot.userPools) for (const g of pool.Groups) if (g.RoleArn) arns.add(g.RoleArn);
  for (const pool of snapshot.identityPools) {
    if (pool.Roles.authenticated) arns.add(pool.Roles.authenticated);
    if (pool.Roles.unauthenticated) arns.add(pool.Roles.unauthenticated);
    for (const mapping of Object.values(pool.RoleMappings)) for (const rule of mapping.RulesConfiguration?.Rules ?? []) arns.add(rule.RoleARN);
  }
  return arns;
}

/** The node a gap belongs to (resource conventions: shared/spec/snapshot.md, src/core/gaps.ts). */
export function gapPlace(gap: ScanGap, snapshot: Snapshot, roleArns: ReadonlySet<string> = rolesInTree(snapshot)): GapPlace {
  const resource = gap.resource;
  if (!resource) return { kind: 'connection' };
  if (gap.service === 'cognito-idp') {
    const poolId = resource.split('/')[0]!;
    const topic = USER_POOL_TOPICS[gap.operation];
    if (topic && snapshot.userPools.some((p) => p.Id === poolId)) return { kind: 'userPool', poolId, topic };
  }
  if (gap.service === 'cognito-identity' && snapshot.identityPools.some((p) => p.IdentityPoolId === resource)) {
    return { kind: 'identityPool', poolId: resource, topic: gap.operation === 'GetIdentityPoolRoles' ? 'roles' : 'settings' };
  }
  // A principal-tag map: `<identityPoolId>/<provider>`, shown under that provider.
  if (gap.service === 'cognito-identity' && gap.operation === 'GetPrincipalTagAttributeMap') {
    const poolId = resource.slice(0, resource.indexOf('/'));
    if (snapshot.identityPools.some((p) => p.IdentityPoolId === poolId)) return { kind: 'identityPool', poolId, topic: 'tags' };
  }
  if (gap.service === 'iam' && resource.includes(':role/') && roleArns.has(resource)) return { kind: 'role', roleArn: resource };
  return { kind: 'connection' };
}

/** Every gap of the snapshot with its place, in the snapshot's order. */
export function placeGaps(snapshot: Snapshot): { gap: ScanGap; place: GapPlace }[] {
  const gaps = snapshot.scanGaps ?? [];
  if (gaps.length === 0) return [];
  const roleArns = rolesInTree(snapshot);
  return gaps.map((gap) => ({ gap, place: gapPlace(gap, snapshot, roleArns) }));
}

const lastSegment = (id: string): string => id.slice(id.search(/[^/:]*$/));

/** What could not be read, as the start of a tree label ("Role mappings and default roles"). */
export function gapTitle(gap: ScanGap): string {
  const resource = gap.resource ?? '';
  const afterSlash = resource.includes('/') ? resource.slice(resource.indexOf('/') + 1) : resource;
  switch (gap.operation) {
    case 'ListUserPools': return 'User pools';
    case 'DescribeUserPool': return 'User pool settings';
    case 'ListUserPoolClients': return 'App clients';
    case 'DescribeUserPoolClient': return `App client ${afterSlash}`;
    case 'ListGroups': return 'Groups';
    case 'ListUsers': return 'Users';
    case 'AdminListGroupsForUser': return `Groups of user ${afterSlash}`;
    case 'ListIdentityPools': return 'Identity pools';
    case 'DescribeIdentityPool': return 'Identity pool settings and providers';
    case 'GetIdentityPoolRoles': return 'Role mappings and default roles';
    case 'GetPrincipalTagAttributeMap': return 'Principal tag map';
    case 'GetRole': return 'Role and trust policy';
    case 'ListAttachedRolePolicies': return 'Attached policies';
    case 'ListRolePolicies':
    case 'GetRolePolicy': return 'Inline policies';
    case 'GetPolicy':
    case 'GetPolicyVersion': return resource ? `Managed policy ${lastSegment(resource)}` : 'Managed policies';
    case 'GetAccountAuthorizationDetails': return 'Account authorization details';
    case 'ListTables': return 'DynamoDB tables';
    case 'DescribeTable': return resource ? `Table ${lastSegment(resource)}` : 'Tables';
    case 'GetResourcePolicy': return resource ? `Resource policy of table ${lastSegment(resource)}` : 'Table resource policies';
    default: return `${gap.service}:${gap.operation}`;
  }
}

/** A permission error (as opposed to a timeout or a network failure): the fix is a policy. */
export function isPermissionGap(gap: ScanGap): boolean {
  return /^(AccessDenied(Exception)?|UnauthorizedOperation|NotAuthorizedException|UnauthorizedException)$/.test(gap.error);
}

/** The warning node's label and description, e.g. "Role mappings and default roles: not readable", "needs cognito-identity:GetIdentityPoolRoles". */
export function gapLabel(gap: ScanGap): { label: string; description: string } {
  return isPermissionGap(gap)
    ? { label: `${gapTitle(gap)}: not readable`, description: `needs ${gap.permission}` }
    : { label: `${gapTitle(gap)}: not read`, description: `${gap.error}: scan again` };
}
