// `npm run test:desktop`: the same extension-host suite in desktop VS Code (Electron) through
// @vscode/test-electron, for machines with internet (it downloads VS Code into .vscode-test/).
// Without internet use `npm run test:vscode` (code-server). On Linux without a display, run it
// under xvfb-run.
//   VSCODE_VERSION=1.100.3          VS Code to download (default: stable)
//   VSCODE_EXECUTABLE=/path/to/code an installed VS Code instead of a download
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './buildSuite.ts';
import { buildExtension, REPO_ROOT } from './codeServer.ts';

const results = join(REPO_ROOT, '.vscode-test/results/desktop-suite.json');
buildExtension();
const extensionTestsPath = await buildSuite();
rmSync(results, { force: true });
const temp = mkdtempSync(join(tmpdir(), 'cognito-access-desktop-'));
let failed = true;
try {
  const code = await runTests({
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath,
    extensionTestsEnv: { COGNITO_VSCODE_TEST_RESULTS: results },
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
    launchArgs: [
      join(temp, 'workspace'),
      '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', join(temp, 'user-data'), '--extensions-dir', join(temp, 'extensions'),
    ],
  });
  failed = code !== 0;
} catch (error) {
  console.error(`test:desktop: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
try {
  const { stats } = JSON.parse(readFileSync(results, 'utf8'));
  console.log(`test:desktop: ${stats.passes} passed, ${stats.failures} failed`);
  if (stats.failures > 0 || stats.passes === 0) failed = true;
} catch {
  console.error(`test:desktop: no results at ${results}`);
  failed = true;
}
process.exitCode = failed ? 1 : 0;
