// Bundles the extension-host suite to plain CommonJS (the extension host loads JavaScript):
// test/vscode/index.ts -> out/test/vscode/index.js, suite/*.test.ts -> out/test/vscode/suite/.
// `vscode` comes from the host and mocha from node_modules at run time.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from './codeServer.ts';

export const SUITE_OUT = join(REPO_ROOT, 'out/test/vscode');
export const SUITE_INDEX = join(SUITE_OUT, 'index.js');

export async function buildSuite(): Promise<string> {
  const source = join(REPO_ROOT, 'test/vscode');
  const tests = readdirSync(join(source, 'suite')).filter((f) => f.endsWith('.test.ts')).map((f) => join(source, 'suite', f));
  rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(source, 'index.ts'), ...tests],
    outbase: source,
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return SUITE_INDEX;
}
