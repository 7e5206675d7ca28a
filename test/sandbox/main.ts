// `npm run sandbox`: starts the sandbox for people (demos, manual runs of the extension or the
// CLI) with its data in ./.sandbox, prints what to paste into a shell, and stops every child
// on Ctrl-C or SIGTERM. Port: --port N, or SANDBOX_PORT, default 4577. --data-dir DIR instead of
// ./.sandbox; --verbose logs every request.
// For programs (benchmarks, tests that want the sandbox in another process):
//   --json                 one line of JSON on stdout once ready ({ endpoint, region, accountId,
//                          userPoolId, clients, identityPools, adminCredentials, profile files,
//                          pid }); data in a fresh temp dir unless --data-dir; logs to stderr.
//   --extra-groups N, --extra-roles N   bench-sized seed (seedExtra.ts); --bench = 1000 and 200
//   --latency-ms N         delay every call by N ms (FaultOptions.latencyMs)
//   --fault service:Operation=MODE   (repeatable) a fault mode: deny, html500, hang or throttle
//                          (FaultOptions.faults; `service:*` for every operation of a service)
// The process stops on SIGINT/SIGTERM, and when its parent's IPC channel (if any) closes.

import { resolve } from 'node:path';
import { FAULT_MODES, type FaultMap, type FaultMode } from './faults.ts';
import { PortInUseError, startSandbox } from './index.ts';
import { TOTP_SECRET, TRIGGER_USERS, USERS, type SeedUser } from './seed.ts';
import { BENCH_SEED, type ExtraSeed } from './seedExtra.ts';

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

function count(name: string): number | undefined {
  const raw = flag(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`sandbox: ${name} wants a whole number >= 0, not ${raw}`);
    process.exit(2);
  }
  return n;
}

/** Every `--fault service:Operation=MODE`. */
function faultFlags(): FaultMap {
  const faults: FaultMap = {};
  process.argv.forEach((arg, i) => {
    if (arg !== '--fault') return;
    const raw = process.argv[i + 1] ?? '';
    const m = /^([a-z-]+:(?:\*|[A-Za-z0-9]+))=(\w+)$/.exec(raw);
    if (!m || !FAULT_MODES.includes(m[2] as FaultMode)) {
      console.error(`sandbox: --fault wants service:Operation=MODE (MODE one of ${FAULT_MODES.join(', ')}), not ${raw}`);
      process.exit(2);
    }
    faults[m[1]!] = m[2] as FaultMode;
  });
  return faults;
}

function challengeNote(u: SeedUser): string {
  switch (u.challenge) {
    case 'NEW_PASSWORD_REQUIRED': return ' challenge: NEW_PASSWORD_REQUIRED (temporary password)';
    case 'SOFTWARE_TOKEN_MFA': return ` challenge: SOFTWARE_TOKEN_MFA (TOTP secret ${TOTP_SECRET})`;
    case 'SMS_MFA': return ` challenge: SMS_MFA to ${u.phoneNumber} (the code is printed here when sent)`;
    default: return '';
  }
}

function attributeNote(u: SeedUser): string {
  const attrs = Object.entries(u.attributes ?? {});
  return attrs.length ? ` ${attrs.map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
}

async function main(): Promise<void> {
  const started = Date.now();
  const verbose = process.argv.includes('--verbose');
  const json = process.argv.includes('--json');
  const seed: ExtraSeed = process.argv.includes('--bench') ? { ...BENCH_SEED } : {};
  const groups = count('--extra-groups');
  const roles = count('--extra-roles');
  if (groups !== undefined) seed.extraGroups = groups;
  if (roles !== undefined) seed.extraRoles = roles;
  const latencyMs = count('--latency-ms');
  const faults = faultFlags();
  const dataDir = flag('--data-dir') ?? (json ? undefined : '.sandbox');
  // Signal handlers first: a Ctrl-C while the children start must still stop them.
  const starting = startSandbox({
    port: parsePort(),
    ...(dataDir !== undefined ? { dataDir: resolve(dataDir) } : {}),
    seed,
    ...(latencyMs ? { latencyMs } : {}),
    faults,
    log: (line) => {
      // Always show why Cognito derived or refused roles, and the SMS codes cognito-local "sends"
      // (smsuser's SMS_MFA); the rest only with --verbose.
      const always = line.startsWith('[cognito-identity]') || line.includes('Confirmation Code Delivery');
      if (verbose || (!json && always)) (json ? console.error : console.log)(line);
    },
  });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    (json ? console.error : console.log)(`\nsandbox: ${signal}, stopping...`);
    starting.then((s) => s.stop()).then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Started by a program with an IPC channel: go when it goes.
  process.on('disconnect', () => shutdown('parent gone'));

  let s;
  try {
    s = await starting;
  } catch (e) {
    // A clear line, no stack: a busy port is the usual cause.
    console.error(`sandbox: ${e instanceof PortInUseError || e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  if (stopping) return;
  if (json) {
    const { stop: _stop, ...info } = s;
    process.stdout.write(`${JSON.stringify({ ...info, pid: process.pid, seed, latencyMs: latencyMs ?? 0, faults, readyMs: Date.now() - started })}\n`);
    return;
  }
  const lines = [
    `Cognito sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s (127.0.0.1 only; Ctrl-C stops it)`,
    `  endpoint        ${s.endpoint}   (cognito-idp, cognito-identity, dynamodb, iam, sts)`,
    `  region          ${s.region}`,
    `  account         ${s.accountId}`,
    `  user pool       ${s.userPoolId}   clients: web ${s.clients.web}, backend ${s.clients.backend}, mobile ${s.clients.mobile}`,
    `  user pool       ${s.triggerPool.userPoolId} (books-trigger, pre token generation trigger V2_0)   client: ${s.triggerPool.clientId}`,
    `  OIDC provider   ${s.oidc.issuer} (Logins key ${s.oidc.providerName}, audience ${s.oidc.clientId}; discovery ${s.oidc.discoveryUrl})`,
    ...Object.entries(s.identityPools).map(([name, id]) => `  identity pool   ${name.padEnd(17)} ${id}`),
    `  admin keys      ${s.adminCredentials.accessKeyId} (profile ${s.profile})`,
    `  read-only keys  ${s.readonlyCredentials.accessKeyId} (profile ${s.readonlyProfile}: the scanner's least-privilege policy only)`,
    ...(Object.keys(faults).length ? [`  faults          ${Object.entries(faults).map(([k, m]) => `${k}=${m}`).join(', ')}`] : []),
    `  cognito-local   pid ${s.cognitoLocalPid} (data in ${s.dataDir})`,
    `  client secrets  backend ${s.backendClientSecret}, mobile ${s.mobileClientSecret} (SECRET_HASH checked)`,
    '',
    'Use it from a shell (the SDKs and the AWS CLI find the endpoint through endpoint_url):',
    ...s.envLines.map((l) => `  ${l}`),
    '',
    `  client secrets  backend ${s.backendClientSecret}, mobile ${s.mobileClientSecret} (SECRET_HASH checked)`,
    '',
    'Test users (sandbox-only passwords):',
    ...USERS.map((u) => `  ${u.Username.padEnd(10)} ${u.password.padEnd(24)} groups: ${(u.groups.join(', ') || '(none)').padEnd(20)}${challengeNote(u)}${attributeNote(u)}`.trimEnd()),
    `  in books-trigger (${s.triggerPool.userPoolId}):`,
    ...TRIGGER_USERS.map((u) => `  ${u.Username.padEnd(13)} ${u.password.padEnd(24)} groups: ${u.groups.join(', ')}`),
    '',
    'An OIDC token of login.sandbox.test for identity pool books-oidc (Logins key login.sandbox.test):',
    `  node --import tsx test/sandbox/mintOidcToken.ts --sub alice --claim dept=books --data-dir ${s.dataDir}`,
  ];
  console.log(lines.join('\n'));
}

void main();
