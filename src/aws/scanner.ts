// Live account -> snapshot v1 (shared/spec/snapshot.md). Reads user pools, identity pools, every
// role they name (once each) and the DynamoDB tables those roles' policies name.
//
// Throughput: one limiter (default 8 calls in flight) serves all clients; the sequential
// ListGroups pages are urgent, so the critical path never queues behind role reads, and every role
// starts as soon as the page naming it arrives. Throttling is retried by the SDK's adaptive retry
// mode (set on the clients by createAwsContext). Cancellable through `signal`.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseProviderName, SNAPSHOT_FORMAT, type IdentityPool, type Snapshot, type UserPool } from '../core/snapshot.ts';
import { Limiter, limitClient, mapLimit } from './limiter.ts';
import { listIdentityPoolIds, listUserPoolIds, readIdentityPool, readUserPool, type CognitoScanDeps } from './scanCognito.ts';
import { RoleScanner } from './scanIam.ts';
import { tableRefsInRole, TableScanner } from './scanTables.ts';

export interface ScanClients {
  cognitoIdp: CognitoIdentityProviderClient;
  cognitoIdentity: CognitoIdentityClient;
  iam: IAMClient;
  dynamodb: DynamoDBClient;
}

export interface ScanProgress {
  /** What was just read, e.g. "role arn:aws:iam::...:role/X". */
  message: string;
  /** Items read so far (pools, users, roles, tables). */
  done: number;
  /** Items known so far; grows while the scan discovers more. */
  total: number;
}

export interface ScanOptions {
  region: string;
  accountId: string;
  /** Only these user pools; default: every pool in the region, or those the chosen identity pools trust. */
  userPoolIds?: string[];
  /** Only these identity pools; default: every identity pool in the region. */
  identityPoolIds?: string[];
  /** Also list users and their groups (AdminListGroupsForUser per user). */
  includeUsers?: boolean;
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** The capture time (tests fix it). */
  now?: () => Date;
}

export interface ScanResult {
  snapshot: Snapshot;
  /** Things the scan could not read but went on without (not roles: those carry `Unreadable`). */
  warnings: string[];
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The user pools (of this region) that the identity pools trust. */
function trustedUserPools(pools: IdentityPool[], region: string): string[] {
  const ids = new Set<string>();
  for (const pool of pools) {
    for (const provider of pool.CognitoIdentityProviders) {
      const parsed = parseProviderName(provider.ProviderName);
      if (parsed && parsed.region === region) ids.add(parsed.userPoolId);
    }
  }
  return [...ids];
}

export async function scanAccount(clients: ScanClients, options: ScanOptions): Promise<ScanResult> {
  const { region, accountId, signal } = options;
  const concurrency = options.concurrency ?? 8;
  const limiter = new Limiter(concurrency, signal);
  const idp = limitClient(clients.cognitoIdp, limiter, signal, true);
  const identity = limitClient(clients.cognitoIdentity, limiter, signal, true);
  const iam = limitClient(clients.iam, limiter, signal);
  const dynamodb = limitClient(clients.dynamodb, limiter, signal);

  let done = 0;
  let known = 0;
  const progress = (message: string) => {
    done++;
    options.onProgress?.({ message, done, total: Math.max(known, done) });
  };
  const tables = new TableScanner(dynamodb);
  const roles = new RoleScanner(iam, (role) => {
    progress(`role ${role.Arn}${role.Missing ? ' (missing)' : role.Unreadable ? ' (unreadable)' : ''}`);
    for (const ref of tableRefsInRole(role, region, accountId)) tables.request(ref);
  });
  const deps: CognitoScanDeps = {
    idp,
    identity,
    concurrency,
    onRoleArn: (arn) => {
      const before = roles.requested;
      void roles.request(arn);
      if (roles.requested > before) known++;
    },
    onItem: progress,
  };

  const identityPoolIds = options.identityPoolIds ? Promise.resolve(options.identityPoolIds) : collect(listIdentityPoolIds(identity));
  const identityPools: Promise<IdentityPool[]> = identityPoolIds.then((ids) => {
    known += ids.length;
    return mapLimit(ids, concurrency, (id) => readIdentityPool(deps, id));
  });
  let userPoolIds: Promise<string[]>;
  if (options.userPoolIds) userPoolIds = Promise.resolve(options.userPoolIds);
  else if (options.identityPoolIds) userPoolIds = identityPools.then((pools) => trustedUserPools(pools, region));
  else userPoolIds = collect(listUserPoolIds(idp));
  const userPools: Promise<UserPool[]> = userPoolIds.then((ids) => {
    known += ids.length;
    return mapLimit(ids, concurrency, (id) => readUserPool(deps, id, options.includeUsers ?? false));
  });
  identityPools.catch(() => undefined);

  const [userPoolList, identityPoolList] = await Promise.all([userPools, identityPools]);
  const roleList = await roles.all();
  const tableList = await tables.all();
  signal?.throwIfAborted();
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    capturedAt: (options.now?.() ?? new Date()).toISOString(),
    region,
    accountId,
    userPools: userPoolList,
    identityPools: identityPoolList,
    roles: roleList,
    tables: tableList,
  };
  return { snapshot, warnings: tables.warnings };
}
