// The big differential run: `npm run test:differential` (DIFF_CASES=50000 DIFF_SEED=... to change).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDifferential } from './run.ts';
import { KNOWN_DIFFERENCES } from './known.ts';

const cases = Number(process.env.DIFF_CASES ?? 20000);
const seed = Number(process.env.DIFF_SEED ?? 20260515);

test(`differential against iam-simulate: ${cases} cases, seed ${seed}`, () => {
  const report = runDifferential(cases, seed);
  const documented = Object.values(report.documented).reduce((a, b) => a + b, 0);
  console.log(`agreed ${report.agreed}/${report.cases}; documented differences ${documented} ${JSON.stringify(report.documented)}; unexplained ${report.unexplained.length}; decide() vs explained evaluation: ${report.inconsistent.length} disagreements`);
  for (const id of Object.keys(report.documented)) assert.ok(KNOWN_DIFFERENCES.some((d) => d.id === id));
  assert.equal(report.unexplained.length, 0, JSON.stringify(report.unexplained.slice(0, 3), null, 1));
  assert.equal(report.inconsistent.length, 0, `decide() and the explained evaluation disagree: ${JSON.stringify(report.inconsistent.slice(0, 3), null, 1)}`);
  assert.ok(report.agreed > cases * 0.9, 'the generator must mostly produce cases both engines agree on');
});
