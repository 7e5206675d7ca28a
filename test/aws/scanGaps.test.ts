// A scan never loses what it read (issue 11): for every operation the scanner calls, the
// sandbox's fault injection makes it deny, answer HTML 500, never answer, and throttle for ever;
// the scan ends within the time limit plus a little, records the gap, and its snapshot equals the
// clean one minus exactly what the gap covers. Random sets of faults never drop a successful read.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { scanAccount, type ScanResult } from '../../src/aws/scanner.ts';
import type { IamStrategy } from '../../src/aws/scanIam.ts';
import type { FaultMode } from '../sandbox/index.ts';
import { startHarness, type Harness } from './helpers.ts';
import { comparable, minusGaps } from './scanOracle.ts';

const TIMEOUT_MS = 2000;
/** The error code each fault mode must be recorded as. */
const EXPECTED: Record<FaultMode, RegExp> = {
  deny: /^AccessDenied(Exception)?$/,
  html500: /^NotAnAwsResponse$/,
  hang: /^Timeout$/,
  throttle: /^(Throttling|ThrottlingException|TooManyRequestsException|Timeout)$/,
};

describe('scan gaps: the fault matrix', () => {
  let h: Harness;
  let clean: ScanResult;
  let operations: string[];
  const scan = (iamStrategy: IamStrategy = 'auto') => scanAccount(h.context.clients, {
    region: h.context.region, accountId: h.sandbox.accountId, includeUsers: true, timeoutMs: TIMEOUT_MS, iamStrategy,
  });

  before(async () => {
    h = await startHarness();
    // A wildcard table ARN, so ListTables is among the operations (the seed names tables exactly).
    const iam = new IAMClient({ region: h.sandbox.region, endpoint: h.sandbox.endpoint, credentials: h.sandbox.adminCredentials });
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'BooksReadAccess', PolicyName: 'wildcard-tables',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: `arn:aws:dynamodb:${h.sandbox.region}:${h.sandbox.accountId}:table/book-*` }] }),
    }));
    iam.destroy();
    h.sandbox.resetCalls();
    clean = await scan();
    operations = Object.keys(h.sandbox.calls()).filter((op) => op !== 'sts:GetCallerIdentity').sort();
  });
  after(() => h.stop());

  test('the clean scan has no gap and calls every read the scanner makes', () => {
    assert.deepEqual(clean.gaps, []);
    assert.equal(clean.snapshot.scanGaps, undefined);
    for (const op of [
      'cognito-idp:ListUserPools', 'cognito-idp:DescribeUserPool', 'cognito-idp:ListUserPoolClients', 'cognito-idp:DescribeUserPoolClient',
      'cognito-idp:ListGroups', 'cognito-idp:ListUsers', 'cognito-idp:AdminListGroupsForUser', 'cognito-identity:ListIdentityPools',
      'cognito-identity:DescribeIdentityPool', 'cognito-identity:GetIdentityPoolRoles', 'cognito-identity:GetPrincipalTagAttributeMap', 'iam:GetRole', 'iam:ListAttachedRolePolicies',
      'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'dynamodb:ListTables', 'dynamodb:DescribeTable',
      'dynamodb:GetResourcePolicy',
    ]) assert.ok(operations.includes(op), `the clean scan never called ${op}: ${operations.join(', ')}`);
  });

  for (const mode of ['deny', 'html500', 'hang', 'throttle'] as FaultMode[]) {
    test(`every operation answering ${mode}: a gap naming it, and nothing else lost`, async () => {
      for (const op of operations) {
        h.sandbox.setFaults({ [op]: mode });
        const started = Date.now();
        const result = await scan();
        const took = Date.now() - started;
        h.sandbox.setFaults({});
        const [service, operation] = op.split(':');
        assert.ok(result.gaps.length > 0, `${op} ${mode}: no gap recorded`);
        for (const gap of result.gaps) {
          assert.equal(`${gap.service}:${gap.operation}`, op, `${op} ${mode}: unexpected gap ${JSON.stringify(gap)}`);
          assert.match(gap.error, EXPECTED[mode], `${op} ${mode}: ${JSON.stringify(gap)}`);
          assert.equal(gap.permission, `${service}:${operation}`);
          assert.ok(!gap.message.includes('\n') && gap.message.length <= 300);
        }
        assert.deepEqual(result.snapshot.scanGaps, result.gaps);
        assert.deepEqual(comparable(result.snapshot), comparable(minusGaps(clean.snapshot, result.gaps)), `${op} ${mode}: the snapshot is not the clean one minus the gap`);
        // Calls that never answer run in parallel, each within its own limit.
        if (mode === 'hang') assert.ok(took < TIMEOUT_MS * 6 + 3000, `${op} hang: the scan took ${took} ms`);
      }
    });
  }

  test('property: random sets of faults never drop a successful read', async () => {
    const faults = fc.dictionary(fc.constantFrom(...operations), fc.constantFrom<FaultMode>('deny', 'html500', 'throttle'), { minKeys: 1, maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(faults, async (map) => {
        h.sandbox.setFaults(map);
        try {
          const result = await scan();
          for (const gap of result.gaps) assert.ok(Object.hasOwn(map, `${gap.service}:${gap.operation}`), `gap for an operation without a fault: ${gap.operation}`);
          assert.deepEqual(comparable(result.snapshot), comparable(minusGaps(clean.snapshot, result.gaps)));
        } finally {
          h.sandbox.setFaults({});
        }
      }),
      { numRuns: 12, seed: Number(process.env.FC_SEED ?? 20261202) },
    );
  });

  test('GetAccountAuthorizationDetails failing in any way: the per-role reads take over, same snapshot, no gap', async () => {
    const viaAccount = await scan('account');
    assert.equal(viaAccount.stats.iam, 'account-authorization-details');
    assert.deepEqual(comparable(viaAccount.snapshot), comparable(clean.snapshot));
    for (const mode of ['deny', 'html500', 'hang', 'throttle'] as FaultMode[]) {
      h.sandbox.setFaults({ 'iam:GetAccountAuthorizationDetails': mode });
      const result = await scan('account');
      h.sandbox.setFaults({});
      assert.deepEqual(result.gaps, [], mode);
      assert.equal(result.stats.iam, 'per-role', mode);
      assert.deepEqual(comparable(result.snapshot), comparable(clean.snapshot), mode);
    }
  });
});
