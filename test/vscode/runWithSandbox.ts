// The extension-host suite with the local AWS sandbox behind it (Test as user and the live probe
// need one): starts the sandbox, gives code-server's extension host AWS_CONFIG_FILE,
// AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE=cognito-sandbox (plus COGNITO_SANDBOX with the ids),
// runs the suite, then checks that the sandbox's tables are unchanged and that no password, token
// or secret key was written to the code-server user data (logs, settings.json, state.vscdb).
// Beside test/vscode/runSuite.ts (which starts no sandbox), reusing its helpers.
//   node --import tsx test/vscode/runWithSandbox.mjs      (COGNITO_VSCODE_TEST_GREP, VERBOSE as there)
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import { TABLES } from '../sandbox/seed.ts';
import { tableDump } from '../sandbox/testFlow.ts';
import { buildSuite } from './buildSuite.ts';
import { buildExtension, launchChromium, REPO_ROOT, startCodeServer, stopAllOnSignals, type CodeServer } from './codeServer.ts';
import type { SuiteResults } from './index.ts';
import { findSecrets, sandboxSecrets } from './secretScan.ts';

const RESULTS = join(REPO_ROOT, '.vscode-test/results/vscode-sandbox-suite.json');
const LOG = join(REPO_ROOT, '.vscode-test/results/vscode-sandbox-suite.log');
const verbose = process.env.VERBOSE === '1';
const timeoutMs = Number(process.env.COGNITO_VSCODE_TEST_TIMEOUT ?? 300_000);

async function dumpAll(sandbox: Awaited<ReturnType<typeof startSandbox>>): Promise<string> {
  const parts: string[] = [];
  for (const t of TABLES) parts.push(`${t.TableName}\n${await tableDump(sandbox, t.TableName)}`);
  return parts.join('\n\n');
}

export async function main(): Promise<number> {
  stopAllOnSignals();
  const started = Date.now();
  buildExtension();
  const suiteIndex = await buildSuite();
  rmSync(RESULTS, { force: true });
  mkdirSync(dirname(RESULTS), { recursive: true });

  const sandbox = await startSandbox();
  const problems: string[] = [];
  let server: CodeServer | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const browserLog: string[] = [];
  let exitCode: number | undefined;
  try {
    const before = await dumpAll(sandbox);
    server = await startCodeServer({
      verbose,
      env: {
        COGNITO_VSCODE_TEST_RESULTS: RESULTS,
        AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile, AWS_PROFILE: sandbox.profile,
        COGNITO_SANDBOX: JSON.stringify({ endpoint: sandbox.endpoint, region: sandbox.region, userPoolId: sandbox.userPoolId, clients: sandbox.clients, identityPools: sandbox.identityPools, profile: sandbox.profile }),
      },
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (message) => {
      browserLog.push(message.text());
      if (verbose) console.error(`[browser] ${message.text()}`);
    });
    await page.goto(server.workbenchUrl([
      ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
      ['extensionTestsPath', server.remoteUri(suiteIndex)],
    ]));
    const [, code] = await server.waitForOutput(/Extension Host Process exited with code: (\d+)/, timeoutMs);
    exitCode = Number(code);
    // Before the user data goes away with the server: nothing secret may have been written there.
    for (const hit of findSecrets([server.userDataDir], sandboxSecrets(sandbox))) problems.push(`secret in code-server user data: ${hit}`);
    if ((await dumpAll(sandbox)) !== before) problems.push('the sandbox tables changed during the suite (a probe must never change data)');
  } catch (error) {
    problems.push((error as Error).message);
  } finally {
    await browser?.close().catch(() => undefined);
    const output = server?.output() ?? '';
    await server?.stop();
    await sandbox.stop();
    writeFileSync(LOG, `${output}\n--- browser console ---\n${browserLog.join('\n')}\n`);
  }

  if (!existsSync(RESULTS)) {
    console.error(`test:vscode (sandbox): no results at ${RESULTS}; log in ${LOG}\n${problems.join('\n')}`);
    return 1;
  }
  const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as SuiteResults;
  console.log(`VS Code ${results.vscodeVersion} (code-server) with the sandbox, extension-host suite:`);
  for (const t of results.tests) {
    console.log(`  ${t.state === 'passed' ? 'ok  ' : t.state === 'pending' ? 'skip' : 'FAIL'} ${t.title}${t.durationMs === undefined ? '' : ` (${t.durationMs} ms)`}`);
    if (t.error) console.log(`       ${(t.error.stack ?? t.error.message).split('\n').join('\n       ')}`);
  }
  for (const p of problems) console.log(`  FAIL ${p}`);
  const { passes, failures, pending } = results.stats;
  console.log(`test:vscode (sandbox): ${passes} passed, ${failures + problems.length} failed${pending ? `, ${pending} skipped` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return failures === 0 && problems.length === 0 && passes > 0 && exitCode === 0 ? 0 : 1;
}
