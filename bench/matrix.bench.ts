// Access-matrix decisions (issue 14): a generated snapshot of 1,000 groups, each with its own role
// (attached and inline policies, a permissions boundary on every 10th), 50 tables (resource
// policies on some) and one identity pool, and every cell of 1,000 roles x 20 DynamoDB actions x
// 50 tables decided with the decision-only API, decideAccess (a million evaluations). Next to it,
// in the same run, the explained API on a sample of the same cells (simulateAccess with its
// explanation read, as a cell's summary needs it), and the ratio of the two. Then the product's
// own matrix, accessMatrix() (every way in x 50 tables x its 10 actions, another's partition
// too where the action carries keys) and its text rendering (`access-matrix --format text`).
// Reports time, rate and peak memory; no assertions. BENCH_SMOKE=1: 20 roles x 20 actions x 5 tables.
import { decideAccess, simulateAccess } from '../src/core/access.ts';
import { accessMatrix } from '../src/core/accessMatrix.ts';
import { matrixText } from '../src/cli/accessMatrix.ts';
import type { DecisionKind } from '../src/core/iam/types.ts';
import type { Snapshot } from '../src/core/snapshot.ts';

const SMOKE = Boolean(process.env.BENCH_SMOKE) && process.env.BENCH_SMOKE !== '0';
const ROLES = SMOKE ? 20 : 1_000;
const TABLES = SMOKE ? 5 : 50;
/** Every SAMPLE-th cell is also simulated with its explanation (the baseline); co-prime with 20 x 50, so every action and table is sampled. */
const SAMPLE = SMOKE ? 7 : 49;

const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';
const USER_POOL = `${REGION}_MATRIX001`;
const PROVIDER = `cognito-idp.${REGION}.amazonaws.com/${USER_POOL}`;
const POOL = `${REGION}:00000000-0000-4000-8000-00000000aaaa`;
const ACTIONS = [
  'GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem', 'DescribeTable',
  'TransactGetItems', 'TransactWriteItems', 'DescribeTimeToLive', 'ListTagsOfResource', 'UpdateTable', 'DeleteTable', 'TagResource', 'UntagResource', 'DescribeContinuousBackups', 'PartiQLSelect',
].map((a) => `dynamodb:${a}`);

const tableArn = (name: string): string => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
const roleArn = (i: number): string => `arn:aws:iam::${ACCOUNT}:role/Group${i}Role`;
/** Most tables are per-team (`t<n>`); a few are shared, a few are audit logs behind a resource policy. */
function tableName(i: number): string {
  if (i % 10 === 8) return `shared-${i}`;
  if (i % 10 === 9) return `audit-${i}`;
  return `t${i}`;
}

/** The statements a group role of a Cognito app carries: own partition, shared reads, a deny, ABAC, metadata. */
function roleOf(i: number): Snapshot['roles'][number] {
  const own = tableName(i % TABLES);
  const next = tableName((i + 1) % TABLES);
  const role: Snapshot['roles'][number] = {
    RoleName: `Group${i}Role`,
    Arn: roleArn(i),
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL } } }] },
    AttachedPolicies: [
      {
        PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Group${i}Data`,
        PolicyName: `Group${i}Data`,
        Document: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'OwnItems', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'], Resource: [tableArn(own), `${tableArn(next)}/index/*`], Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] } } },
            { Sid: 'SharedReads', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:DescribeTable'], Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/shared-*` },
            { Sid: 'NoAuditWrites', Effect: 'Deny', Action: ['dynamodb:Delete*', 'dynamodb:Update*', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/audit-*` },
            { Sid: 'TeamTables', Effect: 'Allow', Action: 'dynamodb:*', Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/\${aws:PrincipalTag/team}-*`, Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
          ],
        },
      },
    ],
    InlinePolicies: [
      { PolicyName: 'Metadata', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:Describe*', 'dynamodb:ListTagsOfResource'], Resource: 'arn:aws:dynamodb:*:*:table/*', Condition: { StringEquals: { 'aws:RequestedRegion': REGION } } }] } },
    ],
  };
  if (i % 10 === 0) {
    role.PermissionsBoundary = {
      PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/ReadOnlyBoundary`,
      Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:Get*', 'dynamodb:BatchGet*', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:Describe*'], Resource: '*' }] },
    };
  }
  return role;
}

export function generateMatrixSnapshot(roles: number, tables: number): Snapshot {
  return {
    format: 'cognito-access-snapshot/v1',
    region: REGION,
    accountId: ACCOUNT,
    userPools: [{ Id: USER_POOL, Name: 'matrix', Clients: [{ ClientId: 'client0' }], Groups: Array.from({ length: roles }, (_, i) => ({ GroupName: `Group${i}`, Precedence: i, RoleArn: roleArn(i), Description: null })) }],
    identityPools: [{ IdentityPoolId: POOL, AllowUnauthenticatedIdentities: false, CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: 'client0' }], Roles: { authenticated: roleArn(0) }, RoleMappings: { [`${PROVIDER}:client0`]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } } }],
    roles: Array.from({ length: roles }, (_, i) => roleOf(i)),
    tables: Array.from({ length: tables }, (_, i) => {
      const name = tableName(i);
      const table: Snapshot['tables'][number] = { TableName: name, TableArn: tableArn(name), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] };
      if (name.startsWith('audit-')) {
        table.ResourcePolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: roleArn(i % roles) }, Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn(name) }] };
      }
      return table;
    }),
  } as Snapshot;
}

const snapshot = generateMatrixSnapshot(ROLES, TABLES);
const tables = snapshot.tables.map((t) => t.TableName);
const counts: Record<string, number> = {};
let evaluations = 0;
const start = performance.now();
for (let r = 0; r < ROLES; r++) {
  const arn = roleArn(r);
  for (const table of tables) {
    for (const action of ACTIONS) {
      const decided = decideAccess(snapshot, arn, { action, table, identityPoolId: POOL });
      const key = typeof decided === 'string' ? decided : 'error';
      counts[key] = (counts[key] ?? 0) + 1;
      evaluations++;
    }
  }
}
const decideMs = performance.now() - start;
const peakAfterDecide = process.resourceUsage().maxRSS / 1024;

// The baseline: the explained API on every SAMPLE-th cell, with the explanation read; same answers.
let sampled = 0;
let disagreements = 0;
const sampleStart = performance.now();
for (let cell = 0; cell < evaluations; cell += SAMPLE) {
  const r = Math.floor(cell / (tables.length * ACTIONS.length));
  const table = tables[Math.floor(cell / ACTIONS.length) % tables.length]!;
  const action = ACTIONS[cell % ACTIONS.length]!;
  const simulated = simulateAccess(snapshot, roleArn(r), { action, table, identityPoolId: POOL });
  const decision: DecisionKind | 'error' = 'error' in simulated ? 'error' : (simulated.explanation.summary, simulated.decision);
  if (decision !== decideAccess(snapshot, roleArn(r), { action, table, identityPoolId: POOL })) disagreements++;
  sampled++;
}
// The second decideAccess per sampled cell is timed too; it is a small share (see the rate above).
const explainedPerCell = (performance.now() - sampleStart) / sampled;

// The product's matrix over the same snapshot, and its text output (summaries are never built for it).
const matrixStart = performance.now();
const matrix = accessMatrix(snapshot);
const matrixMs = performance.now() - matrixStart;
const textStart = performance.now();
const text = matrixText(matrix);
const textMs = performance.now() - textStart;
const matrixEvaluations = matrix.cells.reduce((n, c) => n + (c.own === null ? 0 : 1) + (c.other === null ? 0 : 1), 0);

const perDecision = decideMs / evaluations;
const rows = [
  ['measurement', 'evaluations', 'total ms', 'µs/evaluation', 'evaluations/s', 'ratio'],
  [`decideAccess: ${ROLES.toLocaleString('en-US')} roles x ${ACTIONS.length} actions x ${TABLES} tables (decision only)`, evaluations.toLocaleString('en-US'), decideMs.toFixed(0), (perDecision * 1000).toFixed(2), Math.round(1000 / perDecision).toLocaleString('en-US'), (explainedPerCell / perDecision).toFixed(1)],
  [`simulateAccess + explanation, every ${SAMPLE}th cell (baseline, same run)`, sampled.toLocaleString('en-US'), (explainedPerCell * sampled).toFixed(0), (explainedPerCell * 1000).toFixed(2), Math.round(1000 / explainedPerCell).toLocaleString('en-US'), '1.0'],
  [`accessMatrix(): ${matrix.rows.length.toLocaleString('en-US')} rows (ways x tables) x ${matrix.actions.length} actions, ${matrix.cells.length.toLocaleString('en-US')} cells`, matrixEvaluations.toLocaleString('en-US'), matrixMs.toFixed(0), ((matrixMs / matrixEvaluations) * 1000).toFixed(2), Math.round((matrixEvaluations / matrixMs) * 1000).toLocaleString('en-US'), (explainedPerCell / (matrixMs / matrixEvaluations)).toFixed(1)],
  [`  its text output (${(text.length / 1024 / 1024).toFixed(1)} MB)`, '', textMs.toFixed(0), '', '', ''],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
console.log(`Access matrix decisions: ${JSON.stringify(counts)}; sampled cells where decideAccess and simulateAccess disagree: ${disagreements}/${sampled}; peak RSS ${peakAfterDecide.toFixed(0)} MB after the decisions, ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB at the end`);
for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
