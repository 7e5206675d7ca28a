import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPermissions } from '../../../src/core/permissions.ts';
import type { Role, Snapshot } from '../../../src/core/snapshot.ts';
import { ACCOUNT, TABLE_ARN } from './helpers.ts';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/BooksOwn`;
function snapshot(documents: unknown[], extra: Partial<Role> = {}): Snapshot {
  return {
    format: 'cognito-access-snapshot/v1',
    region: 'eu-central-1',
    accountId: ACCOUNT,
    userPools: [],
    identityPools: [],
    roles: [
      {
        RoleName: 'BooksOwn',
        Arn: ROLE,
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
        AttachedPolicies: [],
        InlinePolicies: documents.map((d, i) => ({ PolicyName: `inline${i}`, PolicyDocument: d as Record<string, unknown> })),
        ...extra,
      },
    ],
    tables: [{ TableName: 'book-table', TableArn: TABLE_ARN, KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }] }],
  };
}
const own = (op: string, variable = '${cognito-identity.amazonaws.com:sub}', actions: string[] = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem']) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'OwnItems', Effect: 'Allow', Action: actions, Resource: TABLE_ARN, Condition: { [op]: { 'dynamodb:LeadingKeys': [variable] } } }],
});
const codes = (s: Snapshot) => checkPermissions(s).map((f) => f.code);

test('a correct fine-grained policy has no finding', () => {
  assert.deepEqual(codes(snapshot([own('ForAllValues:StringEquals')])), []);
});

test('POLICY_VARIABLES_WITHOUT_VERSION', () => {
  const doc = { ...own('ForAllValues:StringEquals'), Version: undefined };
  const f = checkPermissions(snapshot([doc]));
  assert.deepEqual(f.map((x) => x.code), ['POLICY_VARIABLES_WITHOUT_VERSION']);
  assert.match(f[0]!.message, /OwnItems/);
  assert.match(f[0]!.message, /\$\{cognito-identity\.amazonaws\.com:sub\}/);
  assert.match(f[0]!.fix, /"Version": "2012-10-17"/);
  assert.deepEqual(f[0]!.subject, { kind: 'role', id: ROLE });
});

test('FGAC_WRONG_VARIABLE names the variable and shows the corrected statement', () => {
  for (const variable of ['${cognito-idp.eu-central-1.amazonaws.com/eu-central-1_X:sub}', '${aws:username}']) {
    const f = checkPermissions(snapshot([own('ForAllValues:StringEquals', variable)]));
    assert.deepEqual(f.map((x) => x.code), ['FGAC_WRONG_VARIABLE'], variable);
    assert.ok(f[0]!.message.includes(variable));
    assert.ok(f[0]!.fix.includes('"dynamodb:LeadingKeys": "${cognito-identity.amazonaws.com:sub}"'));
  }
});

test('FGAC_LEADINGKEYS_NOT_FORALLVALUES for plain and ForAnyValue operators', () => {
  for (const op of ['StringEquals', 'ForAnyValue:StringEquals']) {
    const f = checkPermissions(snapshot([own(op)]));
    assert.deepEqual(f.map((x) => x.code), ['FGAC_LEADINGKEYS_NOT_FORALLVALUES'], op);
    assert.ok(f[0]!.fix.includes('"ForAllValues:StringEquals"'));
    assert.ok(!f[0]!.fix.includes(`"${op}"`) || op === 'ForAllValues:StringEquals');
  }
});

test('FGAC_SCAN_BYPASS when the same role may Scan the table', () => {
  const inSame = checkPermissions(snapshot([own('ForAllValues:StringEquals', undefined, ['dynamodb:GetItem', 'dynamodb:Scan'])]));
  assert.deepEqual(inSame.map((x) => x.code), ['FGAC_SCAN_BYPASS']);
  assert.match(inSame[0]!.message, /book-table/);
  assert.ok(inSame[0]!.fix.includes('"Action": "dynamodb:GetItem"'), inSame[0]!.fix);
  const separate = checkPermissions(snapshot([own('ForAllValues:StringEquals'), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] }]));
  assert.deepEqual(separate.map((x) => x.code), ['FGAC_SCAN_BYPASS']);
  assert.ok(separate[0]!.fix.includes('dynamodb:BatchWriteItem'), 'a wildcard is replaced by the keyed actions');
});

test('POLICY_MALFORMED, and unreadable or missing roles are skipped', () => {
  const f = checkPermissions(snapshot([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN, Condition: { StringEqualz: { 'a:b': 'c' } } }] }]));
  assert.deepEqual(f.map((x) => x.code), ['POLICY_MALFORMED']);
  assert.match(f[0]!.message, /StringEqualz/);
  assert.deepEqual(codes(snapshot([{ Statement: 'nope' }], { Unreadable: 'AccessDenied' })), []);
  assert.deepEqual(checkPermissions(snapshot([]), ['arn:aws:iam::123456789012:role/NotThere']), []);
  assert.deepEqual(codes(snapshot(['%7Bbroken'])), ['POLICY_MALFORMED']);
});
