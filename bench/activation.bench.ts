// Activation benchmark (issue 6): the time to load the production bundle and run activate(), and
// the sizes of the bundle and the .vsix, next to a baseline bundle that imports everything
// eagerly (engine, jose, AWS SDK), measured in this same run. Each timing is the median of fresh
// processes. Goals: activation under 50 ms, extension bundle under 1.5 MB minified.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cai-activation-'));
const RUNS = 15;

execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
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

function vsixBytes(): number | null {
  const out = join(work, 'extension.vsix');
  const run = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license', '-o', out], { cwd: root, encoding: 'utf8' });
  return run.status === 0 ? statSync(out).size : null;
}

const ours = activationMs(join(root, 'dist/extension.js'));
const eager = activationMs(baseline);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const shipped = readdirSync(join(root, 'dist')).filter((f) => /^(extension|engine|aws)\.js$/.test(f) || f.startsWith('webview'));
const extensionBytes = statSync(join(root, 'dist/extension.js')).size;
const eagerBytes = statSync(baseline).size;
const totalBytes = shipped.reduce((sum, f) => sum + (statSync(join(root, 'dist', f)).isFile() ? statSync(join(root, 'dist', f)).size : 0), 0);
const vsix = vsixBytes();

const rows = [
  ['measurement', 'ours', 'eager baseline', 'ours / baseline', 'goal'],
  ['load bundle + activate() (median of 15)', `${ours.toFixed(1)} ms`, `${eager.toFixed(1)} ms`, (ours / eager).toFixed(3), '< 50 ms'],
  ['extension bundle (minified)', kb(extensionBytes), kb(eagerBytes), (extensionBytes / eagerBytes).toFixed(3), '< 1.5 MB'],
  ['all shipped code (extension + lazy engine/aws)', kb(totalBytes), kb(eagerBytes), (totalBytes / eagerBytes).toFixed(3), ''],
  ['.vsix', vsix === null ? 'vsce failed' : kb(vsix), '', '', ''],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
console.log(`activation goal (< 50 ms): ${ours < 50 ? 'met' : 'missed'}; bundle goal (< 1.5 MB): ${extensionBytes < 1.5 * 1024 * 1024 ? 'met' : 'missed'}`);

// Leave dist/ as `npm run build` makes it (development, with sourcemaps).
execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
