// The compiled evaluator: the decision-only path (decide, decideTrust) against the explained one
// (explainAuthorization, explainTrust) on generated cases, the lazily built explanation, and the
// caches that make a document compile once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { authorize, decide, decideTrust, evaluateTrust, parsePolicy } from '../../../src/core/iam/index.ts';
import { explainAuthorization, explainTrust } from '../../../src/core/iam/authorize.ts';
import { compilePolicy } from '../../../src/core/iam/compile.ts';
import type { RequestContext } from '../../../src/core/iam/types.ts';
import { caseArbitrary, toOurs } from '../../differential/generate.ts';
import { policy, request, ROLE_ARN, TABLE_ARN } from './helpers.ts';

test('decide() and decideTrust() give the decision of the explained evaluation on 2,000 generated cases', () => {
  for (const c of fc.sample(caseArbitrary, { seed: 20261202, numRuns: 2000 })) {
    const { set, request: r } = toOurs(c);
    assert.equal(decide(set, r), explainAuthorization(set, r).decision, JSON.stringify(c));
    if (c.resourcePolicy) {
      // The resource policy's statements (they carry principals) read as a trust policy.
      const trust = parsePolicy(c.resourcePolicy, { name: 'trust', kind: 'trust' });
      assert.equal(decideTrust(trust, r), explainTrust(trust, r).decision, JSON.stringify(c));
    }
  }
});

test('authorize() builds the same explanation when it is read, and keeps it', () => {
  for (const c of fc.sample(caseArbitrary, { seed: 7, numRuns: 300 })) {
    const { set, request: r } = toOurs(c);
    const lazy = authorize(set, r);
    const eager = explainAuthorization(set, r);
    assert.deepEqual(JSON.parse(JSON.stringify(lazy)), JSON.parse(JSON.stringify(eager)));
    assert.equal(lazy.explanation, lazy.explanation, 'built once');
  }
});

test('the explanation is an own enumerable property: JSON, spreading and structuredClone see it', () => {
  const d = authorize({ identity: [policy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }])] }, request('dynamodb:PutItem'));
  assert.deepEqual(Object.keys(d), ['decision', 'action', 'resource', 'explanation']);
  assert.match(JSON.stringify(d), /"explanation":\{"summary":"Implicitly denied/);
  assert.equal({ ...d }.explanation.summary, d.explanation.summary);
  assert.equal(structuredClone(d).explanation.summary, d.explanation.summary);
  d.explanation.summary += ' More.';
  assert.match(d.explanation.summary, / More\.$/, 'changes to the explanation stay');
  d.explanation = { summary: 'replaced', deciding: [], notMatched: [] };
  assert.equal(d.explanation.summary, 'replaced');
});

test('an explanation read later explains the request as it was decided', () => {
  const p = policy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN, Condition: { StringEquals: { 'aws:username': 'bob' } } }]);
  const r = request('dynamodb:GetItem', { 'aws:username': 'bob' });
  const d = authorize({ identity: [p] }, r);
  r.context['aws:username'] = 'alice';
  r.action = 'dynamodb:PutItem';
  assert.equal(d.decision, 'allowed');
  assert.equal(d.explanation.deciding[0]?.conditions[0]?.requestValues?.[0], 'bob');
  assert.equal(d.action, 'dynamodb:GetItem');

  const trust = parsePolicy(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } } }] },
    { name: 'trust', kind: 'trust' },
  );
  const amr = ['authenticated'];
  const tr: RequestContext = { action: 'sts:AssumeRoleWithWebIdentity', resource: ROLE_ARN, principal: { type: 'Federated', id: 'cognito-identity.amazonaws.com' }, context: { 'cognito-identity.amazonaws.com:amr': amr } };
  const t = evaluateTrust(trust, tr);
  amr[0] = 'unauthenticated';
  assert.equal(t.decision, 'allowed');
  assert.match(t.explanation.summary, /^Allowed/);
  assert.deepEqual(t.explanation.deciding[0]?.conditions[0]?.requestValues, ['authenticated']);
});

test('a document is read once: policies parsed from it share frozen statements and their compiled form', () => {
  const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: TABLE_ARN, Condition: { StringEquals: { 'aws:username': ['bob'] } } }] };
  const a = parsePolicy(document, { name: 'a', kind: 'identity' });
  const b = parsePolicy(document, { name: 'b', kind: 'identity', arn: 'arn:aws:iam::123456789012:policy/b' });
  assert.equal(a.Statement, b.Statement);
  assert.equal(compilePolicy(a), compilePolicy(b));
  assert.notEqual(a.problems, b.problems, 'problems are each policy\'s own');
  assert.ok(Object.isFrozen(a.Statement) && Object.isFrozen(a.Statement[0]) && Object.isFrozen(a.Statement[0]!.Condition!.StringEquals!['aws:username']));
  assert.throws(() => (a.Statement[0]!.Action as string[]).push('dynamodb:PutItem'), TypeError);
  // Another kind reads the document on its own terms (a resource policy needs a Principal).
  assert.equal(parsePolicy(document, { name: 'r', kind: 'resource' }).Statement.length, 0);
});

test('a policy built by hand is compiled again when its statements change', () => {
  const p = policy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }]);
  const handMade = { ...p, Statement: [...p.Statement] };
  assert.equal(decide({ identity: [handMade] }, request('dynamodb:GetItem')), 'allowed');
  handMade.Statement[0] = policy([{ Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }]).Statement[0]!;
  assert.equal(decide({ identity: [handMade] }, request('dynamodb:GetItem')), 'explicit-deny');
  handMade.Statement.push(policy([{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE_ARN }]).Statement[0]!);
  assert.equal(decide({ identity: [handMade] }, request('dynamodb:PutItem')), 'allowed');
});

test('matchers with policy variables follow the request: each identity gets its own partition', () => {
  const p = policy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] } } }]);
  for (let i = 0; i < 200; i++) {
    const me = `eu-central-1:${String(i).padStart(8, '0')}`;
    const ctx = (key: string): RequestContext['context'] => ({ 'cognito-identity.amazonaws.com:sub': me, 'dynamodb:LeadingKeys': [key] });
    assert.equal(decide({ identity: [p] }, request('dynamodb:GetItem', ctx(me))), 'allowed');
    assert.equal(decide({ identity: [p] }, request('dynamodb:GetItem', ctx(`${me}x`))), 'implicit-deny');
  }
  // No identity id: the variable is unresolved and matches nothing.
  assert.equal(decide({ identity: [p] }, request('dynamodb:GetItem', { 'dynamodb:LeadingKeys': ['x'] })), 'implicit-deny');
});
