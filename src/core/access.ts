// May the credentials of a role (as Cognito hands them out) call this DynamoDB action on this
// table? Builds the policy set from the snapshot and runs the one IAM evaluator.
import { decodePolicyDocument, SnapshotIndex, type RawPolicyDocument, type Role, type Snapshot } from './snapshot.ts';
import { authorize, parsePolicy } from './iam/index.ts';
import { variableUsesIn } from './iam/patterns.ts';
import { cognitoGuestSessionPolicy } from './iam/cognitoSessionPolicy.ts';
import { buildDynamoRequest, defaultIdentityId } from './iam/dynamodbContext.ts';
import type { Decision, Policy, PolicyKind, PolicySet } from './iam/types.ts';

/** The actions of the probe matrix, in the order people read them: reads, writes, metadata. */
export function listDynamoActions(): string[] {
  return ['GetItem', 'Query', 'Scan', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'ConditionCheckItem', 'DescribeTable'].map(
    (a) => `dynamodb:${a}`,
  );
}

/** Parses a stored document; an undecodable one becomes a policy with one problem and no statements. */
export function policyFromRaw(raw: RawPolicyDocument | null | undefined, meta: { name: string; kind: PolicyKind; arn?: string }): Policy {
  if (raw === null || raw === undefined) {
    const policy = parsePolicy({ Statement: [] }, meta);
    policy.problems = [{ path: '', message: 'the policy document was not captured in the snapshot; nothing it allows is counted' }];
    return policy;
  }
  try {
    return parsePolicy(decodePolicyDocument(raw), meta);
  } catch (error) {
    const policy = parsePolicy({ Statement: [] }, meta);
    policy.problems = [{ path: '', message: `the policy document is ${(error as Error).message}` }];
    return policy;
  }
}

/** The identity-based policies (attached, then inline) and the permissions boundary of a role. */
export function rolePolicies(role: Role): { identity: Policy[]; boundary?: Policy } {
  const identity: Policy[] = [];
  for (const attached of role.AttachedPolicies ?? []) {
    const name = attached.PolicyName ?? attached.PolicyArn.slice(attached.PolicyArn.lastIndexOf('/') + 1);
    identity.push(policyFromRaw(attached.Document, { name, kind: 'identity', arn: attached.PolicyArn }));
  }
  for (const inline of role.InlinePolicies ?? []) {
    identity.push(policyFromRaw(inline.PolicyDocument, { name: inline.PolicyName, kind: 'identity', arn: role.Arn }));
  }
  const result: { identity: Policy[]; boundary?: Policy } = { identity };
  if (role.PermissionsBoundary) {
    const arn = role.PermissionsBoundary.PermissionsBoundaryArn;
    result.boundary = policyFromRaw(role.PermissionsBoundary.Document, { name: arn.slice(arn.lastIndexOf('/') + 1), kind: 'boundary', arn });
  }
  return result;
}

/**
 * The principal tags a role's policies use as partition keys: `${aws:PrincipalTag/<key>}` in the
 * values of a `dynamodb:LeadingKeys` condition (attribute-based access: "the items of my
 * department"). The probe adds a partition of each such tag's value, so the caller's own
 * department is tried beside another partition. Keys as written in the policy, each once.
 */
export function leadingKeyTags(role: Role): string[] {
  const keys = new Map<string, string>();
  const { identity, boundary } = rolePolicies(role);
  for (const policy of [...identity, ...(boundary ? [boundary] : [])]) {
    if (policy.Version !== '2012-10-17') continue; // no policy variables in older documents
    for (const statement of policy.Statement) {
      for (const block of Object.values(statement.Condition ?? {})) {
        for (const [key, values] of Object.entries(block)) {
          if (key.toLowerCase() !== 'dynamodb:leadingkeys') continue;
          for (const value of values) {
            for (const use of variableUsesIn(value)) {
              if (!use.key.toLowerCase().startsWith('aws:principaltag/')) continue;
              const tag = use.key.slice('aws:PrincipalTag/'.length);
              if (!keys.has(tag.toLowerCase())) keys.set(tag.toLowerCase(), tag);
            }
          }
        }
      }
    }
  }
  return [...keys.values()];
}

export interface AccessRequest {
  action: string;
  table: string;
  partition?: 'own' | 'other' | string;
  identityId?: string;
  identityPoolId: string;
  guest?: boolean;
  /** A global secondary or local index of the table. */
  index?: string;
  /** dynamodb:Attributes of the request (the attribute names it projects or writes), when it names any. */
  attributes?: string[];
  /** dynamodb:Select of the request, when it sets Select. */
  select?: string;
  /** The session tags (principal tags) of the credentials: `aws:PrincipalTag/<key>`; null or absent: none. */
  sessionTags?: Record<string, string> | null;
  /** The login's provider (its name goes in amr), when not the pool's first user pool. */
  provider?: string;
  /** Credentials from the basic (classic) flow: no Cognito session policy, also for guests. */
  basicFlow?: boolean;
}

/**
 * Simulates one DynamoDB call by the Cognito session of `roleArn`. Without `identityId`, the
 * identity id is `defaultIdentityId(region, 'own')` (`<region>:00000000-0000-4000-8000-000000000000`);
 * `partition: 'other'` then uses `<region>:ffffffff-ffff-4fff-bfff-ffffffffffff`. The partition
 * defaults to `own`.
 */
export function simulateAccess(snapshot: Snapshot, roleArn: string, request: AccessRequest): Decision | { error: string } {
  const index = new SnapshotIndex(snapshot);
  const role = index.rolesByArn.get(roleArn);
  if (!role) return { error: `role ${roleArn} is not in the snapshot: nothing can be said about its permissions` };
  if (role.Missing) return { error: `role ${roleArn} does not exist (GetRole said NoSuchEntity)` };
  if (role.Unreadable) return { error: `role ${roleArn} could not be read by the scanner (${role.Unreadable})` };
  const table = index.tablesByName.get(request.table) ?? snapshot.tables.find((t) => t.TableArn === request.table);
  if (!table) return { error: `table ${request.table} is not in the snapshot (tables: ${snapshot.tables.map((t) => t.TableName).join(', ') || 'none'})` };
  const action = request.action.includes(':') ? request.action : `dynamodb:${request.action}`;

  const { identity, boundary } = rolePolicies(role);
  const set: PolicySet = { identity, accountId: snapshot.accountId };
  if (boundary) set.boundary = boundary;
  if (table.ResourcePolicy) set.resource = policyFromRaw(table.ResourcePolicy, { name: `resource policy of ${table.TableName}`, kind: 'resource', arn: table.TableArn });
  if (request.guest && !request.basicFlow) set.session = cognitoGuestSessionPolicy();

  const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === request.identityPoolId);
  const amr = request.guest
    ? ['unauthenticated']
    : ['authenticated', ...(request.provider ? [request.provider] : (pool?.CognitoIdentityProviders ?? []).slice(0, 1).map((p) => p.ProviderName))];
  const dynamoRequest = buildDynamoRequest({
    action,
    table,
    identityId: request.identityId ?? defaultIdentityId(snapshot.region, 'own'),
    identityPoolId: request.identityPoolId,
    amr,
    partition: request.partition ?? 'own',
    roleArn,
    ...(request.index ? { index: request.index } : {}),
    ...(request.attributes ? { attributes: request.attributes } : {}),
    ...(request.select ? { select: request.select } : {}),
    ...(request.sessionTags ? { principalTags: request.sessionTags } : {}),
  });
  const decision = authorize(set, dynamoRequest);
  const tags = Object.entries(request.sessionTags ?? {});
  if (tags.length > 0) {
    decision.explanation.summary += ` The session carries principal tags ${tags.map(([k, v]) => `aws:PrincipalTag/${k} = ${JSON.stringify(v)}`).join(', ')}.`;
  }
  if (request.guest && decision.decision === 'implicit-deny' && decision.explanation.missingAllowIn === 'session') {
    decision.explanation.summary += ' Guest (unauthenticated) credentials from the enhanced flow carry the Cognito-managed session policy AmazonCognitoUnAuthedIdentitiesSessionPolicy, which lists no DynamoDB action; no role policy can widen it (inferred from the documented policy, not observed live).';
    decision.explanation.suggestion = 'Let users sign in (authenticated identities carry no session policy), or call DynamoDB through a backend; the Cognito guest session policy cannot be changed.';
    delete decision.explanation.suggestedStatement;
  }
  return decision;
}
