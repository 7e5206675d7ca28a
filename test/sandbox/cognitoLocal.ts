// cognito-local as a child process, seeded by writing its data files before it starts: that is
// the only way to get fixed ids (its CreateUserPool names pools `local_<random>` and clients
// randomly), and it saves a dozen API calls at every start. File shapes follow
// cognito-local 5.3's StormDB stores: `.cognito/config.json`, `.cognito/db/clients.json`,
// `.cognito/db/<UserPoolId>.json` (the pool id is the file name).

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENTS, GROUPS, REGION, USERS, USER_POOL_ID, USER_POOL_NAME, type SeedGroup } from './seed.ts';

const EPOCH = '2026-01-01T00:00:00.000Z';

/** `extraGroups`: more groups (no members) after the scenario's, e.g. the bench's. */
export function writeCognitoLocalData(dir: string, extraGroups: SeedGroup[] = []): void {
  const db = join(dir, '.cognito', 'db');
  mkdirSync(db, { recursive: true });
  // A real-looking issuer, so the identity handler can check iss against the Logins key exactly
  // as Cognito does. The JWKS is served at the gateway under /<pool>/.well-known/jwks.json.
  writeJson(join(dir, '.cognito', 'config.json'), {
    TokenConfig: { IssuerDomain: `https://cognito-idp.${REGION}.amazonaws.com` },
    UserPoolDefaults: { UsernameAttributes: [] },
  });
  const clients: Record<string, unknown> = {};
  for (const c of Object.values(CLIENTS)) {
    clients[c.ClientId] = {
      ClientId: c.ClientId, ClientName: c.ClientName, ClientSecret: c.ClientSecret, UserPoolId: USER_POOL_ID,
      ExplicitAuthFlows: c.ExplicitAuthFlows, CreationDate: EPOCH, LastModifiedDate: EPOCH,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
    };
  }
  writeJson(join(db, 'clients.json'), { Clients: clients });
  const users: Record<string, unknown> = {};
  for (const u of USERS) {
    users[u.Username] = {
      Username: u.Username, Password: u.password, Enabled: true, UserStatus: 'CONFIRMED',
      Attributes: [{ Name: 'email', Value: u.email }, { Name: 'email_verified', Value: 'true' }, { Name: 'sub', Value: u.sub }],
      UserCreateDate: EPOCH, UserLastModifiedDate: EPOCH, RefreshTokens: [],
    };
  }
  const groups: Record<string, unknown> = {};
  for (const g of [...GROUPS, ...extraGroups]) {
    groups[g.GroupName] = {
      ...g, CreationDate: EPOCH, LastModifiedDate: EPOCH,
      members: USERS.filter((u) => u.groups.includes(g.GroupName)).map((u) => u.Username),
    };
  }
  writeJson(join(db, `${USER_POOL_ID}.json`), {
    Options: {
      Id: USER_POOL_ID, Name: USER_POOL_NAME, UsernameAttributes: [], MfaConfiguration: 'OFF',
      Arn: `arn:aws:cognito-idp:${REGION}:123456789012:userpool/${USER_POOL_ID}`, CreationDate: EPOCH, LastModifiedDate: EPOCH,
    },
    Users: users,
    Groups: groups,
  });
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2));
}

export interface CognitoLocal { url: string; pid: number; stop(): Promise<void> }

/** Starts cognito-local on 127.0.0.1 and a free port; resolves once it says where it listens. */
export function startCognitoLocal(dir: string, log: (line: string) => void): Promise<CognitoLocal> {
  const child = spawn(process.execPath, ['--require', join(__dirname, 'exitWithParent.cjs'), require.resolve('cognito-local/lib/bin/start.js')], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', DEBUG: '', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
    // The IPC channel is only a lifeline: it closes when this process dies, however it dies.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.channel?.unref();
  // If this process exits without stop(), the child must not outlive it.
  const killOnExit = (): void => { child.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      // eslint-disable-next-line no-control-regex
      const text = chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
      for (const line of text.split('\n').filter((l) => l.trim())) log(`[cognito-local] ${line.trim()}`);
      seen += text;
      const m = /Cognito Local running on (http:\/\/[\d.]+:\d+)/.exec(seen);
      if (m) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (c: Buffer) => log(`[cognito-local] ${c.toString().trim()}`));
        resolve({ url: m[1], pid: child.pid ?? -1, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => { seen += c.toString(); log(`[cognito-local] ${c.toString().trim()}`); });
    child.once('exit', (code) => reject(new Error(`cognito-local exited (${code}) before it was ready: ${seen.slice(-400)}`)));
    child.once('error', reject);
  });
}
