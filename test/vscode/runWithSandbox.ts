// The extension-host suite with the local AWS sandbox behind it (Test as user, the live probe and
// the sandbox connection need one): starts the sandbox, gives code-server's extension host
// AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE=cognito-sandbox (plus
// COGNITO_SANDBOX with the ids), runs the suite through runSuite.ts, then checks that the
// sandbox's tables are unchanged and that no password, token or secret key was written to the
// code-server user data (logs, settings.json, state.vscdb).
//   node --import tsx test/vscode/runWithSandbox.mjs      (COGNITO_VSCODE_TEST_GREP, VERBOSE as runSuite.ts)
import { startSandbox } from '../sandbox/index.ts';
import { TABLES } from '../sandbox/seed.ts';
import { tableDump } from '../sandbox/testFlow.ts';
import { main as runSuite } from './runSuite.ts';
import { findSecrets, sandboxSecrets } from './secretScan.ts';

async function dumpAll(sandbox: Awaited<ReturnType<typeof startSandbox>>): Promise<string> {
  const parts: string[] = [];
  for (const t of TABLES) parts.push(`${t.TableName}\n${await tableDump(sandbox, t.TableName)}`);
  return parts.join('\n\n');
}

export async function main(): Promise<number> {
  const sandbox = await startSandbox();
  // An ID token of the sandbox's OIDC provider (login.sandbox.test) for Test as user through books-oidc;
  // like every secret of the sandbox, it must not reach the user data.
  const oidcToken = sandbox.mintOidcToken({ sub: 'alice', claims: { dept: 'books', email: 'alice@login.sandbox.test' } });
  try {
    const before = await dumpAll(sandbox);
    return await runSuite({
      label: 'test:vscode (sandbox)',
      env: {
        AWS_CONFIG_FILE: sandbox.configFile,
        AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile,
        AWS_PROFILE: sandbox.profile,
        COGNITO_SANDBOX: JSON.stringify({
          endpoint: sandbox.endpoint, region: sandbox.region, userPoolId: sandbox.userPoolId, clients: sandbox.clients, identityPools: sandbox.identityPools, profile: sandbox.profile,
          triggerPool: sandbox.triggerPool, oidc: sandbox.oidc, oidcToken,
        }),
      },
      afterRun: async (server) => {
        const problems = findSecrets([server.userDataDir], sandboxSecrets(sandbox, [oidcToken])).map((hit) => `secret in code-server user data: ${hit}`);
        if ((await dumpAll(sandbox)) !== before) problems.push('the sandbox tables changed during the suite (a probe must never change data)');
        return problems;
      },
    });
  } finally {
    await sandbox.stop();
  }
}
