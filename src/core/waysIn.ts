// Every way an identity pool hands out a role (cognito-semantics.md section 2): a group's role
// through a Token mapping, a rule of a Rules mapping, the pool's authenticated role (no mapping,
// or AmbiguousRoleResolution AuthenticatedRole) and its unauthenticated (guest) role. Used by the
// access matrix ("who can access this table?") and by the explanation of
// InvalidIdentityPoolConfigurationException (which roles can this pool hand out?).
import { comparePrecedence, formatPrecedence } from './groups.ts';
import type { IdentityPool, Snapshot, UserPool } from './snapshot.ts';
import { parseProviderName, providerNameFor, roleNameFromArn } from './snapshot.ts';
import { diagnoseSessionTags } from './diagnoseBeyond.ts';
import { findProvider, providerOfMappingKey, providersOf, type PoolProvider } from './providers.ts';
import { checkTrust, type IdentityKind, type TrustTarget, type TrustVerdict } from './trust.ts';
import { trustTargetFor } from './simulate.ts';

export type WayKind = 'group' | 'rule' | 'authenticated' | 'unauthenticated';

export interface WayIn {
  /** Stable id: the pool, the kind and what identifies it there. */
  id: string;
  kind: WayKind;
  identityPoolId: string;
  identityPoolName: string | null;
  roleArn: string;
  roleName: string;
  /** Authenticated or unauthenticated identities (the trust policy's amr). */
  identityKind: IdentityKind;
  /** For people: `group BooksRead (precedence 1)`, `rule 1: cognito:groups Contains "BooksRead"`, `authenticated role`, `guest role`. */
  label: string;
  /** A group's user pool and name. */
  userPoolId?: string;
  groupName?: string;
  /** A rule's mapping key and position (from 0). */
  mappingKey?: string;
  ruleIndex?: number;
  /** Why no identity gets credentials this way whatever the trust policy says (guests not allowed). */
  closed?: string;
}

/** The user pool behind a role-mapping key `<ProviderName>:<ClientId>`, when it is one of the snapshot's. */
export function userPoolOfMappingKey(snapshot: Snapshot, key: string): UserPool | undefined {
  const colon = key.lastIndexOf(':');
  const parsed = colon > 0 ? parseProviderName(key.slice(0, colon)) : undefined;
  return parsed ? snapshot.userPools.find((p) => p.Id === parsed.userPoolId) : undefined;
}

/** The user pools an identity pool trusts (its Cognito providers that the snapshot holds). */
export function userPoolsOf(snapshot: Snapshot, pool: IdentityPool): UserPool[] {
  const ids = new Set(pool.CognitoIdentityProviders.map((p) => parseProviderName(p.ProviderName)?.userPoolId).filter((id): id is string => Boolean(id)));
  return snapshot.userPools.filter((p) => ids.has(p.Id));
}

/** Every way into every role of `pool`, in the order people read them: groups by precedence, rules, defaults. */
export function waysOfPool(snapshot: Snapshot, pool: IdentityPool): WayIn[] {
  const ways: WayIn[] = [];
  const base = { identityPoolId: pool.IdentityPoolId, identityPoolName: pool.IdentityPoolName ?? null };
  const seen = new Set<string>();
  const add = (way: Omit<WayIn, 'roleName' | keyof typeof base>): void => {
    if (seen.has(way.id)) return;
    seen.add(way.id);
    ways.push({ ...base, ...way, roleName: roleNameFromArn(way.roleArn) });
  };
  const mappings = Object.entries(pool.RoleMappings);
  for (const [key, mapping] of mappings) {
    if (mapping.Type !== 'Token') continue;
    const userPool = userPoolOfMappingKey(snapshot, key);
    if (!userPool) continue;
    const groups = [...userPool.Groups].sort((a, b) => comparePrecedence(a.Precedence, b.Precedence) || a.GroupName.localeCompare(b.GroupName));
    for (const g of groups) {
      if (!g.RoleArn) continue;
      add({ id: `${pool.IdentityPoolId}|group|${userPool.Id}/${g.GroupName}`, kind: 'group', roleArn: g.RoleArn, identityKind: 'authenticated', label: `group ${g.GroupName} (${formatPrecedence(g.Precedence)})`, userPoolId: userPool.Id, groupName: g.GroupName });
    }
  }
  for (const [key, mapping] of mappings) {
    const rules = mapping.Type === 'Rules' ? (mapping.RulesConfiguration?.Rules ?? []) : [];
    rules.forEach((rule, i) => {
      const client = key.slice(key.lastIndexOf(':') + 1);
      const through = mappings.length > 1 ? ` (client ${client})` : '';
      add({ id: `${pool.IdentityPoolId}|rule|${key}|${i}`, kind: 'rule', roleArn: rule.RoleARN, identityKind: 'authenticated', label: `rule ${i + 1}: ${rule.Claim} ${rule.MatchType} "${rule.Value}"${through}`, mappingKey: key, ruleIndex: i });
    });
  }
  if (pool.Roles.authenticated) add({ id: `${pool.IdentityPoolId}|authenticated`, kind: 'authenticated', roleArn: pool.Roles.authenticated, identityKind: 'authenticated', label: 'authenticated role' });
  if (pool.Roles.unauthenticated) {
    const way: Omit<WayIn, 'roleName' | keyof typeof base> = { id: `${pool.IdentityPoolId}|unauthenticated`, kind: 'unauthenticated', roleArn: pool.Roles.unauthenticated, identityKind: 'unauthenticated', label: 'guest role' };
    if (!pool.AllowUnauthenticatedIdentities) way.closed = 'the pool does not allow unauthenticated identities';
    add(way);
  }
  return ways;
}

/** Every way into every role, for every identity pool of the snapshot. */
export function waysIn(snapshot: Snapshot): WayIn[] {
  return snapshot.identityPools.flatMap((pool) => waysOfPool(snapshot, pool));
}

/** A way's full name: `group BooksRead (precedence 1) of books`. */
export function describeWay(way: WayIn): string {
  return `${way.label} of ${way.identityPoolName ?? way.identityPoolId}`;
}

/** The provider whose users take the way: a group's or rule's user pool, else the pool's first provider. */
function providerOfWay(snapshot: Snapshot, pool: IdentityPool, way: WayIn, userPool: UserPool | undefined): PoolProvider | null {
  if (way.identityKind === 'unauthenticated') return null;
  if (way.mappingKey) return providerOfMappingKey(pool, way.mappingKey) ?? null;
  if (userPool) return findProvider(pool, providerNameFor(snapshot.region, userPool.Id)) ?? null;
  return providersOf(pool)[0] ?? null;
}

/**
 * What STS is asked when Cognito assumes the way's role: its pool, kind of identity and provider,
 * with the session tags the pool's tag map passes (which need sts:TagSession too; diagnose's
 * placeholder values). Undefined when the pool is not in the snapshot.
 */
export function trustTargetOfWay(snapshot: Snapshot, way: WayIn): TrustTarget | undefined {
  const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === way.identityPoolId);
  if (!pool) return undefined;
  const userPool = (way.userPoolId ? snapshot.userPools.find((p) => p.Id === way.userPoolId) : undefined)
    ?? (way.mappingKey ? userPoolOfMappingKey(snapshot, way.mappingKey) : undefined)
    ?? (way.identityKind === 'authenticated' ? userPoolsOf(snapshot, pool)[0] : undefined);
  const provider = providerOfWay(snapshot, pool, way, userPool);
  const tags = provider ? diagnoseSessionTags(pool, provider) : undefined;
  return trustTargetFor(snapshot, pool, way.identityKind, provider, userPool ?? null, tags);
}

/** Whether STS lets Cognito assume the way's role (null: the role or its trust policy is not in the snapshot, so nothing is claimed). */
export function trustOfWay(snapshot: Snapshot, way: WayIn): TrustVerdict | null {
  const role = snapshot.roles.find((r) => r.Arn === way.roleArn);
  const target = trustTargetOfWay(snapshot, way);
  if (!role || !target || role.Missing || role.Unreadable) return null;
  const verdict = checkTrust(role, target);
  return verdict.policy ? verdict : null;
}
