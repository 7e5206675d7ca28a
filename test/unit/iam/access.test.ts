import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decideAccess, listDynamoActions, simulateAccess } from '../../../src/core/access.ts';
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

test('decideAccess gives simulateAccess\'s decision (or its error) for every role, table, action, partition and guest of the samples', () => {
  for (const file of ['sample-account.json', 'seed-healthy.json', 'seed-abac-no-tagsession.json', 'seed-trust-aud-is-user-pool-id.json']) {
    const snapshot = validateSnapshot(JSON.parse(readFileSync(new URL(`../../../media/samples/${file}`, import.meta.url), 'utf8')));
    let cells = 0;
    for (const role of [...snapshot.roles.map((r) => r.Arn), 'arn:aws:iam::123456789012:role/Nope']) {
      for (const table of [...snapshot.tables.map((t) => t.TableName), 'nope']) {
        for (const action of listDynamoActions()) {
          for (const pool of snapshot.identityPools) {
            for (const variant of [{ partition: 'own' }, { partition: 'other' }, { guest: true }, { guest: true, basicFlow: true }, { sessionTags: { dept: 'books' } }]) {
              const request = { action, table, identityPoolId: pool.IdentityPoolId, ...variant };
              const simulated = simulateAccess(snapshot, role, request);
              const decided = decideAccess(snapshot, role, request);
              assert.deepEqual(decided, 'error' in simulated ? simulated : simulated.decision, `${file} ${role} ${table} ${action} ${JSON.stringify(variant)}`);
              cells++;
            }
          }
        }
      }
    }
    assert.ok(cells > 100, `${file}: ${cells} cells`);
  }
});

test('decideAccess reads a snapshot again when its roles or tables were replaced', () => {
  const snap: Snapshot = structuredClone(seed);
  const request = { action: 'dynamodb:PutItem', table: 'book-table', identityPoolId: POOL };
  assert.equal(decideAccess(snap, ROLE, request), 'implicit-deny');
  snap.roles = snap.roles.map((r) => (r.Arn === ROLE ? { ...r, InlinePolicies: [{ PolicyName: 'Write', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' }] } }] } : r));
  assert.equal(decideAccess(snap, ROLE, request), 'allowed');
  snap.tables = [];
  assert.deepEqual(decideAccess(snap, ROLE, request), { error: 'table book-table is not in the snapshot (tables: none)' });
});
