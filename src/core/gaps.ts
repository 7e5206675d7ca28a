// Scan gaps (shared/spec/snapshot.md, `scanGaps`): what the scanner could not read, what each gap
// covers, the SCAN_INCOMPLETE findings, and the least-privilege IAM policy the scanner needs.
//
// What a gap covers is "not captured": checks that would read it say nothing rather than guess
// (never a false "no authenticated role" because GetIdentityPoolRoles was denied).
import { finding, type Finding, type FindingSubject } from './findings.ts';
import type { ScanGap, Snapshot } from './snapshot.ts';

/**
 * Every IAM action `scan` uses, by service (the README publishes this policy; the sandbox's
 * `cognito-sandbox-readonly` profile is authorized against its own copy of it). STS
 * GetCallerIdentity needs no permission. test-user and probe use only the test user's own
 * credentials, apart from the scan they compare with.
 */
export const SCAN_ACTIONS = [
  'cognito-idp:ListUserPools',
  'cognito-idp:DescribeUserPool',
  'cognito-idp:ListUserPoolClients',
  'cognito-idp:DescribeUserPoolClient',
  'cognito-idp:ListGroups',
  'cognito-idp:ListUsers',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-identity:ListIdentityPools',
  'cognito-identity:DescribeIdentityPool',
  'cognito-identity:GetIdentityPoolRoles',
  'cognito-identity:GetPrincipalTagAttributeMap',
  'iam:GetAccountAuthorizationDetails',
  'iam:GetRole',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'dynamodb:ListTables',
  'dynamodb:DescribeTable',
  'dynamodb:GetResourcePolicy',
] as const;

/** The least-privilege identity policy for `scan` (read-only; every action above). */
export function scanPolicyDocument(): { Version: string; Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string }[] } {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'CognitoAccessInspectorScan', Effect: 'Allow', Action: [...SCAN_ACTIONS], Resource: '*' }],
  };
}

/** The ARN an IAM statement names for a gap's resource (`*` for list calls and unknown shapes). */
export function gapResourceArn(gap: ScanGap, region: string, accountId: string): string {
  const id = gap.resource;
  if (!id) return '*';
  if (id.startsWith('arn:')) return id;
  const service = gap.permission.split(':')[0];
  if (service === 'cognito-idp') {
    // A user pool id, `<poolId>/<client or user>`: the pool's ARN covers both.
    const poolId = id.split('/')[0]!;
    return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
  }
  // An identity pool id, or `<poolId>/<provider>` (GetPrincipalTagAttributeMap): the pool's ARN.
  if (service === 'cognito-identity') return `arn:aws:cognito-identity:${region}:${accountId}:identitypool/${id.split('/')[0]}`;
  if (service === 'dynamodb') return `arn:aws:dynamodb:${region}:${accountId}:table/${id}`;
  return '*';
}

/** The IAM policy statement that would let the scanner read what the gap covers. */
export function gapStatement(gap: ScanGap, region: string, accountId: string): { Effect: 'Allow'; Action: string; Resource: string } {
  return { Effect: 'Allow', Action: gap.permission, Resource: gapResourceArn(gap, region, accountId) };
}

/** A whole policy document for one gap, ready to paste into IAM. */
export function gapPolicyDocument(gap: ScanGap, region: string, accountId: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [gapStatement(gap, region, accountId)] }, null, 2);
}

/** A short phrase for what the gap leaves unread, e.g. "role mappings" (tree labels, messages). */
export function gapTopic(gap: ScanGap): string {
  switch (gap.operation) {
    case 'ListUserPools': return 'the list of user pools';
    case 'DescribeUserPool': return 'user pool settings';
    case 'ListUserPoolClients': return 'app clients';
    case 'DescribeUserPoolClient': return 'app client settings';
    case 'ListGroups': return 'groups';
    case 'ListUsers': return 'users';
    case 'AdminListGroupsForUser': return 'the user\'s groups';
    case 'ListIdentityPools': return 'the list of identity pools';
    case 'DescribeIdentityPool': return 'identity pool settings and providers';
    case 'GetIdentityPoolRoles': return 'role mappings and default roles';
    case 'GetPrincipalTagAttributeMap': return 'principal tag map';
    case 'GetRole': return 'role (trust policy)';
    case 'ListAttachedRolePolicies': return 'attached policies';
    case 'ListRolePolicies':
    case 'GetRolePolicy': return 'inline policies';
    case 'GetPolicy':
    case 'GetPolicyVersion': return 'managed policy document';
    case 'GetAccountAuthorizationDetails': return 'account authorization details';
    case 'ListTables': return 'the list of tables';
    case 'DescribeTable': return 'table';
    case 'GetResourcePolicy': return 'table resource policy';
    default: return gap.operation;
  }
}

/** What the gap's resource is, as a finding subject. */
function gapSubject(gap: ScanGap, snapshot: Snapshot): FindingSubject {
  const id = gap.resource;
  const account: FindingSubject = { kind: 'account', id: `${snapshot.accountId}/${snapshot.region}` };
  if (!id) return account;
  switch (gap.service) {
    case 'cognito-idp':
      if (gap.operation === 'AdminListGroupsForUser') return { kind: 'user', id };
      return { kind: 'userPool', id: id.split('/')[0]! };
    case 'cognito-identity':
      return { kind: 'identityPool', id: id.split('/')[0]! };
    case 'iam':
      return id.includes(':role/') ? { kind: 'role', id } : account;
    case 'dynamodb':
      return { kind: 'table', id: id.startsWith('arn:') ? id : `arn:aws:dynamodb:${snapshot.region}:${snapshot.accountId}:table/${id}` };
    default:
      return account;
  }
}

/** One SCAN_INCOMPLETE finding per gap: the operation, the resource, the error and the permission. */
export function gapFindings(snapshot: Snapshot): Finding[] {
  return (snapshot.scanGaps ?? []).map((gap) => {
    const what = gap.resource ? `${gapTopic(gap)} of ${gap.resource}` : gapTopic(gap);
    const policy = JSON.stringify(gapStatement(gap, snapshot.region, snapshot.accountId));
    return finding(
      'SCAN_INCOMPLETE',
      gapSubject(gap, snapshot),
      `The scan could not read ${what}: ${gap.service}:${gap.operation} failed with ${gap.error}${gap.message ? ` (${gap.message})` : ''}. Nothing is claimed about what it would have shown.`,
      gap.error === 'AccessDeniedException' || gap.error === 'AccessDenied' || gap.error === 'UnauthorizedOperation'
        ? `Allow ${gap.permission} to the scanning identity, then scan again: ${policy}`
        : `Scan again (${gap.permission} is the permission this read needs: ${policy}); if it keeps failing, check the endpoint and the network.`,
    );
  });
}

/** Answers "is this part of the snapshot covered by a gap?" for the engine's checks. */
export class GapIndex {
  private readonly byKey = new Map<string, ScanGap>();

  constructor(gaps: readonly ScanGap[] | undefined) {
    for (const gap of gaps ?? []) {
      const key = `${gap.operation}|${gap.resource ?? ''}`;
      if (!this.byKey.has(key)) this.byKey.set(key, gap);
    }
  }

  private find(operations: readonly string[], resource: string | null): ScanGap | undefined {
    for (const operation of operations) {
      const gap = this.byKey.get(`${operation}|${resource ?? ''}`);
      if (gap) return gap;
    }
    return undefined;
  }

  /** The identity pool's Roles and RoleMappings were not read (GetIdentityPoolRoles). */
  identityPoolRoles(identityPoolId: string): ScanGap | undefined {
    return this.find(['GetIdentityPoolRoles'], identityPoolId);
  }

  /** The identity pool's settings and providers were not read (DescribeIdentityPool). */
  identityPoolSettings(identityPoolId: string): ScanGap | undefined {
    return this.find(['DescribeIdentityPool'], identityPoolId);
  }

  /** Anything about this identity pool that changes which role a user gets. */
  identityPool(identityPoolId: string): ScanGap | undefined {
    return this.identityPoolRoles(identityPoolId) ?? this.identityPoolSettings(identityPoolId);
  }

  /** The identity pool's principal tag map for this provider was not read (GetPrincipalTagAttributeMap). */
  principalTags(identityPoolId: string, providerName: string): ScanGap | undefined {
    return this.find(['GetPrincipalTagAttributeMap'], `${identityPoolId}/${providerName}`);
  }

  /** The user pool's groups were not (fully) read. */
  userPoolGroups(userPoolId: string): ScanGap | undefined {
    return this.find(['ListGroups'], userPoolId);
  }
}
