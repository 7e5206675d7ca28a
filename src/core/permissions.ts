// Permission findings for the roles Cognito hands out (findings.md, "Permissions (DynamoDB)").
// Policy variables: IAM User Guide, reference_policies_variables.html (only Version 2012-10-17).
// Fine-grained access: DynamoDB Developer Guide, specifying-conditions.html, and IAM User Guide,
// reference_policies_examples_dynamodb_items.html (ForAllValues:StringEquals on
// dynamodb:LeadingKeys against ${cognito-identity.amazonaws.com:sub}).
import { finding, type Finding } from './findings.ts';
import { rolePolicies } from './access.ts';
import { SnapshotIndex, type Role, type Snapshot } from './snapshot.ts';
import { authorize, decide, statementJson, statementLabel, variablesIn } from './iam/index.ts';
import { compilePolicy, resourceMatched } from './iam/compile.ts';
import { parseOperator } from './iam/operators.ts';
import { buildDynamoRequest, defaultIdentityId } from './iam/dynamodbContext.ts';
import type { Policy, PolicySet, Statement } from './iam/types.ts';

const LEADING_KEYS = 'dynamodb:leadingkeys';
const COGNITO_SUB = 'cognito-identity.amazonaws.com:sub';
const RIGHT_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

function label(policy: Policy, statement: Statement): string {
  return statementLabel({ sid: statement.Sid, index: statement.index, policyName: policy.name, policyKind: policy.kind });
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Every string of a statement where policy variables may appear (Resource and condition values). */
function variableSites(statement: Statement): string[] {
  const sites = [...(statement.Resource ?? []), ...(statement.NotResource ?? [])];
  for (const keys of Object.values(statement.Condition ?? {})) for (const values of Object.values(keys)) sites.push(...values);
  return sites;
}

/** The LeadingKeys conditions of a statement: [operator, key as written, values]. */
function leadingKeyConditions(statement: Statement): [string, string, string[]][] {
  const out: [string, string, string[]][] = [];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) if (key.toLowerCase() === LEADING_KEYS) out.push([operator, key, values]);
  }
  return out;
}

/** Variables a Cognito identity-pool session can supply for a partition key (principal tags come from attributes for access control). */
function isCognitoIdentityVariable(key: string): boolean {
  const lower = key.toLowerCase();
  return lower === COGNITO_SUB || lower.startsWith('aws:principaltag/');
}

function checkPolicy(role: Role, policy: Policy, subject: Finding['subject'], findings: Finding[]): void {
  if (policy.problems.length > 0) {
    const list = policy.problems.map((p) => `${p.path || '(document)'}: ${p.message}`);
    findings.push(
      finding(
        'POLICY_MALFORMED',
        subject,
        `Policy "${policy.name}" of role ${role.RoleName} has ${list.length} problem${list.length > 1 ? 's' : ''}: ${list.slice(0, 5).join('; ')}${list.length > 5 ? '; ...' : ''}. A statement that cannot be understood is left out of every simulation.`,
        `Correct policy "${policy.name}" at ${policy.problems.map((p) => p.path || 'the document root').join(', ')} so that IAM accepts it: each statement needs "Effect": "Allow" or "Deny", an Action (or NotAction), a Resource (or NotResource), and known condition operators such as StringEquals or ForAllValues:StringEquals.`,
      ),
    );
  }

  for (const statement of policy.Statement) {
    const where = label(policy, statement);
    if (policy.Version !== '2012-10-17') {
      const variables = [...new Set(variableSites(statement).flatMap((s) => variablesIn(s)))];
      if (variables.length > 0) {
        findings.push(
          finding(
            'POLICY_VARIABLES_WITHOUT_VERSION',
            subject,
            `${cap(where)} of role ${role.RoleName} uses ${variables.map((v) => `\${${v}}`).join(', ')}, but the policy's Version is ${policy.Version ? `"${policy.Version}"` : 'missing'}: IAM reads the variables as literal text, so they never match.`,
            `Set "Version": "2012-10-17" at the top of policy "${policy.name}":\n${pretty({ Version: '2012-10-17', Statement: [statementJson(statement)] })}`,
          ),
        );
      }
    }

    const conditions = leadingKeyConditions(statement);
    if (statement.Effect !== 'Allow' || conditions.length === 0) continue;
    for (const [operator, key, values] of conditions) {
      const wrong = values.flatMap((v) => variablesIn(v)).filter((k) => !isCognitoIdentityVariable(k));
      if (wrong.length > 0) {
        const corrected = structuredClone(statement);
        corrected.Condition![operator]![key] = values.map((v) => (variablesIn(v).length > 0 && variablesIn(v).every((k) => !isCognitoIdentityVariable(k)) ? RIGHT_VARIABLE : v));
        findings.push(
          finding(
            'FGAC_WRONG_VARIABLE',
            subject,
            `${cap(where)} of role ${role.RoleName} limits dynamodb:LeadingKeys to ${wrong.map((w) => `\${${w}}`).join(', ')}, which a Cognito identity-pool session never carries${wrong.some((w) => w.toLowerCase().includes('cognito-idp') || w.toLowerCase() === 'sub') ? ' (the user pool sub is not the identity id)' : ''}: the condition never matches, so every keyed request is denied.`,
            `Compare the partition key with the identity id, ${RIGHT_VARIABLE}:\n${pretty(statementJson(corrected))}`,
          ),
        );
      }
      const parsed = parseOperator(operator);
      if (parsed.base && parsed.set !== 'ForAllValues') {
        const corrected = structuredClone(statement);
        const newOperator = `ForAllValues:${parsed.base.name}${parsed.ifExists ? 'IfExists' : ''}`;
        const moved = corrected.Condition![operator]!;
        delete moved[key];
        if (Object.keys(moved).length === 0) delete corrected.Condition![operator];
        corrected.Condition![newOperator] = { ...(corrected.Condition![newOperator] ?? {}), [key]: values };
        findings.push(
          finding(
            'FGAC_LEADINGKEYS_NOT_FORALLVALUES',
            subject,
            `${cap(where)} of role ${role.RoleName} tests dynamodb:LeadingKeys with ${operator}. LeadingKeys is multivalued: ${
              parsed.set === 'ForAnyValue'
                ? 'ForAnyValue allows a batch request as soon as one of its keys is the caller’s own, so other partitions leak'
                : 'a plain operator fails for requests with several keys (BatchGetItem, BatchWriteItem) and does not state that every key must match'
            }.`,
            `Use ${newOperator}:\n${pretty(statementJson(corrected))}`,
          ),
        );
      }
    }
  }
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Scan carries no leading keys: a role limited by LeadingKeys that may also Scan the same table reads every partition. */
function checkScanBypass(snapshot: Snapshot, role: Role, set: PolicySet, subject: Finding['subject'], findings: Finding[]): void {
  const poolId = snapshot.identityPools.find((p) => Object.values(p.Roles).includes(role.Arn))?.IdentityPoolId ?? snapshot.identityPools[0]?.IdentityPoolId ?? `${snapshot.region}:unknown`;
  const identityId = defaultIdentityId(snapshot.region, 'own');
  const limited = set.identity.flatMap((p) => {
    const compiled = compilePolicy(p).statements;
    return p.Statement.flatMap((s, i) => (s.Effect === 'Allow' && leadingKeyConditions(s).length > 0 ? [{ p, s, compiled: compiled[i]! }] : []));
  });
  if (limited.length === 0) return;
  for (const table of snapshot.tables) {
    const base = { table, identityId, identityPoolId: poolId, amr: ['authenticated'], partition: 'own', roleArn: role.Arn };
    // Only the Resource part of a limited statement is asked (the compiled matchers), and Scan is
    // decided without an explanation first: most (role, table) pairs stop here.
    const query = buildDynamoRequest({ ...base, action: 'dynamodb:Query' });
    const covering = limited.find(({ compiled }) => resourceMatched(compiled, query));
    if (!covering) continue;
    const scanRequest = buildDynamoRequest({ ...base, action: 'dynamodb:Scan' });
    if (decide(set, scanRequest) !== 'allowed') continue;
    const scan = authorize(set, scanRequest);
    if (scan.decision !== 'allowed') continue;
    const granting = scan.explanation.deciding.find((d) => d.policyKind === 'identity' || d.policyKind === 'resource');
    let fix = `Remove dynamodb:Scan for ${table.TableName} from the role's policies`;
    if (granting?.statement.Action) {
      const corrected = structuredClone(granting.statement);
      const kept = corrected.Action!.filter((a) => a.toLowerCase() !== 'dynamodb:scan');
      if (kept.length !== corrected.Action!.length) corrected.Action = kept;
      else {
        // A wildcard grants Scan: list the keyed actions it was meant for instead.
        corrected.Action = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
      }
      fix += ` (in ${statementLabel(granting)}):\n${pretty(statementJson(corrected))}`;
    } else fix += '.';
    findings.push(
      finding(
        'FGAC_SCAN_BYPASS',
        subject,
        `Role ${role.RoleName} is limited to its own partition of ${table.TableName} by dynamodb:LeadingKeys (${label(covering.p, covering.s)}), but ${granting ? statementLabel(granting) : 'its policies'} also allow dynamodb:Scan on ${table.TableName}. Scan carries no leading keys, so it reads every user's items.`,
        fix,
        { related: [{ kind: 'table', id: table.TableArn }] },
      ),
    );
  }
}

/** Findings for the given roles (default: every role in the snapshot that was read completely). */
export function checkPermissions(snapshot: Snapshot, roleArns?: Iterable<string>): Finding[] {
  const index = new SnapshotIndex(snapshot);
  const arns = roleArns ? [...new Set(roleArns)] : snapshot.roles.map((r) => r.Arn);
  const findings: Finding[] = [];
  for (const arn of arns) {
    const role = index.rolesByArn.get(arn);
    if (!role || role.Missing || role.Unreadable) continue; // ROLE_NOT_CAPTURED / ROLE_UNREADABLE come from elsewhere
    const subject = { kind: 'role' as const, id: role.Arn };
    const { identity, boundary } = rolePolicies(role);
    for (const policy of [...identity, ...(boundary ? [boundary] : [])]) checkPolicy(role, policy, subject, findings);
    const set: PolicySet = { identity, accountId: snapshot.accountId };
    if (boundary) set.boundary = boundary;
    checkScanBypass(snapshot, role, set, subject, findings);
  }
  return findings;
}
