// `npm run test:vscode`: the extension-host suite inside a real VS Code (code-server 1.100.3,
// driven by headless Chromium). Builds the extension and the suite, starts code-server on a free
// loopback port with throwaway user data and extensions, opens the workbench with the test
// payload, waits for the results file and the extension host's exit, prints the results and
// stops everything. Exit code 0 only when every test passed.
//   COGNITO_VSCODE_TEST_GREP=pattern   run only matching tests
//   COGNITO_VSCODE_TEST_TIMEOUT=ms     overall timeout (default 180000)
//   VERBOSE=1                          print code-server's output and the browser console
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSuite } from './buildSuite.ts';
import { buildExtension, launchChromium, REPO_ROOT, startCodeServer, stopAllOnSignals, type CodeServer } from './codeServer.ts';
import type { SuiteResults } from './index.ts';

const RESULTS = join(REPO_ROOT, '.vscode-test/results/vscode-suite.json');
const LOG = join(REPO_ROOT, '.vscode-test/results/vscode-suite.log');
const verbose = process.env.VERBOSE === '1';
const timeoutMs = Number(process.env.COGNITO_VSCODE_TEST_TIMEOUT ?? 180_000);

export interface SuiteRunOptions {
  /** More environment for the extension host (e.g. a sandbox's AWS_PROFILE and files). */
  env?: Record<string, string>;
  /** Checks after the suite, while code-server's user data still exists; returns problems. */
  afterRun?: (server: CodeServer) => Promise<string[]>;
  /** Names the run in the output, e.g. "test:vscode (sandbox)". */
  label?: string;
}

export async function main(options: SuiteRunOptions = {}): Promise<number> {
  stopAllOnSignals();
  const started = Date.now();
  buildExtension();
  const suiteIndex = await buildSuite();
  rmSync(RESULTS, { force: true });
  mkdirSync(dirname(RESULTS), { recursive: true });

  let server: CodeServer | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const browserLog: string[] = [];
  let exitCode: number | undefined;
  const label = options.label ?? 'test:vscode';
  const problems: string[] = [];
  try {
    server = await startCodeServer({ env: { ...options.env, COGNITO_VSCODE_TEST_RESULTS: RESULTS }, verbose });
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (message) => {
      browserLog.push(message.text());
      if (verbose) console.error(`[browser] ${message.text()}`);
    });
    const url = server.workbenchUrl([
      ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
      ['extensionTestsPath', server.remoteUri(suiteIndex)],
    ]);
    await page.goto(url);
    const [, code] = await server.waitForOutput(/Extension Host Process exited with code: (\d+)/, timeoutMs);
    exitCode = Number(code);
    if (options.afterRun) problems.push(...(await options.afterRun(server)));
  } catch (error) {
    problems.push((error as Error).message);
  } finally {
    await browser?.close().catch(() => undefined);
    const output = server?.output() ?? '';
    await server?.stop();
    writeFileSync(LOG, `${output}\n--- browser console ---\n${browserLog.join('\n')}\n`);
  }

  if (!existsSync(RESULTS)) {
    console.error(`${label}: no results at ${RESULTS}; server and browser log in ${LOG}\n${problems.join('\n')}`);
    return 1;
  }
  const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as SuiteResults;
  console.log(`VS Code ${results.vscodeVersion} (code-server), extension-host suite (${label}):`);
  for (const t of results.tests) {
    const mark = t.state === 'passed' ? 'ok  ' : t.state === 'pending' ? 'skip' : 'FAIL';
    console.log(`  ${mark} ${t.title}${t.durationMs === undefined ? '' : ` (${t.durationMs} ms)`}`);
    if (t.error) console.log(`       ${(t.error.stack ?? t.error.message).split('\n').join('\n       ')}`);
  }
  for (const p of problems) console.log(`  FAIL ${p}`);
  const { passes, failures, pending } = results.stats;
  console.log(`${label}: ${passes} passed, ${failures + problems.length} failed${pending ? `, ${pending} skipped` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (exitCode === undefined) console.error(`${label}: the extension host did not report its exit`);
  else if (exitCode !== 0 && failures === 0) console.error(`${label}: the extension host exited with code ${exitCode}`);
  return failures === 0 && problems.length === 0 && passes > 0 && exitCode === 0 ? 0 : 1;
}
