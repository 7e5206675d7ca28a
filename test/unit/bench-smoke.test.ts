// Every benchmark (each bench/*.bench.ts, found by listing the folder, so a new one is included)
// runs at smoke size, so `npm test` notices when one stops running: BENCH_SMOKE=1 makes each use
// tiny sizes and few iterations. The same command as bench/run.mjs. Only the exit code and some
// output are checked, never a time. None needs dist/: the activation benchmark bundles the
// production build into a temporary folder itself (npm test builds dist/ first anyway).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const benches = readdirSync(new URL('../../bench/', import.meta.url)).filter((f) => f.endsWith('.bench.ts')).sort();

function runBench(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // NODE_TEST_CONTEXT would tell a child that it is one of node:test's own.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${file}`], { cwd: root, env: { ...env, BENCH_SMOKE: '1' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('benchmarks at smoke size (BENCH_SMOKE=1)', () => {
  it('finds the benchmarks', () => {
    assert.ok(benches.length >= 4, `bench/*.bench.ts: ${benches.join(', ')}`);
  });

  for (const file of benches) {
    it(file, { timeout: 150_000 }, async () => {
      const { code, stdout, stderr } = await runBench(file);
      assert.equal(code, 0, `node --import tsx bench/${file} failed:\n${stderr.slice(-4000)}`);
      assert.ok(stdout.trim().length > 0, `bench/${file} printed nothing`);
    });
  }
});
