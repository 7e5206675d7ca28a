// Throttled calls are retried by the SDK's adaptive retry; a role the scanner may not read becomes
// `Unreadable` while the rest of the scan completes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scanAccount } from '../../src/aws/scanner.ts';
import { startHarness, type Harness } from './helpers.ts';

describe('scan with faults', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      unreadableRoles: [{ roleName: 'BooksReviewer' }],
      throttle: { 'cognito-idp:ListGroups': 2, 'iam:GetRole': 3, 'iam:GetPolicyVersion': 2, 'dynamodb:DescribeTable': 1 },
    });
  });
  after(() => h.stop());

  test('throttling is retried and the scan completes; the unreadable role says why', async () => {
    const { snapshot } = await scanAccount(h.context.clients, { region: h.context.region, accountId: h.sandbox.accountId, concurrency: 4 });
    const pool = snapshot.userPools.find((p) => p.Id === h.sandbox.userPoolId);
    assert.equal(pool?.Groups.length, 6);
    const reviewer = snapshot.roles.find((r) => r.RoleName === 'BooksReviewer');
    assert.ok(reviewer?.Unreadable, 'BooksReviewer is unreadable');
    assert.match(reviewer.Unreadable, /^AccessDenied: /);
    assert.equal(reviewer.Missing, false);
    const others = snapshot.roles.filter((r) => r.RoleName !== 'BooksReviewer');
    assert.ok(others.length >= 6);
    for (const role of others) assert.ok(!role.Unreadable && role.AssumeRolePolicyDocument, `${role.RoleName} read in full`);
    assert.equal(snapshot.tables.length, 2);
  });
});
