// startSandbox(): the local stand-in for the five AWS services the extension talks to, seeded
// with the scenario of seed.ts, on 127.0.0.1 only. Tests start one per suite on free ports;
// `npm run sandbox` (main.ts) starts one for people. Beyond the article: a second user pool with
// an emulated token trigger, principal tags, an OIDC provider of its own and the basic flow.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { READONLY_ACTIONS } from './access.ts';
import { readSmsCode, setTemporaryPassword } from './challenges.ts';
import { startCognitoLocal, writeCognitoLocalData, type CognitoLocal } from './cognitoLocal.ts';
import { CredentialStore } from './credentials.ts';
import { DynamoFront, callDynalite } from './dynamodbFront.ts';
import { Faults, type FaultMap, type FaultOptions } from './faults.ts';
import { createGateway } from './gateway.ts';
import { IamService, type UnreadableRole } from './iam.ts';
import { extraGroups, extraRoles, type ExtraSeed } from './seedExtra.ts';
import { IamStore } from './iamStore.ts';
import { IdentityService } from './identity.ts';
import { mintOidcToken, type OidcTokenRequest } from './mintOidcToken.ts';
import { KEYS_FILE, jwksOf, keysForDataDir, type Jwks } from './sandboxKeys.ts';
import {
  ACCOUNT_ID, ADMIN_CREDENTIALS, CLIENTS, IDENTITY_POOL_IDS, writeAttributesOf, MANAGED_POLICIES, OIDC_CLIENT_ID, OIDC_HOST, OIDC_ISSUER, OIDC_PROVIDER_ARN,
  READONLY_CREDENTIALS, REGION, ROLES, TABLES, TRIGGER_CLIENT, TRIGGER_LAMBDA_ARN, TRIGGER_PROVIDER_NAME, TRIGGER_USER_POOL_ID, USER_POOL_ID,
} from './seed.ts';
import { UserPoolTokens, type TokenOverride } from './userPoolTokens.ts';
import { WebIdentitySts } from './webIdentity.ts';

export { READONLY_ACTIONS } from './access.ts';
export type { FaultMap, FaultMode } from './faults.ts';
export type { OidcTokenRequest } from './mintOidcToken.ts';
export type { TokenOverride } from './userPoolTokens.ts';

export interface SandboxOptions extends FaultOptions {
  /** Gateway port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Where cognito-local's data and the profile files go; default a fresh temp dir, removed by stop(). */
  dataDir?: string;
  /** Receives the sandbox's log lines; default: none. */
  log?: (line: string) => void;
  /** Roles whose IAM reads answer AccessDenied to a caller (default caller: the admin keys). */
  unreadableRoles?: UnreadableRole[];
  /** Lifetime of credentials GetCredentialsForIdentity issues, in seconds (default 3600, as Cognito). */
  credentialTtlSeconds?: number;
  /** Bench-sized additions to the scenario (seedExtra.ts), e.g. `{ extraGroups: 1000, extraRoles: 200 }`. */
  seed?: ExtraSeed;
  /** The actions the read-only user (profile `cognito-sandbox-readonly`) is allowed; default READONLY_ACTIONS. */
  readonlyActions?: readonly string[];
  /** What the pre token generation trigger returns from the start, per user pool (only books-trigger has one). */
  tokenOverrides?: Record<string, TokenOverride>;
}

/** An issued session as STS keeps it (no secrets): for tests that look at what credentials carry. */
export interface SessionInfo {
  arn: string;
  roleArn: string;
  identityId: string;
  identityPoolId: string;
  amr: string[];
  /** Session tags (principal tags); {} when none. */
  tags: Record<string, string>;
  guestSessionPolicy: boolean;
  expiration: Date;
}

export interface Sandbox {
  endpoint: string;
  region: string;
  accountId: string;
  userPoolId: string;
  clients: { web: string; backend: string; mobile: string; selfservice: string };
  /** Sandbox-only secret of the `backend` client. */
  backendClientSecret: string;
  /** Sandbox-only secret of the `mobile` client (USER_PASSWORD_AUTH with SECRET_HASH, trusted by pool `books`). */
  mobileClientSecret: string;
  identityPools: typeof IDENTITY_POOL_IDS;
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  /** Keys of the read-only IAM user (arn:aws:iam::<account>:user/inspector-readonly), allowed READONLY_ACTIONS only. */
  readonlyCredentials: { accessKeyId: string; secretAccessKey: string };
  configFile: string;
  credentialsFile: string;
  profile: string;
  /** `cognito-sandbox-readonly`: the read-only keys, in the same config and credentials files. */
  readonlyProfile: string;
  /** `export AWS_CONFIG_FILE=...` etc., ready to print. */
  envLines: string[];
  dataDir: string;
  cognitoLocalPid: number;
  /** cognito-local itself, behind the gateway (tokens it signs lack role claims; tests use it to get such a token). */
  cognitoLocalUrl: string;
  /** The SMS_MFA code cognito-local last sent to a user and has not yet accepted (read from its pool file; challenges.ts). */
  smsCode(username: string): Promise<string>;
  /** Puts a user back into FORCE_CHANGE_PASSWORD with its seed password (AdminSetUserPassword, Permanent false). */
  requireNewPassword(username: string): Promise<void>;
  /** Replaces every fault mode (`{}` clears them): `service:Operation` or `service:*` -> deny | html500 | hang | throttle. */
  setFaults(faults: FaultMap): void;
  /** Requests that reached the gateway per `service:Operation` (whatever their answer), since start or resetCalls(). */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** Replaces the read-only user's allowed actions (IAM Action patterns; `*` and `?` work). */
  setReadonlyActions(actions: readonly string[]): void;
  /** The second user pool, books-trigger (pre token generation trigger V2_0, emulated by setTokenOverride). */
  triggerPool: { userPoolId: string; clientId: string; providerName: string; lambdaArn: string };
  /** The sandbox's OIDC provider: `iss` https://login.sandbox.test, Logins key `login.sandbox.test`. */
  oidc: { issuer: string; providerName: string; providerArn: string; clientId: string; discoveryUrl: string; jwksUrl: string };
  /** `<dataDir>/sandbox-keys.json`: the signing keys this sandbox uses (the seed's, unless the file held others). */
  keysFile: string;
  /** What the pool's pre token generation trigger returns from now on (undefined: nothing); throws for a pool without a trigger. */
  setTokenOverride(userPoolId: string, override: TokenOverride | undefined): void;
  /** An ID token of login.sandbox.test (aud default books-oidc-client, valid an hour). */
  mintOidcToken(request: OidcTokenRequest): string;
  /** What issued credentials carry (role, identity, amr, session tags), by access key id; undefined when unknown. */
  session(accessKeyId: string): SessionInfo | undefined;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {}

// The sandbox found the ecosystem's way: a profile in its own config and credentials files, with
// `endpoint_url` pointing at the gateway, so any SDK or the AWS CLI reaches it through
// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE / AWS_PROFILE alone. The user's ~/.aws is never used.
export const PROFILE = 'cognito-sandbox';
/** The read-only IAM user's profile, in the same files. */
export const READONLY_PROFILE = 'cognito-sandbox-readonly';

export interface ProfileFiles { configFile: string; credentialsFile: string; profile: string; readonlyProfile: string; envLines: string[] }

type Keys = { accessKeyId: string; secretAccessKey: string };

export function writeProfileFiles(dir: string, endpoint: string, region: string, keys: Keys, readonlyKeys: Keys = READONLY_CREDENTIALS): ProfileFiles {
  const configFile = join(dir, 'aws-config');
  const credentialsFile = join(dir, 'aws-credentials');
  const config = (profile: string): string => `[profile ${profile}]\nregion = ${region}\nendpoint_url = ${endpoint}\n`;
  const credentials = (profile: string, k: Keys): string => `[${profile}]\naws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;
  writeFileSync(configFile, `${config(PROFILE)}\n${config(READONLY_PROFILE)}`);
  writeFileSync(credentialsFile, `${credentials(PROFILE, keys)}\n${credentials(READONLY_PROFILE, readonlyKeys)}`, { mode: 0o600 });
  return {
    configFile, credentialsFile, profile: PROFILE, readonlyProfile: READONLY_PROFILE,
    envLines: [`export AWS_CONFIG_FILE=${configFile}`, `export AWS_SHARED_CREDENTIALS_FILE=${credentialsFile}`, `export AWS_PROFILE=${PROFILE}`],
  };
}


function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE'
      ? new PortInUseError(`Port ${port} on 127.0.0.1 is already in use; choose another with --port or SANDBOX_PORT.`) : e));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

const close = (server: Server): Promise<void> => new Promise((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
});

async function seedTables(url: string): Promise<void> {
  await Promise.all(TABLES.map(async (t) => {
    await callDynalite(url, 'CreateTable', {
      TableName: t.TableName, KeySchema: t.KeySchema, AttributeDefinitions: t.AttributeDefinitions, BillingMode: 'PAY_PER_REQUEST',
    });
    await callDynalite(url, 'BatchWriteItem', { RequestItems: { [t.TableName]: t.Items.map((Item) => ({ PutRequest: { Item } })) } });
  }));
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? ((): void => undefined);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cognito-sandbox-'));
  mkdirSync(dataDir, { recursive: true });
  writeCognitoLocalData(dataDir, extraGroups(options.seed));

  const db = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let cognito: CognitoLocal | undefined;
  let gateway: Server | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all([gateway?.listening ? close(gateway) : undefined, db.listening ? close(db) : undefined, cognito?.stop()]);
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const keys = keysForDataDir(dataDir);
    const [cognitoLocal, dbPort] = await Promise.all([startCognitoLocal(dataDir, log), listen(db, 0)]);
    cognito = cognitoLocal;
    const dynaliteUrl = `http://127.0.0.1:${dbPort}`;
    await seedTables(dynaliteUrl);

    const credentials = new CredentialStore(options.credentialTtlSeconds);
    const iam = new IamStore([...ROLES, ...extraRoles(options.seed)], MANAGED_POLICIES);
    const faults = new Faults(options);
    let readonlyActions: readonly string[] = [...(options.readonlyActions ?? READONLY_ACTIONS)];
    // A user pool's keys: cognito-local's own (its tokens, and any a client still holds) and the sandbox's re-signing key.
    const cognitoLocalJwks = (await (await fetch(`${cognito.url}/${USER_POOL_ID}/.well-known/jwks.json`)).json()) as Jwks;
    const userPoolJwks = (): Promise<Jwks> => Promise.resolve(jwksOf(...cognitoLocalJwks.keys, keys.userPool.publicJwk));
    const userPoolTokens = new UserPoolTokens(keys.userPool, cognito.url, log);
    for (const [poolId, override] of Object.entries(options.tokenOverrides ?? {})) userPoolTokens.setOverride(poolId, override);
    gateway = createGateway({
      accountId: ACCOUNT_ID, region: REGION, cognitoLocalUrl: cognito.url, credentials, log,
      readonlyActions: () => readonlyActions,
      identity: new IdentityService({ accountId: ACCOUNT_ID, credentials, iam, keys, userPoolJwks, userPoolTokens, log }),
      iam: new IamService(iam, ACCOUNT_ID, credentials.admin.accessKeyId, options.unreadableRoles),
      dynamodb: new DynamoFront(dynaliteUrl, iam, ACCOUNT_ID),
      faults,
      clientSecrets: new Map(Object.values(CLIENTS).flatMap((c) => (c.ClientSecret ? [[c.ClientId, c.ClientSecret] as [string, string]] : []))),
      clientWriteAttributes: new Map(Object.values(CLIENTS).flatMap((c) => { const w = writeAttributesOf(c); return w ? [[c.ClientId, w] as [string, string[]]] : []; })),
      userPoolTokens,
      webIdentity: new WebIdentitySts({ accountId: ACCOUNT_ID, key: keys.cognitoIdentity, iam, credentials, log }),
      wellKnown: { region: REGION, keys, userPoolJwks },
    });
    const port = await listen(gateway, options.port ?? 0);
    const endpoint = `http://127.0.0.1:${port}`;
    const files = writeProfileFiles(dataDir, endpoint, REGION, ADMIN_CREDENTIALS);
    log(`[sandbox] gateway ${endpoint}, cognito-local ${cognito.url} (pid ${cognito.pid}), dynalite ${dynaliteUrl}`);
    return {
      endpoint, region: REGION, accountId: ACCOUNT_ID, userPoolId: USER_POOL_ID,
      clients: { web: CLIENTS.web.ClientId, backend: CLIENTS.backend.ClientId, mobile: CLIENTS.mobile.ClientId, selfservice: CLIENTS.selfservice.ClientId },
      backendClientSecret: CLIENTS.backend.ClientSecret ?? '',
      mobileClientSecret: CLIENTS.mobile.ClientSecret ?? '',
      identityPools: { ...IDENTITY_POOL_IDS },
      adminCredentials: { ...ADMIN_CREDENTIALS },
      readonlyCredentials: { ...READONLY_CREDENTIALS },
      ...files, dataDir, cognitoLocalPid: cognito.pid, cognitoLocalUrl: cognito.url,
      smsCode: (username) => readSmsCode(dataDir, USER_POOL_ID, username),
      requireNewPassword: (username) => setTemporaryPassword({ endpoint, region: REGION, credentials: ADMIN_CREDENTIALS, userPoolId: USER_POOL_ID }, username),
      setFaults: (map) => faults.setFaults(map),
      calls: () => faults.calls(),
      resetCalls: () => faults.resetCalls(),
      setReadonlyActions: (actions) => {
        readonlyActions = [...actions];
      },
      triggerPool: { userPoolId: TRIGGER_USER_POOL_ID, clientId: TRIGGER_CLIENT.ClientId, providerName: TRIGGER_PROVIDER_NAME, lambdaArn: TRIGGER_LAMBDA_ARN },
      oidc: {
        issuer: OIDC_ISSUER, providerName: OIDC_HOST, providerArn: OIDC_PROVIDER_ARN, clientId: OIDC_CLIENT_ID,
        discoveryUrl: `${endpoint}/${OIDC_HOST}/.well-known/openid-configuration`, jwksUrl: `${endpoint}/${OIDC_HOST}/.well-known/jwks.json`,
      },
      keysFile: join(dataDir, KEYS_FILE),
      setTokenOverride: (poolId, override) => userPoolTokens.setOverride(poolId, override),
      mintOidcToken: (request) => mintOidcToken(keys, request),
      session: (accessKeyId) => {
        const s = credentials.session(accessKeyId);
        return s && {
          arn: s.arn, roleArn: s.roleArn, identityId: s.identityId, identityPoolId: s.identityPoolId, amr: [...s.amr],
          tags: { ...s.tags }, guestSessionPolicy: s.sessionPolicy !== undefined, expiration: s.expiration,
        };
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
