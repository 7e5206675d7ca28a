import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, formatDecisionText } from '../../../src/core/iam/index.ts';
import { cognitoGuestSessionPolicy } from '../../../src/core/iam/cognitoSessionPolicy.ts';
import { ACCOUNT, policy, request, ROLE_ARN, SESSION_ARN, TABLE_ARN } from './helpers.ts';

const allowAll = policy([{ Sid: 'All', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }], 'identity', 'AllDynamo');
const denyPut = (kind: 'identity' | 'boundary' | 'resource' | 'session') =>
  policy([{ Sid: 'NoPut', Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: '*', ...(kind === 'resource' ? { Principal: '*' } : {}) }, ...(kind === 'identity' ? [] : [{ Effect: 'Allow', Action: '*', Resource: '*', ...(kind === 'resource' ? { Principal: { AWS: ACCOUNT } } : {}) }])], kind, `deny-${kind}`);

test('explicit deny wins from every policy type', () => {
  for (const kind of ['identity', 'boundary', 'resource', 'session'] as const) {
    const set = kind === 'identity' ? { identity: [allowAll, denyPut(kind)] } : { identity: [allowAll], [kind]: denyPut(kind) };
    const d = authorize(set, request('dynamodb:PutItem'));
    assert.equal(d.decision, 'explicit-deny', kind);
    assert.equal(d.explanation.deciding[0]!.sid, 'NoPut');
    assert.equal(d.explanation.deciding[0]!.policyKind, kind);
    assert.equal(authorize(set, request('dynamodb:GetItem')).decision, 'allowed', `${kind}: other actions unaffected`);
  }
});

test('permissions boundary intersects with identity policies', () => {
  const boundary = policy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }], 'boundary', 'Boundary');
  assert.equal(authorize({ identity: [allowAll], boundary }, request('dynamodb:GetItem')).decision, 'allowed');
  const d = authorize({ identity: [allowAll], boundary }, request('dynamodb:PutItem'));
  assert.equal(d.decision, 'implicit-deny');
  assert.equal(d.explanation.missingAllowIn, 'permissions boundary');
  assert.equal(d.explanation.closest?.policyName, 'Boundary');
  const noIdentity = authorize({ identity: [], boundary }, request('dynamodb:GetItem'));
  assert.equal(noIdentity.decision, 'implicit-deny', 'a boundary grants nothing by itself');
  assert.equal(noIdentity.explanation.missingAllowIn, 'identity-based');
});

test('session policy (guest scope-down) intersects; the Cognito guest policy allows no DynamoDB action', () => {
  const d = authorize({ identity: [allowAll], session: cognitoGuestSessionPolicy() }, request('dynamodb:GetItem'));
  assert.equal(d.decision, 'implicit-deny');
  assert.equal(d.explanation.missingAllowIn, 'session');
  const kms = authorize({ identity: [policy([{ Effect: 'Allow', Action: '*', Resource: '*' }])], session: cognitoGuestSessionPolicy() }, request('kms:Decrypt', {}, '*'));
  assert.equal(kms.decision, 'allowed');
});

test('resource policy: same account alone allows; boundary limits a role-ARN grant but not a session-ARN grant', () => {
  const grant = (principal: string) => policy([{ Sid: 'Grant', Effect: 'Allow', Principal: { AWS: principal }, Action: 'dynamodb:GetItem', Resource: TABLE_ARN }], 'resource', 'table policy');
  const boundary = policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }], 'boundary', 'B');
  const req = request('dynamodb:GetItem');
  assert.equal(authorize({ identity: [], resource: grant(ROLE_ARN), accountId: ACCOUNT }, req).decision, 'allowed');
  assert.equal(authorize({ identity: [], resource: grant(ROLE_ARN), boundary, accountId: ACCOUNT }, req).decision, 'implicit-deny');
  const direct = authorize({ identity: [], resource: grant(SESSION_ARN), boundary, accountId: ACCOUNT }, req);
  assert.equal(direct.decision, 'allowed');
  assert.equal(direct.explanation.deciding[0]!.principalMatchedAs, 'session');
  assert.equal(authorize({ identity: [], resource: grant('arn:aws:iam::123456789012:role/Other'), accountId: ACCOUNT }, req).decision, 'implicit-deny');
});

test('cross-account: identity and resource policy must both allow', () => {
  const foreign = 'arn:aws:dynamodb:eu-central-1:999999999999:table/t';
  const rp = policy([{ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'dynamodb:GetItem', Resource: foreign }], 'resource', 'rp');
  const req = request('dynamodb:GetItem', {}, foreign);
  assert.equal(authorize({ identity: [allowAll], accountId: ACCOUNT }, req).decision, 'implicit-deny');
  assert.equal(authorize({ identity: [], resource: rp, accountId: ACCOUNT }, req).decision, 'implicit-deny');
  assert.equal(authorize({ identity: [allowAll], resource: rp, accountId: ACCOUNT }, req).decision, 'allowed');
});

test('implicit deny: no statement at all suggests a new one; closest prefers matching action; text output', () => {
  const none = authorize({ identity: [policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }], 'identity', 'S3')] }, request('dynamodb:PutItem'));
  assert.equal(none.explanation.closest?.policyName, 'S3');
  const empty = authorize({ identity: [policy([], 'identity', 'Empty')] }, request('dynamodb:PutItem'));
  assert.deepEqual(empty.explanation.suggestedStatement, { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE_ARN });
  const p = policy(
    [
      { Sid: 'Other', Effect: 'Allow', Action: 's3:GetObject', Resource: TABLE_ARN },
      { Sid: 'Near', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:*:*:table/other' },
    ],
    'identity',
    'Mixed',
  );
  const d = authorize({ identity: [p] }, request('dynamodb:PutItem'));
  assert.equal(d.explanation.closest?.sid, 'Near');
  assert.deepEqual(d.explanation.suggestedStatement?.Resource, ['arn:aws:dynamodb:*:*:table/other', TABLE_ARN]);
  const lines = formatDecisionText(d);
  assert.match(lines[0]!, /DENIED \(implicit deny\)/);
  assert.ok(lines.some((l) => l.includes('closest: statement "Near"')));
  const cond = policy([{ Sid: 'Own', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': '${cognito-identity.amazonaws.com:sub}' } } }]);
  const other = authorize({ identity: [cond] }, request('dynamodb:PutItem', { 'cognito-identity.amazonaws.com:sub': 'me', 'dynamodb:LeadingKeys': ['you'] }));
  assert.equal(other.decision, 'implicit-deny');
  assert.match(other.explanation.suggestion ?? '', /dynamodb:LeadingKeys/);
  assert.equal(other.explanation.suggestedStatement, undefined, 'condition failures get a sentence, not a rewritten statement');
});

test('problems of malformed policies travel with the decision', () => {
  const broken = policy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }, { Effect: 'Permit', Action: '*', Resource: '*' }], 'identity', 'Broken');
  const d = authorize({ identity: [broken] }, request('dynamodb:GetItem'));
  assert.equal(d.decision, 'allowed');
  assert.equal(d.explanation.problems?.[0]?.path, 'Statement[1].Effect');
});

test('an account principal in a resource policy delegates to identity policies', () => {
  const rp = policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'dynamodb:GetItem', Resource: TABLE_ARN }], 'resource', 'rp');
  assert.equal(authorize({ identity: [], resource: rp, accountId: ACCOUNT }, request('dynamodb:GetItem')).decision, 'implicit-deny');
  assert.equal(authorize({ identity: [allowAll], resource: rp, accountId: ACCOUNT }, request('dynamodb:GetItem')).decision, 'allowed');
});
