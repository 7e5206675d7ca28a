// Entry of the extension-host suite: VS Code (code-server here, @vscode/test-electron on machines
// with internet) loads the bundle of this file (out/test/vscode/index.js) as extensionTestsPath
// and calls run(). It runs mocha over out/test/vscode/suite/*.test.js and writes the results as
// JSON to $COGNITO_VSCODE_TEST_RESULTS, default .vscode-test/results/vscode-suite.json, because a
// browser-hosted workbench has no stdout for the runner to read.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface SuiteResults {
  vscodeVersion: string;
  stats: { tests: number; passes: number; failures: number; pending: number; durationMs: number };
  tests: TestResult[];
}

const repoRoot = resolve(__dirname, '../../..');
export const resultsPath = (): string =>
  process.env.COGNITO_VSCODE_TEST_RESULTS ?? join(repoRoot, '.vscode-test/results/vscode-suite.json');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  if (process.env.COGNITO_VSCODE_TEST_GREP) mocha.grep(process.env.COGNITO_VSCODE_TEST_GREP);
  const suiteDir = join(__dirname, 'suite');
  for (const file of readdirSync(suiteDir).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(join(suiteDir, file));
  }
  const started = Date.now();
  const tests: TestResult[] = [];
  return new Promise((resolvePromise, reject) => {
    const write = (failures: number, fatal?: unknown): void => {
      if (fatal) tests.push({ title: 'suite setup', state: 'failed', error: describeError(fatal) });
      const results: SuiteResults = {
        vscodeVersion: vscode.version,
        stats: {
          tests: tests.length,
          passes: tests.filter((t) => t.state === 'passed').length,
          failures: tests.filter((t) => t.state === 'failed').length,
          pending: tests.filter((t) => t.state === 'pending').length,
          durationMs: Date.now() - started,
        },
        tests,
      };
      mkdirSync(dirname(resultsPath()), { recursive: true });
      writeFileSync(resultsPath(), JSON.stringify(results, null, 2));
      if (failures > 0 || fatal) reject(new Error(`${results.stats.failures} of ${results.stats.tests} extension-host tests failed`));
      else resolvePromise();
    };
    try {
      const runner = mocha.run((failures) => write(failures));
      runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
      runner.on('fail', (test, error) => tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: describeError(error) }));
      runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending' }));
    } catch (error) {
      write(1, error);
    }
  });
}

function describeError(error: unknown): { message: string; stack?: string } {
  return error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
}
