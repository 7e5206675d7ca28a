// A fixed-seed subset of the differential test (test/differential/), part of `npm test`:
// 5,000 generated cases against @cloud-copilot/iam-simulate (a few seconds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDifferential } from '../../differential/run.ts';

test('differential subset: 5,000 cases agree with iam-simulate or hit a documented difference', () => {
  const report = runDifferential(5000, 424242);
  assert.equal(report.unexplained.length, 0, JSON.stringify(report.unexplained.slice(0, 2), null, 1));
  assert.equal(report.inconsistent.length, 0, JSON.stringify(report.inconsistent.slice(0, 2), null, 1));
  assert.ok(report.agreed > 4500, `agreed ${report.agreed}`);
});
