// cognito-local as a child process, seeded by writing its data files before it starts: that is
// the only way to get fixed ids (its CreateUserPool names pools `local_<random>` and clients
// randomly), and it saves a dozen API calls at every start. File shapes follow
// cognito-local 5.3's StormDB stores: `.cognito/config.json`, `.cognito/db/clients.json`,
// `.cognito/db/<UserPoolId>.json` (the pool id is the file name).

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACCOUNT_ID, ADMIN_CREATE_USER_CONFIG, CLIENTS, GROUPS, REGION, SCHEMA_ATTRIBUTES, TOTP_SECRET, TRIGGER_CLIENT, TRIGGER_GROUPS, TRIGGER_LAMBDA_CONFIG, TRIGGER_USERS,
  TRIGGER_USER_POOL_ID, TRIGGER_USER_POOL_NAME, USERS, USER_POOL_ID, USER_POOL_NAME, writeAttributesOf, type SeedGroup, type SeedUser,
} from './seed.ts';

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
  const poolClients: [string, typeof TRIGGER_CLIENT][] = [...Object.values(CLIENTS).map((c): [string, typeof TRIGGER_CLIENT] => [USER_POOL_ID, c]), [TRIGGER_USER_POOL_ID, TRIGGER_CLIENT]];
  for (const [UserPoolId, c] of poolClients) {
    clients[c.ClientId] = {
      ClientId: c.ClientId, ClientName: c.ClientName, ClientSecret: c.ClientSecret, UserPoolId,
      ExplicitAuthFlows: c.ExplicitAuthFlows, CreationDate: EPOCH, LastModifiedDate: EPOCH,
      // DescribeUserPoolClient answers it as stored; the gateway enforces it (writeAttributes.ts).
      ...(writeAttributesOf(c) ? { WriteAttributes: writeAttributesOf(c) } : {}),
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
    };
  }
  writeJson(join(db, 'clients.json'), { Clients: clients });
  writeJson(join(db, `${USER_POOL_ID}.json`), poolFile(USERS, [...GROUPS, ...extraGroups], {
    Id: USER_POOL_ID, Name: USER_POOL_NAME, UsernameAttributes: [],
    // OPTIONAL: users with MFA set up get their challenge, the others sign in with a password alone.
    MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
    // DescribeUserPool answers the stored Options as they are: the schema declares custom:dept.
    SchemaAttributes: SCHEMA_ATTRIBUTES,
    // Self sign-up open: cognito-local's SignUp never checks it; DescribeUserPool answers it as stored.
    AdminCreateUserConfig: ADMIN_CREATE_USER_CONFIG,
  }));
  // books-trigger: LambdaConfig is only data here (cognito-local invokes triggers named in its own
  // config.json, not the pool's), so DescribeUserPool shows the trigger and nothing runs it; the
  // gateway applies what the trigger would return (userPoolTokens.ts).
  writeJson(join(db, `${TRIGGER_USER_POOL_ID}.json`), poolFile(TRIGGER_USERS, TRIGGER_GROUPS, {
    Id: TRIGGER_USER_POOL_ID, Name: TRIGGER_USER_POOL_NAME, UsernameAttributes: [], MfaConfiguration: 'OFF',
    LambdaConfig: TRIGGER_LAMBDA_CONFIG,
  }));
}

/** A pool file: its Options (with Arn and dates), users and groups with their members. */
function poolFile(users: SeedUser[], groupList: SeedGroup[], options: Record<string, unknown> & { Id: string }): Record<string, unknown> {
  const groups: Record<string, unknown> = {};
  for (const g of groupList) {
    groups[g.GroupName] = {
      ...g, CreationDate: EPOCH, LastModifiedDate: EPOCH,
      members: users.filter((u) => u.groups.includes(g.GroupName)).map((u) => u.Username),
    };
  }
  return {
    Options: { ...options, Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${options.Id}`, CreationDate: EPOCH, LastModifiedDate: EPOCH },
    Users: Object.fromEntries(users.map((u) => [u.Username, userRecord(u)])),
    Groups: groups,
  };
}

/**
 * A user as cognito-local 5.3 stores it. Its InitiateAuth (targets/initiateAuth.js) gives
 * NEW_PASSWORD_REQUIRED to UserStatus FORCE_CHANGE_PASSWORD, and, since the pool's
 * MfaConfiguration is OPTIONAL, an MFA challenge to users with UserMFASettingList or SMS
 * MFAOptions: SOFTWARE_TOKEN_MFA needs SoftwareTokenMfaConfiguration {Secret, Verified: true}
 * (checked with otplib, 30 s steps, one step of tolerance); SMS_MFA sends services.otp() to the
 * MFAOptions attribute and saves it as the user's MFACode. PreferredMfaSetting is what its
 * SetUserMFAPreference writes and AdminGetUser returns.
 */
function userRecord(u: SeedUser): Record<string, unknown> {
  const attributes = [{ Name: 'email', Value: u.email }, { Name: 'email_verified', Value: 'true' }, { Name: 'sub', Value: u.sub }];
  if (u.phoneNumber) attributes.push({ Name: 'phone_number', Value: u.phoneNumber }, { Name: 'phone_number_verified', Value: 'true' });
  for (const [Name, Value] of Object.entries(u.attributes ?? {})) attributes.push({ Name, Value });
  const record: Record<string, unknown> = {
    Username: u.Username, Password: u.password, Enabled: true,
    UserStatus: u.challenge === 'NEW_PASSWORD_REQUIRED' ? 'FORCE_CHANGE_PASSWORD' : 'CONFIRMED',
    Attributes: attributes, UserCreateDate: EPOCH, UserLastModifiedDate: EPOCH, RefreshTokens: [],
  };
  if (u.challenge === 'SOFTWARE_TOKEN_MFA') {
    Object.assign(record, {
      SoftwareTokenMfaConfiguration: { Secret: TOTP_SECRET, Verified: true, FriendlyDeviceName: 'sandbox authenticator' },
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
    });
  }
  if (u.challenge === 'SMS_MFA') {
    Object.assign(record, {
      MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }],
      UserMFASettingList: ['SMS_MFA'], PreferredMfaSetting: 'SMS_MFA',
    });
  }
  return record;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2));
}

export interface CognitoLocal { url: string; pid: number; stop(): Promise<void> }

/** Its output without colour codes (it colours some despite NO_COLOR). */
// eslint-disable-next-line no-control-regex
const plain = (chunk: Buffer): string => chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');

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
      const text = plain(chunk);
      for (const line of text.split('\n').filter((l) => l.trim())) log(`[cognito-local] ${line.trim()}`);
      seen += text;
      const m = /Cognito Local running on (http:\/\/[\d.]+:\d+)/.exec(seen);
      if (m) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (c: Buffer) => log(`[cognito-local] ${plain(c).trim()}`));
        resolve({ url: m[1], pid: child.pid ?? -1, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => { seen += c.toString(); log(`[cognito-local] ${c.toString().trim()}`); });
    child.once('exit', (code) => reject(new Error(`cognito-local exited (${code}) before it was ready: ${seen.slice(-400)}`)));
    child.once('error', reject);
  });
}
