// "Who can do what" against the live sandbox: for every seeded user of pool `books` who signs in
// without a challenge (PLAIN_USERS), the live probe (real credentials, both tables, the caller's own
// partition and another's) answers what the access matrix's row for that user's way in says. The
// matrix is computed from a fresh scan of the sandbox, as the extension computes it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { accessMatrix, type AccessMatrix } from '../../src/core/accessMatrix.ts';
import { parseSnapshot } from '../../src/core/snapshot.ts';
import type { ProbeResult } from '../../src/aws/probe.ts';
import { CLIENTS, PLAIN_USERS, TABLES } from '../sandbox/seed.ts';
import { runCli, startHarness, type Harness } from './helpers.ts';

/** The IAM action the matrix has for a probe's operation (probePlan.ts IAM_ACTION). */
const matrixAction = (probeAction: string): string =>
  probeAction === 'dynamodb:ConditionCheck' ? 'dynamodb:ConditionCheckItem' : probeAction === 'dynamodb:TransactWriteItems' ? 'dynamodb:PutItem' : probeAction;

describe('the access matrix agrees with the live probe', () => {
  let h: Harness;
  let matrix: AccessMatrix;

  before(async () => {
    h = await startHarness();
    const out = join(mkdtempSync(join(tmpdir(), 'cognito-matrix-')), 'scan.json');
    const scan = await runCli('scan', ['--profile', h.sandbox.profile, '--users', '--out', out], h.env);
    assert.equal(scan.code, 0, scan.stderr);
    matrix = accessMatrix(parseSnapshot(readFileSync(out, 'utf8'), out));
  });
  after(() => h.stop());

  for (const user of PLAIN_USERS) {
    test(`${user.Username} through books: every live probe on both tables is what the matrix says`, async () => {
      const run = await runCli('probe', [
        '--profile', h.sandbox.profile, '--user-pool', h.sandbox.userPoolId, '--client', CLIENTS.web.ClientId, '--username', user.Username,
        '--identity-pool', h.sandbox.identityPools.books, ...TABLES.flatMap((t) => ['--table', t.TableName]), '--format', 'json',
      ], { ...h.env, COGNITO_ACCESS_PASSWORD: user.password });
      assert.equal(run.code, 0, run.stderr);
      const { roleArn, results } = JSON.parse(run.stdout) as { roleArn: string; results: ProbeResult[] };
      let compared = 0;
      for (const r of results) {
        if (r.live === 'error' || r.skipped) continue;
        const rows = matrix.rows.filter((row) => row.way.roleArn === roleArn && row.way.identityPoolId === h.sandbox.identityPools.books && row.table === r.table);
        assert.ok(rows.length > 0, `a matrix row for ${roleArn} on ${r.table}`);
        for (const row of rows) {
          assert.equal(row.credentials, true, `${user.Username} got credentials for ${roleArn}`);
          const cell = matrix.cells.find((c) => c.rowId === row.id && c.action === matrixAction(r.action))!;
          const says = r.partition === 'other' ? cell.other : cell.own;
          assert.equal(says === 'allowed' ? 'allowed' : 'denied', r.live, `${user.Username}: ${r.table} ${r.action} (${r.partition ?? 'no key'}): matrix ${cell.outcome}`);
          compared++;
        }
      }
      assert.ok(compared >= 30, `compared ${compared} live probes`);
    });
  }
});
