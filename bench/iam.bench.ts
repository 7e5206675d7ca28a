// Evaluations per second of the IAM evaluator for a realistic Cognito role (10 policies,
// 50 statements, conditions and policy variables), next to the same cases through
// @cloud-copilot/iam-simulate (test oracle, devDependency) in the same run. Three ways to ask:
// decide() (the decision alone, compiled statements), authorize() (the decision; the
// explanation is built only if read, and here it is not), and authorize() with the explanation
// read (every statement's result, the closest statement, the fix: what the probe panel shows).
// Ratios are against iam-simulate measured in this run.
// Run: node --import tsx bench/iam.bench.ts   (no assertions: numbers only)
// BENCH_SMOKE=1 (the unit tests' smoke run): 50 ms of timing per engine instead of 1.5 s.
import { authorize, decide, parsePolicy } from '../src/core/iam/index.ts';
import type { PolicySet, RequestContext } from '../src/core/iam/types.ts';
import { prepareOracle } from '../test/differential/oracle.ts';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BooksOwn`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/BooksOwn/CognitoIdentityCredentials`;
const TABLE = (n: number): string => `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/books-${n}`;
const OWN = 'eu-central-1:00000000-0000-4000-8000-000000000000';
const OTHER = 'eu-central-1:ffffffff-ffff-4fff-bfff-ffffffffffff';
const SUB = '${cognito-identity.amazonaws.com:sub}';

/** Five statements per policy, ten policies: the kinds of statements real Cognito roles carry. */
function roleDocuments(): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  for (let p = 0; p < 10; p++) {
    docs.push({
      Version: '2012-10-17',
      Statement: [
        { Sid: `Own${p}`, Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchGetItem'], Resource: [TABLE(p), `${TABLE(p)}/index/*`], Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [SUB] } } },
        { Sid: `Attrs${p}`, Effect: 'Allow', Action: 'dynamodb:Query', Resource: `${TABLE(p)}/index/*`, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['title', 'author', 'year'] }, StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } } },
        { Sid: `Team${p}`, Effect: 'Allow', Action: 'dynamodb:*', Resource: `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/\${aws:PrincipalTag/team}-${p}`, Condition: { Bool: { 'aws:SecureTransport': 'true' }, IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } },
        { Sid: `NoDelete${p}`, Effect: 'Deny', Action: 'dynamodb:Delete*', Resource: TABLE(p), Condition: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' } } },
        { Sid: `Window${p}`, Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:Scan'], Resource: 'arn:aws:dynamodb:*:*:table/books-*', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' }, StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } },
      ],
    });
  }
  return docs;
}

const ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:BatchWriteItem'];
function requests(): { action: string; resource: string; context: Record<string, string | string[]> }[] {
  const out: { action: string; resource: string; context: Record<string, string | string[]> }[] = [];
  for (let i = 0; i < 200; i++) {
    const action = ACTIONS[i % ACTIONS.length]!;
    const table = TABLE(i % 12);
    const context: Record<string, string | string[]> = {
      'cognito-identity.amazonaws.com:sub': OWN,
      'cognito-identity.amazonaws.com:aud': 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444',
      'cognito-identity.amazonaws.com:amr': i % 5 === 0 ? ['unauthenticated'] : ['authenticated', 'cognito-idp.eu-central-1.amazonaws.com/eu-central-1_X'],
      'aws:SecureTransport': i % 7 === 0 ? 'false' : 'true',
      'aws:SourceIp': i % 3 === 0 ? '2001:db8::5' : i % 3 === 1 ? '203.0.113.9' : '10.0.0.1',
      'aws:CurrentTime': '2026-01-15T12:00:00Z',
      'aws:MultiFactorAuthAge': i % 4 === 0 ? '7200' : '300',
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalTag/team': 'books',
    };
    if (action !== 'dynamodb:Scan' && action !== 'dynamodb:DescribeTable') context['dynamodb:LeadingKeys'] = i % 2 === 0 ? [OWN] : [OWN, OTHER];
    if (i % 6 === 0) context['dynamodb:Attributes'] = ['title', 'year'];
    out.push({ action, resource: i % 9 === 0 ? `${table}/index/byTitle` : table, context });
  }
  return out;
}

const SMOKE = Boolean(process.env.BENCH_SMOKE) && process.env.BENCH_SMOKE !== '0';

function measure(run: () => void, minMs = SMOKE ? 50 : 1500): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    run();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

const docs = roleDocuments();
const set: PolicySet = { identity: docs.map((d, i) => parsePolicy(d, { name: `policy${i}`, kind: 'identity' })), accountId: ACCOUNT };
const reqs = requests();
const ours: RequestContext[] = reqs.map((r) => ({ ...r, principal: { type: 'AWS', id: SESSION, sessionOf: ROLE } }));
const oracle = prepareOracle({ identity: docs });

// Same answers first (otherwise the comparison means nothing).
let same = 0;
let sameDecide = 0;
const decisions: Record<string, number> = {};
for (let i = 0; i < reqs.length; i++) {
  const a = authorize(set, ours[i]!).decision;
  const b = oracle({ principal: SESSION, action: reqs[i]!.action, resource: reqs[i]!.resource, resourceAccount: ACCOUNT, context: reqs[i]!.context });
  decisions[a] = (decisions[a] ?? 0) + 1;
  if (a === b) same++;
  if (decide(set, ours[i]!) === b) sameDecide++;
}

const rate = (run: () => void): number => measure(run) * reqs.length;
const decideRate = rate(() => {
  for (const r of ours) decide(set, r);
});
const authorizeRate = rate(() => {
  for (const r of ours) authorize(set, r);
});
const explainedRate = rate(() => {
  for (const r of ours) void authorize(set, r).explanation;
});
const theirsRate = rate(() => {
  for (const r of reqs) oracle({ principal: SESSION, action: r.action, resource: r.resource, resourceAccount: ACCOUNT, context: r.context });
});

const statements = set.identity.reduce((n, p) => n + p.Statement.length, 0);
console.log(
  `IAM evaluator benchmark: ${set.identity.length} policies, ${statements} statements, ${reqs.length} distinct requests (decisions: ${JSON.stringify(decisions)}); same decision as iam-simulate: authorize ${same}/${reqs.length}, decide ${sameDecide}/${reqs.length}`,
);
const rows: [string, number][] = [
  ['cognito-access decide() (decision only)', decideRate],
  ['cognito-access authorize() (explanation not read)', authorizeRate],
  ['cognito-access authorize() + explanation read', explainedRate],
  ['@cloud-copilot/iam-simulate', theirsRate],
];
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`| ${'engine'.padEnd(width)} | evaluations/s | ratio to iam-simulate |`);
console.log(`|${'-'.repeat(width + 2)}|--------------:|----------------------:|`);
for (const [name, value] of rows) console.log(`| ${name.padEnd(width)} | ${Math.round(value).toLocaleString('en-US').padStart(13)} | ${(value / theirsRate).toFixed(2).padStart(21)} |`);
