// Random (policy set, request) cases for the differential test and the benchmark. fast-check
// arbitraries, so a fixed seed reproduces every case. The vocabulary is DynamoDB + Cognito:
// the actions, ARNs and context keys this project's users meet.
import fc from 'fast-check';
import { parsePolicy } from '../../src/core/iam/index.ts';
import type { PolicySet, RequestContext } from '../../src/core/iam/types.ts';
import type { OracleCase } from './oracle.ts';

export const ACCOUNT = '123456789012';
export const FOREIGN = '999999999999';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/BooksOwn`;
export const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/BooksOwn/CognitoIdentityCredentials`;
export const OWN = 'eu-central-1:00000000-0000-4000-8000-000000000000';
export const OTHER = 'eu-central-1:ffffffff-ffff-4fff-bfff-ffffffffffff';
const TABLE = `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/book-table`;

export interface Case {
  identity: Record<string, unknown>[];
  boundary?: Record<string, unknown>;
  resourcePolicy?: Record<string, unknown>;
  session?: Record<string, unknown>;
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, string | string[]>;
}

const ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable'];
const ACTION_PATTERNS = ['dynamodb:*', 'dynamodb:Get*', 'dynamodb:?etItem', 'dynamodb:getitem', 'DynamoDB:Query', 'dynamodb:*Item', 'dynamodb:Batch*', 'dynamodb:Scan', 'dynamodb:PutItem', 's3:*', '*', 'dynamodb:Describe*'];
const RESOURCES = [TABLE, `${TABLE}/index/byTitle`, `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/other-table`];
const RESOURCE_PATTERNS = [
  '*',
  TABLE,
  'arn:aws:dynamodb:*:*:table/book-table',
  `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/*`,
  `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/book-*`,
  `${TABLE}/index/*`,
  `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/\${aws:username}`,
  `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/\${aws:username, 'book-table'}`,
  `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/Book-Table`,
  `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/book-tabl?`,
  'arn:aws:dynamodb:*:*:*',
  `arn:aws:dynamodb:eu-central-1:${FOREIGN}:table/*`,
];

interface KeySpec {
  key: string;
  families: string[];
  values: string[];
}
const KEYS: KeySpec[] = [
  { key: 'dynamodb:LeadingKeys', families: ['String'], values: [OWN, OTHER, '${cognito-identity.amazonaws.com:sub}', 'eu-central-1:*', '${aws:username}'] },
  { key: 'cognito-identity.amazonaws.com:sub', families: ['String'], values: [OWN, OTHER, 'eu-central-1:*', "${aws:username, 'x'}"] },
  { key: 'cognito-identity.amazonaws.com:amr', families: ['String'], values: ['authenticated', 'unauthenticated', 'Authenticated', 'cognito-idp*', '*'] },
  { key: 'aws:username', families: ['String'], values: ['bob', 'book-table', 'BOB', 'b*'] },
  { key: 'dynamodb:Select', families: ['String'], values: ['SPECIFIC_ATTRIBUTES', 'ALL_ATTRIBUTES', 'specific_attributes'] },
  { key: 'dynamodb:Attributes', families: ['String'], values: ['title', 'author', 't*'] },
  { key: 'aws:PrincipalTag/team', families: ['String'], values: ['books', '${aws:PrincipalTag/team}'] },
  { key: 'aws:MultiFactorAuthAge', families: ['Numeric'], values: ['100', '300', '3600', '300.0'] },
  { key: 'aws:CurrentTime', families: ['Date'], values: ['2026-01-01T00:00:00Z', '2026-01-15T12:00:00Z', '2027-01-01T00:00:00Z'] },
  { key: 'aws:SecureTransport', families: ['Bool'], values: ['true', 'false'] },
  { key: 'aws:SourceIp', families: ['Ip'], values: ['203.0.113.0/24', '10.0.0.0/8', '2001:db8::/32', '203.0.113.7', '2001:db8::5/128'] },
  { key: 'aws:PrincipalArn', families: ['Arn'], values: [ROLE_ARN, `arn:aws:iam::${ACCOUNT}:role/*`, 'arn:aws:iam::*:role/Books*', `arn:aws:iam::${FOREIGN}:role/X`] },
  { key: 'k:bin', families: ['Binary'], values: ['QmVlcg==', 'QmVlcGc='] },
];
const OPS: Record<string, string[]> = {
  String: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  Numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  Date: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  Bool: ['Bool'],
  Ip: ['IpAddress', 'NotIpAddress'],
  Arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
  Binary: ['BinaryEquals'],
};

const pick = <T>(items: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...items);
const oneOrMany = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | T[]> => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));

const condition: fc.Arbitrary<[string, string, string | string[]]> = fc
  .tuple(pick(KEYS), fc.nat(), fc.constantFrom('', '', '', 'ForAnyValue:', 'ForAllValues:'), fc.constantFrom('', '', '', 'IfExists'), fc.boolean(), fc.boolean())
  .chain(([spec, n, set, ifExists, nullOp, upper]) => {
    const family = spec.families[0]!;
    const ops = OPS[family]!;
    const key = upper ? spec.key.toUpperCase() : spec.key;
    if (nullOp && n % 5 === 0) return fc.tuple(fc.constant('Null'), fc.constant(key), pick(['true', 'false']));
    return fc.tuple(fc.constant(`${set}${ops[n % ops.length]!}${ifExists}`), fc.constant(key), oneOrMany(pick(spec.values)));
  });

const conditionBlock = fc.array(condition, { minLength: 0, maxLength: 3 }).map((list) => {
  const block: Record<string, Record<string, string | string[]>> = {};
  for (const [op, key, values] of list) (block[op] ??= {})[key] = values;
  return block;
});

function statement(kind: 'identity' | 'resource'): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
      notAction: fc.constantFrom(false, false, false, true),
      actions: oneOrMany(pick(ACTION_PATTERNS)),
      notResource: fc.constantFrom(false, false, false, true),
      resources: oneOrMany(pick(RESOURCE_PATTERNS)),
      condition: fc.oneof(fc.constant({}), conditionBlock),
      principal: pick<unknown>(['*', { AWS: ROLE_ARN }, { AWS: SESSION_ARN }, { AWS: ACCOUNT }, { AWS: `arn:aws:iam::${ACCOUNT}:root` }, { AWS: `arn:aws:iam::${ACCOUNT}:role/Other` }, { AWS: '*' }]),
    })
    .map((s) => {
      const out: Record<string, unknown> = { Effect: s.effect };
      if (kind === 'resource') out.Principal = s.principal;
      out[s.notAction ? 'NotAction' : 'Action'] = s.actions;
      out[s.notResource ? 'NotResource' : 'Resource'] = s.resources;
      if (Object.keys(s.condition).length > 0) out.Condition = s.condition;
      return out;
    });
}

const version = fc.constantFrom<string | undefined>('2012-10-17', '2012-10-17', '2012-10-17', '2012-10-17', '2012-10-17', '2012-10-17', '2008-10-17', undefined);
function document(kind: 'identity' | 'resource', max: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(version, fc.array(statement(kind), { minLength: 1, maxLength: max })).map(([v, statements]) => (v ? { Version: v, Statement: statements } : { Statement: statements }));
}

const context = fc
  .record({
    leading: fc.constantFrom<string[] | undefined>(undefined, [], [OWN], [OTHER], [OWN, OTHER], [OWN]),
    amr: fc.constantFrom<string[]>(['authenticated', 'cognito-idp.eu-central-1.amazonaws.com/eu-central-1_X'], ['unauthenticated']),
    username: fc.constantFrom<string | undefined>(undefined, 'book-table', 'bob'),
    ip: fc.constantFrom<string | undefined>(undefined, '203.0.113.7', '10.1.2.3', '2001:db8::5'),
    secure: fc.constantFrom<string | undefined>(undefined, 'true', 'false'),
    mfa: fc.constantFrom<string | undefined>(undefined, '300', '3600'),
    select: fc.constantFrom<string | undefined>(undefined, 'SPECIFIC_ATTRIBUTES', 'ALL_ATTRIBUTES'),
    attributes: fc.constantFrom<string[] | undefined>(undefined, ['title'], ['title', 'author']),
    team: fc.constantFrom<string | undefined>(undefined, 'books'),
    bin: fc.constantFrom<string | undefined>(undefined, 'QmVlcg=='),
  })
  .map((c) => {
    const out: Record<string, string | string[]> = {
      'cognito-identity.amazonaws.com:sub': OWN,
      'cognito-identity.amazonaws.com:aud': 'eu-central-1:aaaaaaaa-1111-2222-3333-444444444444',
      'cognito-identity.amazonaws.com:amr': c.amr,
      'aws:CurrentTime': '2026-01-15T12:00:00Z',
      'aws:PrincipalArn': ROLE_ARN,
      'aws:PrincipalAccount': ACCOUNT,
    };
    const put = (k: string, v: string | string[] | undefined): void => {
      if (v !== undefined) out[k] = v;
    };
    put('dynamodb:LeadingKeys', c.leading);
    put('aws:username', c.username);
    put('aws:SourceIp', c.ip);
    put('aws:SecureTransport', c.secure);
    put('aws:MultiFactorAuthAge', c.mfa);
    put('dynamodb:Select', c.select);
    put('dynamodb:Attributes', c.attributes);
    put('aws:PrincipalTag/team', c.team);
    put('k:bin', c.bin);
    return out;
  });

export const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    identity: fc.array(document('identity', 3), { minLength: 0, maxLength: 3 }),
    boundary: fc.option(document('identity', 2), { freq: 3 }),
    resourcePolicy: fc.option(document('resource', 2), { freq: 3 }),
    session: fc.option(document('identity', 2), { freq: 5 }),
    action: pick(ACTIONS),
    resource: pick(RESOURCES),
    foreign: fc.constantFrom(false, false, false, false, false, false, false, true),
    context,
  })
  .map((r) => {
    const resource = r.foreign ? r.resource.replace(ACCOUNT, FOREIGN) : r.resource;
    const c: Case = { identity: r.identity, action: r.action, resource, resourceAccount: r.foreign ? FOREIGN : ACCOUNT, context: r.context };
    if (r.boundary) c.boundary = r.boundary;
    if (r.resourcePolicy) c.resourcePolicy = r.resourcePolicy;
    if (r.session) c.session = r.session;
    return c;
  });

/** The case in this project's model. */
export function toOurs(c: Case): { set: PolicySet; request: RequestContext } {
  const set: PolicySet = { identity: c.identity.map((d, i) => parsePolicy(d, { name: `identity${i}`, kind: 'identity' })), accountId: ACCOUNT };
  if (c.boundary) set.boundary = parsePolicy(c.boundary, { name: 'boundary', kind: 'boundary' });
  if (c.resourcePolicy) set.resource = parsePolicy(c.resourcePolicy, { name: 'resource', kind: 'resource' });
  if (c.session) set.session = parsePolicy(c.session, { name: 'session', kind: 'session' });
  return { set, request: { action: c.action, resource: c.resource, context: c.context, principal: { type: 'AWS', id: SESSION_ARN, sessionOf: ROLE_ARN } } };
}

export function toOracle(c: Case): OracleCase {
  const o: OracleCase = { principal: SESSION_ARN, action: c.action, resource: c.resource, resourceAccount: c.resourceAccount, context: c.context, identity: c.identity };
  if (c.boundary) o.boundary = c.boundary;
  if (c.resourcePolicy) o.resourcePolicy = c.resourcePolicy;
  if (c.session) o.session = c.session;
  return o;
}
