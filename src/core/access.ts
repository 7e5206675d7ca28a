// May the credentials of a role (as Cognito hands them out) call this DynamoDB action on this
// table? Builds the policy set from the snapshot and runs the one IAM evaluator: simulateAccess
// with the explanation, decideAccess for the decision alone (an access matrix: a million cells).
// What every call on one snapshot shares (its index, each role's parsed policies, each table's
// resource policy) is read once per snapshot object: a snapshot is not changed once read.
import { decodePolicyDocument, SnapshotIndex, type RawPolicyDocument, type Role, type Snapshot, type Table } from './snapshot.ts';
import { authorize, decide, parsePolicy } from './iam/index.ts';
import { variableUsesIn } from './iam/patterns.ts';
import { cognitoGuestSessionPolicy } from './iam/cognitoSessionPolicy.ts';
import { buildDynamoRequest, defaultIdentityId, type DynamoRequestInput } from './iam/dynamodbContext.ts';
import type { Decision, DecisionKind, Policy, PolicyKind, PolicySet, RequestContext } from './iam/types.ts';

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
    return parsePolicy(decodeOnce(raw), meta);
  } catch (error) {
    const policy = parsePolicy({ Statement: [] }, meta);
    policy.problems = [{ path: '', message: `the policy document is ${(error as Error).message}` }];
    return policy;
  }
}

/**
 * Decoded documents by their text (IAM returns them URL-encoded): the same decoded object for the
 * same text, so parsePolicy finds the statements it read before (and their compiled form).
 */
const decodedByText = new Map<string, Record<string, unknown>>();
const DECODED_TEXTS = 4096;

function decodeOnce(raw: RawPolicyDocument): Record<string, unknown> {
  if (typeof raw !== 'string') return decodePolicyDocument(raw);
  let document = decodedByText.get(raw);
  if (!document) {
    document = decodePolicyDocument(raw);
    if (decodedByText.size >= DECODED_TEXTS) decodedByText.clear();
    decodedByText.set(raw, document);
  }
  return document;
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

/** What the simulations over one snapshot share. */
interface SnapshotAccess {
  roles: Role[];
  roleCount: number;
  tables: Table[];
  tableCount: number;
  index: SnapshotIndex;
  policies: WeakMap<Role, { identity: Policy[]; boundary?: Policy }>;
  resourcePolicies: WeakMap<Table, Policy>;
}

const snapshotAccess = new WeakMap<Snapshot, SnapshotAccess>();

/** The snapshot's shared parts; read again when its role or table list was replaced or grew. */
function accessOf(snapshot: Snapshot): SnapshotAccess {
  let access = snapshotAccess.get(snapshot);
  if (!access || access.roles !== snapshot.roles || access.roleCount !== snapshot.roles.length || access.tables !== snapshot.tables || access.tableCount !== snapshot.tables.length) {
    access = {
      roles: snapshot.roles,
      roleCount: snapshot.roles.length,
      tables: snapshot.tables,
      tableCount: snapshot.tables.length,
      index: new SnapshotIndex(snapshot),
      policies: new WeakMap(),
      resourcePolicies: new WeakMap(),
    };
    snapshotAccess.set(snapshot, access);
  }
  return access;
}

/** The policies and the request of one simulated call, or why there are none. */
function accessCase(snapshot: Snapshot, roleArn: string, request: AccessRequest): { set: PolicySet; request: RequestContext } | { error: string } {
  const access = accessOf(snapshot);
  const role = access.index.rolesByArn.get(roleArn);
  if (!role) return { error: `role ${roleArn} is not in the snapshot: nothing can be said about its permissions` };
  if (role.Missing) return { error: `role ${roleArn} does not exist (GetRole said NoSuchEntity)` };
  if (role.Unreadable) return { error: `role ${roleArn} could not be read by the scanner (${role.Unreadable})` };
  const table = access.index.tablesByName.get(request.table) ?? snapshot.tables.find((t) => t.TableArn === request.table);
  if (!table) return { error: `table ${request.table} is not in the snapshot (tables: ${snapshot.tables.map((t) => t.TableName).join(', ') || 'none'})` };
  const action = request.action.includes(':') ? request.action : `dynamodb:${request.action}`;

  let policies = access.policies.get(role);
  if (!policies) access.policies.set(role, (policies = rolePolicies(role)));
  const set: PolicySet = { identity: policies.identity, accountId: snapshot.accountId };
  if (policies.boundary) set.boundary = policies.boundary;
  if (table.ResourcePolicy) {
    let resource = access.resourcePolicies.get(table);
    if (!resource) access.resourcePolicies.set(table, (resource = policyFromRaw(table.ResourcePolicy, { name: `resource policy of ${table.TableName}`, kind: 'resource', arn: table.TableArn })));
    set.resource = resource;
  }
  if (request.guest && !request.basicFlow) set.session = cognitoGuestSessionPolicy();

  let amr: string[];
  if (request.guest) amr = ['unauthenticated'];
  else if (request.provider) amr = ['authenticated', request.provider];
  else {
    const first = snapshot.identityPools.find((p) => p.IdentityPoolId === request.identityPoolId)?.CognitoIdentityProviders?.[0];
    amr = first ? ['authenticated', first.ProviderName] : ['authenticated'];
  }
  const input: DynamoRequestInput = {
    action,
    table,
    identityId: request.identityId ?? defaultIdentityId(snapshot.region, 'own'),
    identityPoolId: request.identityPoolId,
    amr,
    partition: request.partition ?? 'own',
    roleArn,
  };
  if (request.index) input.index = request.index;
  if (request.attributes) input.attributes = request.attributes;
  if (request.select) input.select = request.select;
  if (request.sessionTags) input.principalTags = request.sessionTags;
  const dynamoRequest = buildDynamoRequest(input);
  return { set, request: dynamoRequest };
}

/**
 * The decision of `simulateAccess` alone (`allowed`, `implicit-deny`, `explicit-deny`), or the
 * same error: no explanation is built. For many cells (an access matrix); call simulateAccess for
 * the cell whose reasons are shown.
 */
export function decideAccess(snapshot: Snapshot, roleArn: string, request: AccessRequest): DecisionKind | { error: string } {
  const prepared = accessCase(snapshot, roleArn, request);
  if ('error' in prepared) return prepared;
  return decide(prepared.set, prepared.request);
}

/**
 * Simulates one DynamoDB call by the Cognito session of `roleArn`. Without `identityId`, the
 * identity id is `defaultIdentityId(region, 'own')` (`<region>:00000000-0000-4000-8000-000000000000`);
 * `partition: 'other'` then uses `<region>:ffffffff-ffff-4fff-bfff-ffffffffffff`. The partition
 * defaults to `own`.
 */
export function simulateAccess(snapshot: Snapshot, roleArn: string, request: AccessRequest): Decision | { error: string } {
  const prepared = accessCase(snapshot, roleArn, request);
  if ('error' in prepared) return prepared;
  const { set, request: dynamoRequest } = prepared;
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
