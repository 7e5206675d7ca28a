// Where the Explorer shows each scan gap, and how its warning node reads (src/vscode/tree/gapPlaces.ts),
// plus the cancel helper of a load (src/vscode/cancel.ts) and the Markdown report of a gap finding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/core/diagnose.ts';
import type { ScanGap } from '../../src/core/snapshot.ts';
import { ScanCancelledError, unlessCancelled } from '../../src/vscode/cancel.ts';
import { diagnosisMarkdown } from '../../src/vscode/reports.ts';
import { gapLabel, gapPlace, gapTitle, placeGaps } from '../../src/vscode/tree/gapPlaces.ts';
import { ACCOUNT, CLIENT_ID, IDENTITY_POOL_ID, REGION, roleArn, snapshot, tableArn, USER_POOL_ID } from './fixtures.ts';

const gap = (operation: string, resource: string | null, service = 'cognito-idp', error = 'AccessDeniedException'): ScanGap => ({
  service, operation, resource, error, message: `User is not authorized to perform: ${service}:${operation}`, permission: `${service}:${operation}`,
});

describe('scan gaps in the Explorer', () => {
  const s = snapshot();

  it('puts an identity pool\'s gaps on that pool: role mappings and default roles, or settings', () => {
    assert.deepEqual(gapPlace(gap('GetIdentityPoolRoles', IDENTITY_POOL_ID, 'cognito-identity'), s), { kind: 'identityPool', poolId: IDENTITY_POOL_ID, topic: 'roles' });
    assert.deepEqual(gapPlace(gap('DescribeIdentityPool', IDENTITY_POOL_ID, 'cognito-identity'), s), { kind: 'identityPool', poolId: IDENTITY_POOL_ID, topic: 'settings' });
    assert.deepEqual(gapPlace(gap('GetIdentityPoolRoles', 'eu-central-1:not-in-the-snapshot', 'cognito-identity'), s), { kind: 'connection' });
  });

  it('puts a user pool\'s gaps on that pool by topic, a client or a user by the pool part of its resource', () => {
    assert.deepEqual(gapPlace(gap('ListGroups', USER_POOL_ID), s), { kind: 'userPool', poolId: USER_POOL_ID, topic: 'groups' });
    assert.deepEqual(gapPlace(gap('DescribeUserPoolClient', `${USER_POOL_ID}/${CLIENT_ID}`), s), { kind: 'userPool', poolId: USER_POOL_ID, topic: 'clients' });
    assert.deepEqual(gapPlace(gap('AdminListGroupsForUser', `${USER_POOL_ID}/testuser1`), s), { kind: 'userPool', poolId: USER_POOL_ID, topic: 'users' });
    assert.deepEqual(gapPlace(gap('DescribeUserPool', 'eu-central-1_GONE'), s), { kind: 'connection' }, 'a pool that is not in the tree');
  });

  it('puts an IAM gap of a role the tree shows on the role; policies, tables and list calls under the connection', () => {
    assert.deepEqual(gapPlace(gap('GetRole', roleArn('BooksReadAccess'), 'iam'), s), { kind: 'role', roleArn: roleArn('BooksReadAccess') });
    assert.deepEqual(gapPlace(gap('ListRolePolicies', roleArn('BooksDefaultAuth'), 'iam'), s), { kind: 'role', roleArn: roleArn('BooksDefaultAuth') });
    assert.deepEqual(gapPlace(gap('GetRole', roleArn('NobodyUsesMe'), 'iam'), s), { kind: 'connection' });
    assert.deepEqual(gapPlace(gap('GetPolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/BooksRead`, 'iam'), s), { kind: 'connection' });
    assert.deepEqual(gapPlace(gap('GetResourcePolicy', tableArn('book-table'), 'dynamodb'), s), { kind: 'connection' });
    for (const [operation, service] of [['ListUserPools', 'cognito-idp'], ['ListIdentityPools', 'cognito-identity'], ['ListTables', 'dynamodb'], ['GetAccountAuthorizationDetails', 'iam']] as const) {
      assert.deepEqual(gapPlace(gap(operation, null, service), s), { kind: 'connection' }, operation);
    }
  });

  it('places every gap in the snapshot\'s order', () => {
    const gaps = [gap('ListIdentityPools', null, 'cognito-identity'), gap('ListGroups', USER_POOL_ID)];
    assert.deepEqual(placeGaps({ ...s, scanGaps: gaps }).map((p) => p.place.kind), ['connection', 'userPool']);
    assert.deepEqual(placeGaps(s), []);
  });

  it('labels a denied read with the permission it needs, and any other failure with its error', () => {
    assert.deepEqual(gapLabel(gap('GetIdentityPoolRoles', IDENTITY_POOL_ID, 'cognito-identity')), {
      label: 'Role mappings and default roles: not readable',
      description: 'needs cognito-identity:GetIdentityPoolRoles',
    });
    assert.deepEqual(gapLabel(gap('ListGroups', USER_POOL_ID, 'cognito-idp', 'Timeout')), { label: 'Groups: not read', description: 'Timeout: scan again' });
    assert.equal(gapLabel(gap('GetRole', roleArn('X'), 'iam', 'AccessDenied')).description, 'needs iam:GetRole');
  });

  it('names what a gap leaves unread, with the resource where it helps', () => {
    assert.equal(gapTitle(gap('AdminListGroupsForUser', `${USER_POOL_ID}/alice`)), 'Groups of user alice');
    assert.equal(gapTitle(gap('DescribeUserPoolClient', `${USER_POOL_ID}/${CLIENT_ID}`)), `App client ${CLIENT_ID}`);
    assert.equal(gapTitle(gap('GetPolicy', `arn:aws:iam::${ACCOUNT}:policy/team/BooksRead`, 'iam')), 'Managed policy BooksRead');
    assert.equal(gapTitle(gap('DescribeTable', tableArn('book-table'), 'dynamodb')), 'Table book-table');
    assert.equal(gapTitle(gap('ListTables', null, 'dynamodb')), 'DynamoDB tables');
    assert.equal(gapTitle(gap('SomethingNew', null, 'sts')), 'sts:SomethingNew');
  });

  it('a diagnosis report names a gap of the whole account without failing', () => {
    const md = diagnosisMarkdown('gaps', diagnose({ ...s, scanGaps: [gap('ListIdentityPools', null, 'cognito-identity')] }));
    assert.match(md, new RegExp(`## warning: SCAN_INCOMPLETE \\(account ${ACCOUNT}/${REGION}\\)`));
  });
});

describe('cancelling a load', () => {
  it('rejects at once when the signal aborts, while the work behind it still hangs', async () => {
    const abort = new AbortController();
    const hanging = new Promise<string>(() => undefined);
    const started = Date.now();
    setTimeout(() => abort.abort(), 20);
    await assert.rejects(unlessCancelled(hanging, abort.signal), ScanCancelledError);
    assert.ok(Date.now() - started < 500);
  });

  it('passes a result or an error through, and turns an abort error after a cancel into a cancel', async () => {
    const abort = new AbortController();
    assert.equal(await unlessCancelled(Promise.resolve(7), abort.signal), 7);
    await assert.rejects(unlessCancelled(Promise.reject(new Error('AccessDenied')), abort.signal), /AccessDenied/);
    abort.abort();
    await assert.rejects(unlessCancelled(Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), abort.signal), ScanCancelledError);
    await assert.rejects(unlessCancelled(Promise.resolve(1), abort.signal), ScanCancelledError, 'already cancelled');
  });
});
