// Live account -> snapshot v1 (shared/spec/snapshot.md). Reads user pools, identity pools, every
// role they name (once each) and the DynamoDB tables those roles' policies name.
//
// Throughput: one limiter (default 8 calls in flight) serves all clients; the sequential
// ListGroups pages are urgent, so the critical path never queues behind role reads, and every role
// starts as soon as the page naming it arrives. Throttling is retried by the SDK's standard retry
// mode (set on the clients by createAwsContext), a bounded number of times; every call has a time
// limit (retries included). Cancellable through `signal`. Every read is isolated (ScanReads): a
// failed read is a scan gap and never the loss of what other reads returned.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setMaxListeners } from 'node:events';
import { parseProviderName, SNAPSHOT_FORMAT, type IdentityPool, type ScanGap, type Snapshot, type UserPool } from '../core/snapshot.ts';
import { defaultEndpoint } from './context.ts';
import { Limiter, limitClient, mapLimit } from './limiter.ts';
import { listIdentityPoolIds, listUserPoolIds, readIdentityPool, readUserPool, type CognitoScanDeps } from './scanCognito.ts';
import { RoleScanner, type IamStrategy } from './scanIam.ts';
import { ScanReads } from './scanReads.ts';
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
  /** Also read these roles, whoever names them (the role a basic-flow test asks STS for). */
  roleArns?: string[];
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  /** Time limit of one call in ms, retries included (default 30,000). */
  timeoutMs?: number;
  /** How IAM is read (default auto: per role, the whole account's details once many roles are named). */
  iamStrategy?: IamStrategy;
  /** The endpoint of each service, for messages (default: the AWS endpoint of the region). */
  endpoints?: Partial<Record<string, string>>;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** The capture time (tests fix it). */
  now?: () => Date;
}

export interface ScanStats {
  /** Calls made (each page of a listing counts; the SDK's retries do not). */
  calls: number;
  /** How IAM was read. */
  iam: 'per-role' | 'account-authorization-details';
}

export interface ScanResult {
  /** Everything read; `scanGaps` lists what could not be. */
  snapshot: Snapshot;
  /** Notes that are not gaps (a table a policy names that does not exist). */
  warnings: string[];
  /** The same as snapshot.scanGaps (empty when everything was read). */
  gaps: ScanGap[];
  stats: ScanStats;
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

/**
 * Scans one account and region. Never loses what it read: a failed read becomes a scan gap.
 * Rejects only when cancelled (the signal's reason) or when every read would fail
 * (ScanStoppedError: expired or invalid credentials, an unreachable endpoint).
 */
export async function scanAccount(clients: ScanClients, options: ScanOptions): Promise<ScanResult> {
  const { region, accountId, signal } = options;
  const concurrency = options.concurrency ?? 8;
  // Each call listens to the scan's signal while in flight; with a high concurrency that is more
  // than Node's default of 10 listeners, which is expected here, not a leak.
  if (signal) setMaxListeners(0, signal);
  const limiter = new Limiter(concurrency, signal);
  const stats = { calls: 0 };
  const limits = { timeoutMs: options.timeoutMs ?? 30_000, stats };
  const idp = limitClient(clients.cognitoIdp, limiter, signal, true, limits);
  const identity = limitClient(clients.cognitoIdentity, limiter, signal, true, limits);
  const iam = limitClient(clients.iam, limiter, signal, false, limits);
  const dynamodb = limitClient(clients.dynamodb, limiter, signal, false, limits);
  const reads = new ScanReads(signal, (service) => options.endpoints?.[service] ?? defaultEndpoint(service, region));

  let done = 0;
  let known = 0;
  const progress = (message: string) => {
    done++;
    options.onProgress?.({ message, done, total: Math.max(known, done) });
  };
  const tables = new TableScanner(dynamodb, reads, region, accountId);
  const roles = new RoleScanner(iam, reads, (role) => {
    progress(`role ${role.Arn}${role.Missing ? ' (missing)' : role.Unreadable ? ' (not fully readable)' : ''}`);
    for (const ref of tableRefsInRole(role, region, accountId)) tables.request(ref);
  }, options.iamStrategy ?? 'auto');
  const deps: CognitoScanDeps = {
    idp,
    identity,
    reads,
    concurrency,
    onRoleArn: (arn) => {
      const before = roles.requested;
      void roles.request(arn);
      if (roles.requested > before) known++;
    },
    onItem: progress,
  };

  for (const arn of options.roleArns ?? []) deps.onRoleArn(arn);
  const identityPoolIds = options.identityPoolIds ? Promise.resolve(options.identityPoolIds) : listIdentityPoolIds(deps);
  const identityPools: Promise<IdentityPool[]> = identityPoolIds.then((ids) => {
    known += ids.length;
    return mapLimit(ids, concurrency, (id) => readIdentityPool(deps, id));
  });
  let userPoolIds: Promise<string[]>;
  if (options.userPoolIds) userPoolIds = Promise.resolve(options.userPoolIds);
  else if (options.identityPoolIds) userPoolIds = identityPools.then((pools) => trustedUserPools(pools, region));
  else userPoolIds = listUserPoolIds(deps);
  const userPools: Promise<UserPool[]> = userPoolIds.then((ids) => {
    known += ids.length;
    return mapLimit(ids, concurrency, (id) => readUserPool(deps, id, options.includeUsers ?? false));
  });
  identityPools.catch(() => undefined);

  const [userPoolList, identityPoolList] = await Promise.all([userPools, identityPools]);
  const roleList = await roles.all();
  const tableList = await tables.all();
  signal?.throwIfAborted();
  const gaps = reads.sorted();
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
  if (gaps.length > 0) snapshot.scanGaps = gaps;
  return { snapshot, warnings: tables.warnings, gaps, stats: { calls: stats.calls, iam: roles.usedAccountDetails ? 'account-authorization-details' : 'per-role' } };
}
