// `npm run demo`: the extension against the local AWS sandbox, in a real VS Code.
//   npm run demo                 code-server (VS Code in the browser) on 127.0.0.1; prints the URL
//   npm run demo -- --desktop    your desktop VS Code (`code` on PATH) with this folder as the
//                                extension under development, in its own user-data dir
//   DEMO_PORT=8080 / SANDBOX_PORT=4577   fixed ports (default: free ones)
//   DEMO_SANDBOX_DIR=dir         the sandbox's data and profile files (default: .sandbox/)
// The sandbox's profile (`cognito-sandbox`, files in .sandbox/) is handed to VS Code through
// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE / AWS_PROFILE; your ~/.aws is not used.
// The browser workbench opens on the Cognito Access view (a demo-only helper extension opens it).
// Ctrl-C stops VS Code (code-server) and the sandbox.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { USERS, userByName } from '../test/sandbox/seedCognito.ts';
import { selfPromote } from '../test/sandbox/selfPromote.ts';
import { startSandbox } from '../test/sandbox/index.ts';
import { buildExtension, REPO_ROOT, startCodeServer } from '../test/vscode/codeServer.ts';

const desktop = process.argv.includes('--desktop');

/** The demo's extensions folder, holding the view opener (the inspector itself is installed next to it by startCodeServer). */
function demoExtensionsDir(dataDir) {
  const dir = join(dataDir, 'demo-extensions');
  const opener = join(dir, 'cognito-access.demo-opener-0.0.1');
  mkdirSync(opener, { recursive: true });
  writeFileSync(join(opener, 'package.json'), JSON.stringify({
    name: 'demo-opener', publisher: 'cognito-access', version: '0.0.1', private: true,
    description: 'npm run demo only: opens the Cognito Access view at start',
    engines: { vscode: '^1.100.0' }, main: './extension.js', activationEvents: ['onStartupFinished'],
  }, null, 2));
  writeFileSync(join(opener, 'extension.js'), "exports.activate = () => require('vscode').commands.executeCommand('workbench.view.extension.cognitoAccess');\n");
  return dir;
}
const port = (name) => (process.env[name] ? Number(process.env[name]) : 0);

const stops = [];
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\ndemo: stopping...');
  for (const stop of stops.reverse()) await stop().catch((error) => console.error(`demo: ${error.message}`));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  buildExtension();
  const sandbox = await startSandbox({ port: port('SANDBOX_PORT'), dataDir: process.env.DEMO_SANDBOX_DIR ?? join(REPO_ROOT, '.sandbox') });
  stops.push(() => sandbox.stop());
  // The writable-claim escalation, live: nogroup (in no group) writes its own custom:role through
  // app client selfservice, as any user could; books-rules-writable's rule then hands it BooksAdmin.
  await selfPromote(sandbox, 'nogroup', userByName('nogroup').password);
  const env = { AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile, AWS_PROFILE: sandbox.profile };
  const lines = [
    `Sandbox ${sandbox.endpoint} (region ${sandbox.region}, user pool ${sandbox.userPoolId}), profile ${sandbox.profile}`,
    `Test users: ${USERS.map((u) => `${u.Username} / ${u.password}`).join(', ')}`,
    'Escalation (MAPPING_RULE_ON_WRITABLE_CLAIM): nogroup, in no group, set its own custom:role to "admin" through app client selfservice (UpdateUserAttributes with its access token).',
    '  See what that gives: Test as User, client selfservice, identity pool books-rules-writable, user nogroup.',
  ];

  if (desktop) {
    const code = spawn('code', [
      '--new-window', '--wait', '--disable-workspace-trust',
      '--user-data-dir', join(sandbox.dataDir, 'vscode-user-data'),
      `--extensionDevelopmentPath=${REPO_ROOT}`,
    ], { env: { ...process.env, ...env }, stdio: 'inherit' });
    stops.push(async () => void code.kill('SIGTERM'));
    code.on('error', (error) => {
      console.error(`demo: cannot start \`code\` (${error.message}); install VS Code's shell command, or run npm run demo without --desktop`);
      void shutdown(1);
    });
    code.on('exit', () => void shutdown(0));
    console.log([...lines, 'Desktop VS Code is starting with the extension under development. Close its window or press Ctrl-C to stop.'].join('\n'));
  } else {
    const server = await startCodeServer({
      installExtension: true,
      // A newcomer should land on the Cognito Access view, not the file Explorer: a one-line helper
      // extension (demo only) opens it once the workbench has started.
      extensionsDir: demoExtensionsDir(sandbox.dataDir),
      port: port('DEMO_PORT'),
      env,
      // The sandbox shows in the sidebar at once; Connect to AWS offers its profile first.
      settings: { 'cognitoAccess.connections': [{ profile: sandbox.profile, region: sandbox.region }], 'cognitoAccess.profiles': [sandbox.profile], 'cognitoAccess.regions': [sandbox.region] },
    });
    stops.push(() => server.stop());
    console.log([...lines, '', `Open VS Code (code-server ${server.port}) in your browser:`, `  ${server.workbenchUrl()}`, '', 'Ctrl-C stops everything.'].join('\n'));
  }
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
