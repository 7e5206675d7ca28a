import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, evaluateCondition, resourceMatches } from '../../../src/core/iam/index.ts';
import { IDENTITY_ID, policy, request, TABLE_ARN } from './helpers.ts';

const SUB = 'cognito-identity.amazonaws.com:sub';

test('${key} in condition values, only under 2012-10-17', () => {
  const req = request('dynamodb:GetItem', { [SUB]: IDENTITY_ID, 'dynamodb:LeadingKeys': [IDENTITY_ID] });
  assert.equal(evaluateCondition('ForAllValues:StringEquals', 'dynamodb:LeadingKeys', [`\${${SUB}}`], req, '2012-10-17').matched, true);
  assert.equal(evaluateCondition('ForAllValues:StringEquals', 'dynamodb:LeadingKeys', [`\${${SUB}}`], req, '2008-10-17').matched, false);
  assert.equal(evaluateCondition('ForAllValues:StringEquals', 'dynamodb:LeadingKeys', [`\${${SUB}}`], req, undefined).matched, false);
  // Under an old Version the text is literal: it equals itself.
  const literal = request('dynamodb:GetItem', { 'k:a': `\${${SUB}}` });
  assert.equal(evaluateCondition('StringEquals', 'k:a', [`\${${SUB}}`], literal, undefined).matched, true);
});

test('variable key names are case-insensitive; defaults; escapes', () => {
  const req = request('dynamodb:GetItem', { 'aws:username': 'bob', 'k:a': 'bob-1', 'k:s': 'a*b', 'k:d': 'team-none' });
  assert.equal(evaluateCondition('StringEquals', 'k:a', ['${AWS:UserName}-1'], req, '2012-10-17').matched, true);
  assert.equal(evaluateCondition('StringEquals', 'k:d', ["team-${aws:PrincipalTag/team, 'none'}"], req, '2012-10-17').matched, true);
  // ${*} is a literal star in StringLike: it must not act as a wildcard.
  assert.equal(evaluateCondition('StringLike', 'k:s', ['a${*}b'], req, '2012-10-17').matched, true);
  assert.equal(evaluateCondition('StringLike', 'k:s', ['a${*}c'], req, '2012-10-17').matched, false);
  assert.equal(evaluateCondition('StringLike', 'k:a', ['bob${?}1'], req, '2012-10-17').matched, false);
  assert.equal(evaluateCondition('StringEquals', 'k:s', ['a*b'], req, '2012-10-17').matched, true);
  const dollar = request('dynamodb:GetItem', { 'k:x': '$5' });
  assert.equal(evaluateCondition('StringEquals', 'k:x', ['${$}5'], dollar, '2012-10-17').matched, true);
});

test('a variable with no value and no default matches nothing', () => {
  const req = request('dynamodb:GetItem', { 'k:a': 'x' });
  const positive = evaluateCondition('StringLike', 'k:a', ['${aws:username}', '*'], req, '2012-10-17');
  assert.equal(positive.matched, true, 'the other value still matches (OR)');
  assert.equal(evaluateCondition('StringEquals', 'k:a', ['${aws:username}'], req, '2012-10-17').matched, false);
  const negated = evaluateCondition('StringNotEquals', 'k:a', ['${aws:username}'], req, '2012-10-17');
  assert.equal(negated.matched, false, 'no equal or unequal value');
  assert.match(negated.reason, /cannot be resolved/);
  // Multivalued keys cannot be used as variables.
  const multi = request('dynamodb:GetItem', { 'k:a': 'x', 'k:m': ['x', 'y'] });
  assert.equal(evaluateCondition('StringEquals', 'k:a', ['${k:m}'], multi, '2012-10-17').matched, false);
});

test('variables in Resource', () => {
  const req = request('dynamodb:GetItem', { 'aws:username': 'book-table' });
  const arn = 'arn:aws:dynamodb:eu-central-1:123456789012:table/${aws:username}';
  assert.equal(resourceMatches([arn], TABLE_ARN, req, true), true);
  assert.equal(resourceMatches([arn], TABLE_ARN, req, false), false);
  assert.equal(resourceMatches([arn], TABLE_ARN, request('dynamodb:GetItem', {}), true), false);
  const p = policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: arn }]);
  assert.equal(authorize({ identity: [p] }, req).decision, 'allowed');
  assert.equal(authorize({ identity: [policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: arn }], 'identity', 'p', '2008-10-17')] }, req).decision, 'implicit-deny');
});
