// `npm run sandbox`: starts the sandbox for people (demos, manual runs of the extension or the
// CLI) with its data in ./.sandbox, prints what to paste into a shell, and stops every child
// on Ctrl-C or SIGTERM. Port: --port N, or SANDBOX_PORT, default 4577. --data-dir DIR instead of
// ./.sandbox; --verbose logs every request.

import { resolve } from 'node:path';
import { PortInUseError, startSandbox } from './index.ts';
import { USERS } from './seed.ts';

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

function parsePort(): number {
  const raw = flag('--port') ?? process.env.SANDBOX_PORT;
  const port = raw === undefined ? 4577 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`sandbox: not a port: ${raw}`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const started = Date.now();
  const verbose = process.argv.includes('--verbose');
  // Signal handlers first: a Ctrl-C while the children start must still stop them.
  const starting = startSandbox({
    port: parsePort(),
    dataDir: resolve(flag('--data-dir') ?? '.sandbox'),
    log: (line) => {
      // Always show why Cognito derived or refused roles; the rest only with --verbose.
      if (verbose || line.startsWith('[cognito-identity]')) console.log(line);
    },
  });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\nsandbox: ${signal}, stopping...`);
    starting.then((s) => s.stop()).then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  let s;
  try {
    s = await starting;
  } catch (e) {
    // A clear line, no stack: a busy port is the usual cause.
    console.error(`sandbox: ${e instanceof PortInUseError || e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  if (stopping) return;
  const lines = [
    `Cognito sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s (127.0.0.1 only; Ctrl-C stops it)`,
    `  endpoint        ${s.endpoint}   (cognito-idp, cognito-identity, dynamodb, iam, sts)`,
    `  region          ${s.region}`,
    `  account         ${s.accountId}`,
    `  user pool       ${s.userPoolId}   clients: web ${s.clients.web}, backend ${s.clients.backend}`,
    ...Object.entries(s.identityPools).map(([name, id]) => `  identity pool   ${name.padEnd(13)} ${id}`),
    `  admin keys      ${s.adminCredentials.accessKeyId} (profile ${s.profile})`,
    `  cognito-local   pid ${s.cognitoLocalPid} (data in ${s.dataDir})`,
    '',
    'Use it from a shell (the SDKs and the AWS CLI find the endpoint through endpoint_url):',
    ...s.envLines.map((l) => `  ${l}`),
    '',
    'Test users (sandbox-only passwords):',
    ...USERS.map((u) => `  ${u.Username.padEnd(10)} ${u.password.padEnd(22)} groups: ${u.groups.join(', ') || '(none)'}`),
  ];
  console.log(lines.join('\n'));
}

void main();
