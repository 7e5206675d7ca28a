import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { listDynamoActions, simulateAccess } from '../../../src/core/access.ts';
import { buildDynamoRequest, defaultIdentityId } from '../../../src/core/iam/index.ts';
import { validateSnapshot, type Snapshot } from '../../../src/core/snapshot.ts';

const seed = validateSnapshot(JSON.parse(readFileSync(new URL('../../../media/samples/seed-healthy.json', import.meta.url), 'utf8')));
const ROLE = 'arn:aws:iam::123456789012:role/BooksReadAccess';
const POOL = seed.identityPools[0]!.IdentityPoolId;

test('seed: Query allowed, PutItem implicitly denied', () => {
  const q = simulateAccess(seed, ROLE, { action: 'dynamodb:Query', table: 'book-table', identityPoolId: POOL });
  assert.ok(!('error' in q));
  assert.equal(q.decision, 'allowed');
  const p = simulateAccess(seed, ROLE, { action: 'dynamodb:PutItem', table: 'book-table', identityPoolId: POOL, partition: 'other' });
  assert.ok(!('error' in p));
  assert.equal(p.decision, 'implicit-deny');
  assert.equal(listDynamoActions().length, 11);
});

test('errors for unknown roles and tables; guests get the Cognito session policy', () => {
  assert.ok('error' in simulateAccess(seed, 'arn:aws:iam::123456789012:role/Nope', { action: 'dynamodb:Query', table: 'book-table', identityPoolId: POOL }));
  assert.ok('error' in simulateAccess(seed, ROLE, { action: 'dynamodb:Query', table: 'nope', identityPoolId: POOL }));
  const g = simulateAccess(seed, ROLE, { action: 'dynamodb:Query', table: 'book-table', identityPoolId: POOL, guest: true });
  assert.ok(!('error' in g));
  assert.equal(g.decision, 'implicit-deny');
  assert.equal(g.explanation.missingAllowIn, 'session');
  assert.match(g.explanation.summary, /AmazonCognitoUnAuthedIdentitiesSessionPolicy/);
});

test('own vs other partition with a fine-grained policy', () => {
  const snap: Snapshot = structuredClone(seed);
  snap.roles[0]!.AttachedPolicies = [
    {
      PolicyArn: 'arn:aws:iam::123456789012:policy/Own',
      PolicyName: 'Own',
      Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: snap.tables[0]!.TableArn, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': '${cognito-identity.amazonaws.com:sub}' } } }] },
    },
  ];
  const run = (partition: string) => simulateAccess(snap, ROLE, { action: 'dynamodb:GetItem', table: 'book-table', identityPoolId: POOL, partition });
  assert.equal((run('own') as { decision: string }).decision, 'allowed');
  assert.equal((run('other') as { decision: string }).decision, 'implicit-deny');
  assert.equal((run(defaultIdentityId('eu-central-1')) as { decision: string }).decision, 'allowed');
});

test('request context builder', () => {
  const table = seed.tables[0]!;
  const r = buildDynamoRequest({ action: 'dynamodb:Query', table, index: 'byTitle', identityId: 'eu-central-1:abc', identityPoolId: POOL, amr: ['authenticated'], partition: 'own', attributes: ['title'], select: 'SPECIFIC_ATTRIBUTES', returnValues: 'NONE', roleArn: ROLE });
  assert.equal(r.resource, `${table.TableArn}/index/byTitle`);
  assert.deepEqual(r.context['dynamodb:LeadingKeys'], ['eu-central-1:abc']);
  assert.equal(r.context['cognito-identity.amazonaws.com:sub'], 'eu-central-1:abc');
  assert.equal(r.context['cognito-identity.amazonaws.com:aud'], POOL);
  assert.deepEqual(r.context['dynamodb:Attributes'], ['title']);
  assert.equal(r.context['dynamodb:Select'], 'SPECIFIC_ATTRIBUTES');
  assert.equal(r.context['dynamodb:ReturnValues'], 'NONE');
  assert.equal(r.context['aws:PrincipalAccount'], '123456789012');
  assert.equal(r.principal?.id, 'arn:aws:sts::123456789012:assumed-role/BooksReadAccess/CognitoIdentityCredentials');
  const scan = buildDynamoRequest({ action: 'dynamodb:Scan', table, identityId: 'x', identityPoolId: POOL, amr: [], partition: 'own' });
  assert.equal(scan.context['dynamodb:LeadingKeys'], undefined);
  const other = buildDynamoRequest({ action: 'dynamodb:GetItem', table, identityId: 'eu-central-1:abc', identityPoolId: POOL, amr: [], partition: 'other' });
  assert.deepEqual(other.context['dynamodb:LeadingKeys'], [defaultIdentityId('eu-central-1', 'other')]);
});
