import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, evaluateStatement, evaluateTrust, parsePolicy } from '../../../src/core/iam/index.ts';
import { IDENTITY_ID, policy, request, TABLE_ARN } from './helpers.ts';

test('parsePolicy normalizes single values and scalars', () => {
  const p = parsePolicy(
    { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN, Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 'x:n': 5 } } } },
    { name: 'n', kind: 'identity' },
  );
  assert.deepEqual(p.problems, []);
  assert.equal(p.Statement.length, 1);
  assert.deepEqual(p.Statement[0]!.Action, ['dynamodb:GetItem']);
  assert.deepEqual(p.Statement[0]!.Resource, [TABLE_ARN]);
  assert.deepEqual(p.Statement[0]!.Condition, { Bool: { 'aws:SecureTransport': ['true'] }, NumericLessThan: { 'x:n': ['5'] } });
});

test('parsePolicy reports bad statements with a JSON path and never throws', () => {
  const p = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, 7, { Effect: 'allow', Action: 'a:b', Resource: '*' }] }, { name: 'n', kind: 'identity' });
  assert.equal(p.Statement.length, 1);
  assert.ok(p.problems.some((x) => x.path === 'Statement[1]'));
  assert.ok(p.problems.some((x) => x.path === 'Statement[2].Effect' && x.message.includes('expected "Allow" or "Deny"')));
  for (const junk of [null, 3, 'x', [], { Statement: null }, { Statement: [{ Effect: 'Allow', Action: [1, {}], Resource: null }] }]) {
    const q = parsePolicy(junk, { name: 'j', kind: 'identity' });
    assert.ok(q.problems.length > 0, JSON.stringify(junk));
  }
});

test('authorize: identity allow, implicit deny with closest statement and fix', () => {
  const p = policy([{ Sid: 'Read', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE_ARN }], 'identity', 'BooksRead');
  assert.equal(authorize({ identity: [p] }, request('dynamodb:Query')).decision, 'allowed');
  const denied = authorize({ identity: [p] }, request('dynamodb:PutItem'));
  assert.equal(denied.decision, 'implicit-deny');
  assert.equal(denied.explanation.missingAllowIn, 'identity-based');
  assert.equal(denied.explanation.closest?.sid, 'Read');
  assert.deepEqual(denied.explanation.closest?.failed, ['action']);
  assert.match(denied.explanation.suggestion ?? '', /add "dynamodb:PutItem" to its Action/);
  assert.deepEqual(denied.explanation.suggestedStatement?.Action, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem']);
  assert.doesNotThrow(() => JSON.stringify(denied));
});

test('evaluateStatement reports every failing part', () => {
  const p = policy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:*:*:table/other', Condition: { StringEquals: { 'aws:username': 'x' } } }]);
  const r = evaluateStatement(p.Statement[0]!, p, request('dynamodb:PutItem'));
  assert.deepEqual(r.failed, ['action', 'resource', 'condition']);
  assert.equal(r.conditions[0]!.reason, 'key absent');
  assert.equal(r.conditions[0]!.requestValues, null);
});

test('evaluateTrust: Cognito web identity', () => {
  const trust = parsePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-central-1:pool' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
        },
      ],
    },
    { name: 'trust', kind: 'trust' },
  );
  const req = (aud: string, amr: string[]) => ({
    action: 'sts:AssumeRoleWithWebIdentity',
    resource: 'arn:aws:iam::123456789012:role/R',
    principal: { type: 'Federated' as const, id: 'cognito-identity.amazonaws.com' },
    context: { 'cognito-identity.amazonaws.com:aud': aud, 'cognito-identity.amazonaws.com:amr': amr, 'cognito-identity.amazonaws.com:sub': IDENTITY_ID },
  });
  assert.equal(evaluateTrust(trust, req('eu-central-1:pool', ['authenticated', 'cognito-idp.x'])).decision, 'allowed');
  const wrong = evaluateTrust(trust, req('eu-central-1:other', ['authenticated']));
  assert.equal(wrong.decision, 'implicit-deny');
  assert.deepEqual(wrong.explanation.closest?.failed, ['condition']);
  assert.equal(evaluateTrust(trust, req('eu-central-1:pool', ['unauthenticated'])).decision, 'implicit-deny');
  const svc = { ...req('eu-central-1:pool', ['authenticated']), principal: { type: 'Service' as const, id: 'cognito-identity.amazonaws.com' } };
  assert.deepEqual(evaluateTrust(trust, svc).explanation.closest?.failed, ['principal']);
});
