// Scan gaps: what a gap covers is not captured (no false findings, no guessed prediction), each
// gap is a SCAN_INCOMPLETE finding naming operation, resource, error and permission, and the
// snapshot reader keeps them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/core/diagnose.ts';
import { gapPolicyDocument, gapStatement, GapIndex, SCAN_ACTIONS, scanPolicyDocument } from '../../src/core/gaps.ts';
import { simulate, NOT_CAPTURED } from '../../src/core/simulate.ts';
import { parseSnapshot, validateSnapshot, type ScanGap, type Snapshot } from '../../src/core/snapshot.ts';

const healthy = (): Snapshot => parseSnapshot(readFileSync(new URL('../../media/samples/seed-healthy.json', import.meta.url), 'utf8'), 'seed-healthy.json');
const gap = (over: Partial<ScanGap>): ScanGap => ({
  service: 'cognito-identity', operation: 'GetIdentityPoolRoles', resource: null, error: 'AccessDeniedException',
  message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cognito-identity:GetIdentityPoolRoles', permission: 'cognito-identity:GetIdentityPoolRoles', ...over,
});
const codes = (s: Snapshot) => diagnose(s).findings.map((f) => f.code);

describe('scan gaps', () => {
  it('the reader keeps scanGaps and names the JSON path of a broken one', () => {
    const s = healthy();
    const raw = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
    raw.scanGaps = [gap({ resource: s.identityPools[0]!.IdentityPoolId })];
    assert.equal(validateSnapshot(raw).scanGaps?.length, 1);
    raw.scanGaps = [{ service: 'iam', operation: 'GetRole', error: 'Timeout' }];
    assert.throws(() => validateSnapshot(raw, 'f.json'), /f\.json: scanGaps\[0\]\.permission: required field is missing/);
  });

  it('a GetIdentityPoolRoles denial never becomes "no authenticated role": SCAN_INCOMPLETE instead, naming the permission', () => {
    const s = healthy();
    const pool = s.identityPools[0]!;
    // What a scan that could not read the roles writes: the pool without Roles and RoleMappings.
    pool.Roles = {};
    pool.RoleMappings = {};
    assert.ok(codes(s).includes('POOL_NO_AUTHENTICATED_ROLE'), 'without the gap the empty pool is a fault');
    s.scanGaps = [gap({ resource: pool.IdentityPoolId })];
    const findings = diagnose(s).findings;
    assert.ok(!findings.some((f) => ['POOL_NO_AUTHENTICATED_ROLE', 'GROUP_ROLES_IGNORED', 'USER_SIGN_IN_FAILS'].includes(f.code)), JSON.stringify(findings.map((f) => f.code)));
    const incomplete = findings.filter((f) => f.code === 'SCAN_INCOMPLETE');
    assert.equal(incomplete.length, 1);
    assert.equal(incomplete[0]!.severity, 'warning');
    assert.deepEqual(incomplete[0]!.subject, { kind: 'identityPool', id: pool.IdentityPoolId });
    assert.match(incomplete[0]!.message, /GetIdentityPoolRoles failed with AccessDeniedException/);
    assert.match(incomplete[0]!.fix, /cognito-identity:GetIdentityPoolRoles/);
    assert.match(incomplete[0]!.fix, new RegExp(`identitypool/${pool.IdentityPoolId}`));
  });

  it('simulate through a pool whose roles were not read answers NotCaptured, not a guessed error', () => {
    const s = healthy();
    const pool = s.identityPools[0]!;
    pool.Roles = {};
    pool.RoleMappings = {};
    s.scanGaps = [gap({ resource: pool.IdentityPoolId })];
    const result = simulate(s, { identityPoolId: pool.IdentityPoolId, groups: ['BooksRead'] });
    assert.equal(result.resolution.outcome, 'error');
    assert.equal(result.resolution.error?.code, NOT_CAPTURED);
    assert.deepEqual(result.resolution.findings, ['SCAN_INCOMPLETE']);
    assert.match(result.resolution.error!.message, /cognito-identity:GetIdentityPoolRoles/);
  });

  it('a gap on another pool changes nothing for this one', () => {
    const s = healthy();
    const before = simulate(s, { groups: ['BooksRead'], identityPoolId: s.identityPools[0]!.IdentityPoolId }).resolution;
    s.scanGaps = [gap({ resource: 'eu-central-1:99999999-0000-0000-0000-000000000000' })];
    const after = simulate(s, { groups: ['BooksRead'], identityPoolId: s.identityPools[0]!.IdentityPoolId }).resolution;
    assert.deepEqual(after, before);
  });

  it('list-call gaps are about the account; their statement allows the action on *', () => {
    const s = healthy();
    s.scanGaps = [gap({ operation: 'ListIdentityPools', permission: 'cognito-identity:ListIdentityPools', error: 'NotAnAwsResponse', message: 'HTTP 500 text/html' })];
    const f = diagnose(s).findings.find((x) => x.code === 'SCAN_INCOMPLETE');
    assert.deepEqual(f?.subject, { kind: 'account', id: `${s.accountId}/${s.region}` });
    assert.match(f!.fix, /Scan again/);
    assert.deepEqual(gapStatement(s.scanGaps[0]!, s.region, s.accountId), { Effect: 'Allow', Action: 'cognito-identity:ListIdentityPools', Resource: '*' });
    const document = JSON.parse(gapPolicyDocument(s.scanGaps[0]!, s.region, s.accountId)) as { Version: string };
    assert.equal(document.Version, '2012-10-17');
  });

  it('resource ARNs of statements: user pool (also for a client), table, role', () => {
    const at = (g: Partial<ScanGap>) => gapStatement(gap(g), 'eu-central-1', '123456789012').Resource;
    assert.equal(at({ service: 'cognito-idp', operation: 'DescribeUserPoolClient', resource: 'eu-central-1_X/abc', permission: 'cognito-idp:DescribeUserPoolClient' }), 'arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_X');
    assert.equal(at({ service: 'dynamodb', operation: 'DescribeTable', resource: 'books', permission: 'dynamodb:DescribeTable' }), 'arn:aws:dynamodb:eu-central-1:123456789012:table/books');
    assert.equal(at({ service: 'iam', operation: 'GetRole', resource: 'arn:aws:iam::123456789012:role/R', permission: 'iam:GetRole' }), 'arn:aws:iam::123456789012:role/R');
  });

  it('a ListGroups gap silences user checks of that pool and group-based simulation', () => {
    const s = healthy();
    const pool = s.userPools[0]!;
    s.scanGaps = [gap({ service: 'cognito-idp', operation: 'ListGroups', resource: pool.Id, permission: 'cognito-idp:ListGroups' })];
    const index = new GapIndex(s.scanGaps);
    assert.ok(index.userPoolGroups(pool.Id));
    assert.equal(simulate(s, { groups: ['BooksRead'] }).resolution.error?.code, NOT_CAPTURED);
    assert.ok(!codes(s).some((c) => c.startsWith('USER_')));
  });

  it('the published scan policy lists every action once, read-only', () => {
    const actions = scanPolicyDocument().Statement[0]!.Action;
    assert.equal(new Set(actions).size, actions.length);
    assert.deepEqual(actions, [...SCAN_ACTIONS]);
    for (const action of actions) assert.match(action, /^(cognito-idp|cognito-identity|iam|dynamodb):(List|Describe|Get|AdminListGroupsForUser)/);
  });
});
