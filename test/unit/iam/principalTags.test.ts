// Principal tags in the evaluator: `${aws:PrincipalTag/key}` variables and `aws:PrincipalTag/key`
// condition keys, read from the session tags of the request context; explanations name the value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulateAccess } from '../../../src/core/access.ts';
import { authorize, buildDynamoRequest, evaluateCondition } from '../../../src/core/iam/index.ts';
import { role, snapshot, tableArn, withRole } from '../fixtures.ts';
import { policy, request, TABLE_ARN } from './helpers.ts';

const TAG_VAR = '${aws:PrincipalTag/dept}';

describe('aws:PrincipalTag in the evaluator', () => {
  it('variables resolve from the session tags; the reason names the value', () => {
    const req = request('dynamodb:GetItem', { 'aws:PrincipalTag/dept': 'books', 'dynamodb:LeadingKeys': ['books'] });
    const ok = evaluateCondition('ForAllValues:StringEquals', 'dynamodb:LeadingKeys', [TAG_VAR], req, '2012-10-17');
    assert.equal(ok.matched, true);
    assert.deepEqual(ok.policyValues, ['books']);
    assert.match(ok.reason, /aws:PrincipalTag\/dept is "books"/);
    const other = request('dynamodb:GetItem', { 'aws:PrincipalTag/dept': 'books', 'dynamodb:LeadingKeys': ['films'] });
    const denied = evaluateCondition('ForAllValues:StringEquals', 'dynamodb:LeadingKeys', [TAG_VAR], other, '2012-10-17');
    assert.equal(denied.matched, false);
    assert.match(denied.reason, /"films".*does not satisfy StringEquals "books".*aws:PrincipalTag\/dept is "books"/);
  });

  it('tag keys are case-insensitive; a missing tag matches nothing and says so', () => {
    const req = request('dynamodb:GetItem', { 'aws:PrincipalTag/Dept': 'books', 'dynamodb:LeadingKeys': ['books'] });
    assert.equal(evaluateCondition('ForAllValues:StringEquals', 'dynamodb:LeadingKeys', [TAG_VAR], req, '2012-10-17').matched, true);
    const none = request('dynamodb:GetItem', { 'dynamodb:LeadingKeys': ['books'] });
    const missing = evaluateCondition('ForAllValues:StringEquals', 'dynamodb:LeadingKeys', [TAG_VAR], none, '2012-10-17');
    assert.equal(missing.matched, false);
    assert.match(missing.reason, /the session has no principal tag "dept"/);
  });

  it('aws:PrincipalTag/key as a condition key; IfExists holds without the tag', () => {
    const tagged = request('dynamodb:Query', { 'aws:PrincipalTag/dept': 'books' });
    assert.equal(evaluateCondition('StringEquals', 'aws:PrincipalTag/dept', ['books'], tagged, '2012-10-17').matched, true);
    assert.equal(evaluateCondition('StringEquals', 'aws:PrincipalTag/dept', ['films'], tagged, '2012-10-17').matched, false);
    const untagged = request('dynamodb:Query', {});
    assert.equal(evaluateCondition('StringEquals', 'aws:PrincipalTag/dept', ['books'], untagged, '2012-10-17').matched, false);
    assert.equal(evaluateCondition('StringEqualsIfExists', 'aws:PrincipalTag/dept', ['books'], untagged, '2012-10-17').matched, true);
  });

  it('a variable in Resource: the table of the tag\'s value', () => {
    const p = policy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:eu-central-1:123456789012:table/${aws:PrincipalTag/team}-table' }]);
    assert.equal(authorize({ identity: [p] }, request('dynamodb:GetItem', { 'aws:PrincipalTag/team': 'book' })).decision, 'allowed');
    assert.equal(authorize({ identity: [p] }, request('dynamodb:GetItem', { 'aws:PrincipalTag/team': 'film' })).decision, 'implicit-deny');
    assert.equal(authorize({ identity: [p] }, request('dynamodb:GetItem', {})).decision, 'implicit-deny');
  });

  it('buildDynamoRequest puts each session tag under aws:PrincipalTag/<key>, __proto__ included', () => {
    const tags = JSON.parse('{"dept": "books", "__proto__": "p"}') as Record<string, string>;
    const req = buildDynamoRequest({
      action: 'dynamodb:GetItem', table: { TableName: 'book-table', TableArn: TABLE_ARN, KeySchema: [] }, identityId: 'eu-central-1:x', identityPoolId: 'eu-central-1:p', amr: ['authenticated'], partition: 'books', principalTags: tags,
    });
    assert.equal(req.context['aws:PrincipalTag/dept'], 'books');
    assert.equal(req.context['aws:PrincipalTag/__proto__'], 'p');
  });
});

describe('simulateAccess with session tags', () => {
  const abac = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn('book-table'), Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [TAG_VAR] } } }],
  };
  const s = withRole(snapshot(), role('BooksReadAccess', { AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::123456789012:policy/abac', PolicyName: 'abac', Document: abac }] }));
  const base = { action: 'dynamodb:GetItem', table: 'book-table', identityPoolId: snapshot().identityPools[0]!.IdentityPoolId };

  it('the tag value decides the partition; the summary names the tag', () => {
    const allowed = simulateAccess(s, role('BooksReadAccess').Arn, { ...base, partition: 'books', sessionTags: { dept: 'books' } });
    assert.ok(!('error' in allowed));
    assert.equal(allowed.decision, 'allowed');
    assert.match(allowed.explanation.summary, /aws:PrincipalTag\/dept = "books"/);
    const other = simulateAccess(s, role('BooksReadAccess').Arn, { ...base, partition: 'other', sessionTags: { dept: 'books' } });
    assert.ok(!('error' in other));
    assert.equal(other.decision, 'implicit-deny');
    assert.match(other.explanation.suggestion!, /aws:PrincipalTag\/dept is "books"/);
  });

  it('without session tags the statement never matches', () => {
    const untagged = simulateAccess(s, role('BooksReadAccess').Arn, { ...base, partition: 'books' });
    assert.ok(!('error' in untagged));
    assert.equal(untagged.decision, 'implicit-deny');
    assert.match(untagged.explanation.suggestion!, /no principal tag "dept"/);
  });
});
