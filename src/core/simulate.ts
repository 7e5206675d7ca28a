// "What happens when this user signs in?": groups to claims, claims to a role, and whether STS
// lets Cognito assume it. The `resolution` object is the CLI's simulate JSON (shared/spec/cli.md).
import { claimList, regionOfUserPoolId } from './claims.ts';
import type { Finding } from './findings.ts';
import { GapIndex, gapTopic } from './gaps.ts';
import { predictClaims } from './groups.ts';
import type { PredictedClaims } from './groups.ts';
import type { CognitoError, Login, RoleSource } from './identityPool.ts';
import { chooseRole, ERRORS } from './identityPool.ts';
import type { IdentityPool, PoolUser, Snapshot, UserPool } from './snapshot.ts';
import { parseProviderName, providerNameFor, roleNameFromArn, SnapshotIndex } from './snapshot.ts';
import { checkTrust, type IdentityKind } from './trust.ts';

export interface Resolution {
  outcome: 'credentials' | 'error';
  roleArn: string | null;
  source: RoleSource | null;
  error: CognitoError | null;
  /** Finding codes that explain an error, else []. */
  findings: string[];
  steps: string[];
}

export interface SimulationResult {
  /** The predicted cognito:* claims; null for a guest (no token). */
  claims: PredictedClaims | null;
  resolution: Resolution;
  /** The pools the simulation ran against. */
  userPoolId: string | null;
  clientId: string | null;
  identityPoolId: string;
  /** The kind of identity (decides the trust policy's amr). */
  identityKind: IdentityKind;
  /** The trust findings behind an error, in full. */
  trustFindings: Finding[];
}

/** Bad usage: names what to pass. The CLI prints it as one line and exits 2. */
export class SimulationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationInputError';
  }
}

export interface SimulateOptions {
  userPoolId?: string;
  clientId?: string;
  identityPoolId?: string;
  /** A user listed in the snapshot's Users. */
  user?: string;
  /** Group names, instead of a user. */
  groups?: string[];
  guest?: boolean;
  /** Extra token claims (for Rules mappings), e.g. { "custom:dept": "books" }. */
  claims?: Record<string, string>;
  customRoleArn?: string;
}

/** Simulates a sign-in described by groups or a snapshot user (or a guest). */
export function simulate(snapshot: Snapshot, options: SimulateOptions, index = new SnapshotIndex(snapshot)): SimulationResult {
  if (options.guest) {
    const identityPool = pickIdentityPool(snapshot, options.identityPoolId, null);
    return resolve(snapshot, index, identityPool, null, null, [], options.customRoleArn);
  }
  const userPool = pickUserPool(snapshot, options.userPoolId);
  let groups = options.groups;
  if (options.user !== undefined) {
    const user = usersByName(userPool).get(options.user);
    if (!user) {
      const known = userPool.Users?.map((u) => u.Username) ?? [];
      throw new SimulationInputError(
        known.length
          ? `user ${JSON.stringify(options.user)} is not in user pool ${userPool.Id} (the snapshot lists ${known.join(', ')})`
          : `user ${JSON.stringify(options.user)}: the snapshot lists no users for user pool ${userPool.Id}; pass --groups instead`,
      );
    }
    groups = user.Groups;
  }
  if (!groups) throw new SimulationInputError('say who signs in: --user NAME, --groups A,B or --guest');
  const clientId = pickClient(snapshot, userPool, options.clientId, options.identityPoolId);
  const identityPool = pickIdentityPool(snapshot, options.identityPoolId, { userPool, clientId });
  const prediction = predictClaims(userPool, groups);
  const claims: Record<string, unknown> = { ...(options.claims ?? {}) };
  claims['cognito:groups'] = prediction.claims['cognito:groups'];
  if (prediction.claims['cognito:roles']) claims['cognito:roles'] = prediction.claims['cognito:roles'];
  if (prediction.claims['cognito:preferred_role']) claims['cognito:preferred_role'] = prediction.claims['cognito:preferred_role'];
  const login: Login = { providerName: providerNameFor(snapshot.region, userPool.Id), clientId, claims };
  const result = resolve(snapshot, index, identityPool, login, userPool, prediction.steps, options.customRoleArn);
  return { ...result, claims: prediction.claims };
}

export interface TokenSimulateOptions {
  identityPoolId: string;
  /** The ID token's claims, as decoded (iss, aud, cognito:*, custom:*). */
  idTokenClaims: Record<string, unknown>;
  customRoleArn?: string;
}

/** Simulates the identity pool for a real ID token (the live "Test as user" prediction). */
export function simulateFromToken(snapshot: Snapshot, options: TokenSimulateOptions, index = new SnapshotIndex(snapshot)): SimulationResult {
  const identityPool = pickIdentityPool(snapshot, options.identityPoolId, null);
  const claims = options.idTokenClaims;
  const iss = typeof claims['iss'] === 'string' ? claims['iss'] : '';
  const poolId = iss.slice(iss.lastIndexOf('/') + 1);
  const aud = Array.isArray(claims['aud']) ? claims['aud'][0] : claims['aud'];
  // The Logins key is built from the issuer's pool id; the region is the pool id's prefix when it has one.
  const region = regionOfUserPoolId(poolId) ?? snapshot.region;
  const login: Login = { providerName: providerNameFor(region, poolId), clientId: typeof aud === 'string' ? aud : '', claims };
  const userPool = index.userPoolsById.get(poolId) ?? null;
  const tokenClaims: PredictedClaims = {
    'cognito:groups': claimList(claims['cognito:groups']),
    'cognito:roles': claims['cognito:roles'] === undefined ? null : claimList(claims['cognito:roles']),
    'cognito:preferred_role': typeof claims['cognito:preferred_role'] === 'string' ? claims['cognito:preferred_role'] : null,
  };
  const result = resolve(snapshot, index, identityPool, login, userPool, [], options.customRoleArn);
  return { ...result, claims: tokenClaims };
}

function resolve(
  snapshot: Snapshot,
  index: SnapshotIndex,
  identityPool: IdentityPool,
  login: Login | null,
  userPool: UserPool | null,
  claimSteps: string[],
  customRoleArn: string | undefined,
): SimulationResult {
  const gap = gapsOf(snapshot).identityPool(identityPool.IdentityPoolId)
    ?? (userPool && claimSteps.length > 0 ? gapsOf(snapshot).userPoolGroups(userPool.Id) : undefined);
  if (gap) {
    // Not captured: never a guess such as "no authenticated role" because the roles were unread.
    const what = `${gapTopic(gap)} of ${gap.resource ?? 'the account'}`;
    return {
      claims: null, userPoolId: userPool?.Id ?? null, clientId: login?.clientId ?? null, identityPoolId: identityPool.IdentityPoolId,
      identityKind: login ? 'authenticated' : 'unauthenticated', trustFindings: [],
      resolution: {
        outcome: 'error', roleArn: null, source: null, findings: ['SCAN_INCOMPLETE'],
        error: { code: NOT_CAPTURED, message: `The scan could not read the ${what} (${gap.service}:${gap.operation}: ${gap.error}), so the role choice cannot be predicted. Scan again with ${gap.permission}.` },
        steps: [...claimSteps, `The snapshot does not hold the ${what}: the scan's ${gap.operation} failed with ${gap.error}.`],
      },
    };
  }
  const choice = chooseRole(identityPool, login, customRoleArn);
  const steps = [...claimSteps, ...choice.steps];
  const base = {
    claims: null,
    userPoolId: userPool?.Id ?? null,
    clientId: login?.clientId ?? null,
    identityPoolId: identityPool.IdentityPoolId,
    identityKind: choice.identityKind,
  };
  const fail = (error: CognitoError, findings: string[], trustFindings: Finding[] = []): SimulationResult => ({
    ...base,
    resolution: { outcome: 'error', roleArn: null, source: null, error, findings, steps },
    trustFindings,
  });
  if (choice.error || !choice.roleArn) {
    const error = choice.error ?? ERRORS.invalidConfiguration;
    return fail(error, choiceErrorFindings(error, choice.identityKind));
  }
  const roleArn = choice.roleArn;
  const role = index.rolesByArn.get(roleArn);
  const name = roleNameFromArn(roleArn);
  const ok = (): SimulationResult => ({
    ...base,
    resolution: { outcome: 'credentials', roleArn, source: choice.source, error: null, findings: [], steps },
    trustFindings: [],
  });
  if (!role) {
    steps.push(`Role ${name} is not in the snapshot: whether its trust policy lets Cognito assume it is not checked.`);
    return ok();
  }
  if (role.Missing) {
    steps.push(`Role ${name} does not exist: STS cannot assume it.`);
    return fail(ERRORS.invalidConfiguration, [choice.source === 'preferred-role' || choice.source === 'custom-role-arn' ? 'GROUP_ROLE_MISSING' : 'POOL_ROLE_MISSING']);
  }
  if (role.Unreadable) {
    steps.push(`Role ${name} could not be read (${role.Unreadable}): its trust policy is not checked.`);
    return ok();
  }
  const providerPool = userPool ?? userPoolOf(snapshot, login);
  const verdict = checkTrust(role, {
    identityPoolId: identityPool.IdentityPoolId,
    kind: choice.identityKind,
    userPool: providerPool ? { region: snapshot.region, id: providerPool.Id } : undefined,
  });
  if (!verdict.policy) {
    steps.push(`Role ${name}'s trust policy could not be read: not checked.`);
    return ok();
  }
  if (!verdict.assumable) {
    const explaining = verdict.findings.filter((f) => f.severity === 'error');
    const shown = explaining.length > 0 ? explaining : verdict.findings;
    steps.push(`Cognito asks STS to assume ${name} (AssumeRoleWithWebIdentity); its trust policy refuses: ${shown.map((f) => f.message).join(' ') || verdict.decision?.explanation.summary || 'no statement allows it.'}`);
    return fail(ERRORS.invalidConfiguration, [...new Set(shown.map((f) => f.code))], verdict.findings);
  }
  steps.push(
    `The trust policy of ${name} lets ${'cognito-identity.amazonaws.com'} assume it for identity pool ${identityPool.IdentityPoolId}; the caller becomes arn:aws:sts::${roleAccount(roleArn, snapshot)}:assumed-role/${name}/CognitoIdentityCredentials.`,
  );
  return ok();
}

/** The error code of a prediction the snapshot cannot make (a scan gap covers what it needs). */
export const NOT_CAPTURED = 'NotCaptured';

const gapCache = new WeakMap<Snapshot, GapIndex>();
function gapsOf(snapshot: Snapshot): GapIndex {
  let gaps = gapCache.get(snapshot);
  if (!gaps) {
    gaps = new GapIndex(snapshot.scanGaps);
    gapCache.set(snapshot, gaps);
  }
  return gaps;
}

/** The finding codes that explain a role-choice error (none for a token or provider problem). */
function choiceErrorFindings(error: CognitoError, kind: IdentityKind): string[] {
  if (error.code === ERRORS.invalidConfiguration.code) return [kind === 'unauthenticated' ? 'POOL_UNAUTH_NO_ROLE' : 'POOL_NO_AUTHENTICATED_ROLE'];
  if (error.message.startsWith('The ambiguous role mapping rules')) return ['POOL_AMBIGUOUS_DENY'];
  return [];
}

/** User look-up by name, built once per pool (diagnose simulates every listed user). */
const usersCache = new WeakMap<UserPool, Map<string, PoolUser>>();
function usersByName(pool: UserPool): Map<string, PoolUser> {
  let map = usersCache.get(pool);
  if (!map) {
    map = new Map((pool.Users ?? []).map((u) => [u.Username, u]));
    usersCache.set(pool, map);
  }
  return map;
}

function roleAccount(roleArn: string, snapshot: Snapshot): string {
  return roleArn.split(':')[4] || snapshot.accountId;
}

function userPoolOf(snapshot: Snapshot, login: Login | null): UserPool | null {
  if (!login) return null;
  const parsed = parseProviderName(login.providerName);
  return parsed ? (snapshot.userPools.find((p) => p.Id === parsed.userPoolId) ?? null) : null;
}

// ---------------------------------------------------------------------------------------------
// Choosing the pools when the caller did not say.

export function pickUserPool(snapshot: Snapshot, id: string | undefined): UserPool {
  if (id !== undefined) {
    const pool = snapshot.userPools.find((p) => p.Id === id || p.Name === id);
    if (!pool) throw new SimulationInputError(`user pool ${JSON.stringify(id)} is not in the snapshot (it has ${list(snapshot.userPools.map((p) => p.Id))})`);
    return pool;
  }
  if (snapshot.userPools.length === 1) return snapshot.userPools[0]!;
  if (snapshot.userPools.length === 0) throw new SimulationInputError('the snapshot has no user pool');
  throw new SimulationInputError(`the snapshot has several user pools: pass --user-pool (one of ${list(snapshot.userPools.map((p) => p.Id))})`);
}

/** The app clients of a user pool that an identity pool (by id or name; default any) trusts. */
export function trustedClients(snapshot: Snapshot, userPool: UserPool, identityPoolId?: string): string[] {
  const provider = providerNameFor(snapshot.region, userPool.Id);
  const ids = snapshot.identityPools
    .filter((ip) => identityPoolId === undefined || ip.IdentityPoolId === identityPoolId || ip.IdentityPoolName === identityPoolId)
    .flatMap((ip) => ip.CognitoIdentityProviders.filter((p) => p.ProviderName === provider).map((p) => p.ClientId));
  return [...new Set(ids)];
}

export function pickClient(snapshot: Snapshot, userPool: UserPool, id: string | undefined, identityPoolId?: string): string {
  if (id !== undefined) {
    if (userPool.Clients.length > 0 && !userPool.Clients.some((c) => c.ClientId === id || c.ClientName === id)) {
      throw new SimulationInputError(`app client ${JSON.stringify(id)} is not in user pool ${userPool.Id} (it has ${list(userPool.Clients.map((c) => c.ClientId))})`);
    }
    return userPool.Clients.find((c) => c.ClientName === id && c.ClientId !== id)?.ClientId ?? id;
  }
  const trusted = trustedClients(snapshot, userPool, identityPoolId);
  if (trusted.length === 1) return trusted[0]!;
  if (trusted.length === 0 && userPool.Clients.length === 1) return userPool.Clients[0]!.ClientId;
  const choices = trusted.length > 0 ? trusted : userPool.Clients.map((c) => c.ClientId);
  if (choices.length === 0) throw new SimulationInputError(`user pool ${userPool.Id} has no app client in the snapshot: pass --client`);
  throw new SimulationInputError(`user pool ${userPool.Id} has several app clients: pass --client (one of ${list(choices)})`);
}

export function pickIdentityPool(snapshot: Snapshot, id: string | undefined, from: { userPool: UserPool; clientId: string } | null): IdentityPool {
  if (id !== undefined) {
    const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === id || p.IdentityPoolName === id);
    if (!pool) throw new SimulationInputError(`identity pool ${JSON.stringify(id)} is not in the snapshot (it has ${list(snapshot.identityPools.map((p) => p.IdentityPoolId))})`);
    return pool;
  }
  let candidates = snapshot.identityPools;
  if (from) {
    const provider = providerNameFor(snapshot.region, from.userPool.Id);
    const trusting = candidates.filter((ip) => ip.CognitoIdentityProviders.some((p) => p.ProviderName === provider && p.ClientId === from.clientId));
    if (trusting.length > 0) candidates = trusting;
  }
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new SimulationInputError('the snapshot has no identity pool');
  throw new SimulationInputError(`several identity pools could be meant: pass --identity-pool (one of ${list(candidates.map((p) => p.IdentityPoolId))})`);
}

function list(items: string[]): string {
  return items.length ? items.join(', ') : 'none';
}
