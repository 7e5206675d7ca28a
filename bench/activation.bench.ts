// Activation benchmark (issue 6): the time to load the production bundle and run activate(), and
// the sizes of the bundle and the .vsix, next to a baseline bundle that imports everything
// eagerly (engine, jose, AWS SDK), measured in this same run. Each timing is the median of fresh
// processes. Goals: activation under 50 ms, extension bundle under 1.5 MB minified.
// The production bundles are built into a temporary folder (dist/ is left alone); only the .vsix
// size packages dist/, rebuilt for it. BENCH_SMOKE=1 (the unit tests' smoke run): one process
// per timing and no .vsix.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cai-activation-'));
const SMOKE = Boolean(process.env.BENCH_SMOKE) && process.env.BENCH_SMOKE !== '0';
const RUNS = SMOKE ? 1 : 15;
const dist = join(work, 'dist');

execFileSync(process.execPath, ['esbuild.mjs', '--production', '--outdir', dist], { cwd: root, stdio: 'inherit' });
const baseline = join(work, 'eager.js');
esbuild.buildSync({ entryPoints: [join(root, 'bench/eagerEntry.ts')], outfile: baseline, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, external: ['vscode'], logLevel: 'warning' });

/** Loads a bundle with the vscode stand-in and calls activate(); prints milliseconds. */
const probe = `
const Module = require('node:module');
const stub = require(${JSON.stringify(join(root, 'bench/vscodeStub.cjs'))});
const load = Module._load;
Module._load = (request, ...rest) => (request === 'vscode' ? stub : load(request, ...rest));
const start = process.hrtime.bigint();
const extension = require(process.argv[1]);
extension.activate({ subscriptions: [], globalState: { get: (_k, d) => d, update: async () => {} }, secrets: { get: async () => undefined, store: async () => {}, delete: async () => {} }, extensionUri: { fsPath: ${JSON.stringify(root)} } });
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`;

function activationMs(bundle: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, ['-e', probe, bundle], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`activating ${bundle} failed: ${run.stderr}`);
    times.push(Number(run.stdout));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Packages dist/ as production bundles, then leaves it as `npm run build` makes it. */
function vsixBytes(): number | null {
  const out = join(work, 'extension.vsix');
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  try {
    const run = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license', '-o', out], { cwd: root, encoding: 'utf8' });
    return run.status === 0 ? statSync(out).size : null;
  } finally {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  }
}

const ours = activationMs(join(dist, 'extension.js'));
const eager = activationMs(baseline);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const shipped = readdirSync(dist).filter((f) => /^(extension|engine|aws)\.js$/.test(f) || f.startsWith('webview'));
const extensionBytes = statSync(join(dist, 'extension.js')).size;
const eagerBytes = statSync(baseline).size;
const totalBytes = shipped.reduce((sum, f) => sum + (statSync(join(dist, f)).isFile() ? statSync(join(dist, f)).size : 0), 0);
const vsix = SMOKE ? undefined : vsixBytes();

const rows = [
  ['measurement', 'ours', 'eager baseline', 'ours / baseline', 'goal'],
  [`load bundle + activate() (median of ${RUNS})`, `${ours.toFixed(1)} ms`, `${eager.toFixed(1)} ms`, (ours / eager).toFixed(3), '< 50 ms'],
  ['extension bundle (minified)', kb(extensionBytes), kb(eagerBytes), (extensionBytes / eagerBytes).toFixed(3), '< 1.5 MB'],
  ['all shipped code (extension + lazy engine/aws)', kb(totalBytes), kb(eagerBytes), (totalBytes / eagerBytes).toFixed(3), ''],
  ['.vsix', vsix === undefined ? 'skipped (BENCH_SMOKE)' : vsix === null ? 'vsce failed' : kb(vsix), '', '', ''],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
console.log(`activation goal (< 50 ms): ${ours < 50 ? 'met' : 'missed'}; bundle goal (< 1.5 MB): ${extensionBytes < 1.5 * 1024 * 1024 ? 'met' : 'missed'}`);
rmSync(work, { recursive: true, force: true });
