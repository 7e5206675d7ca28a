// diagnose: every check of shared/spec/findings.md over one snapshot.
// Work is shared: each (role, identity pool, kind) trust verdict is computed once, however many
// groups name the role, so a snapshot of 10,000 groups stays near linear.
import type { Finding, FindingSubject } from './findings.ts';
import { finding, sortFindings, summarize } from './findings.ts';
import { checkGroups } from './diagnoseGroups.ts';
import { checkDefinitions } from './diagnoseDefinitions.ts';
import { GapIndex, gapFindings } from './gaps.ts';
import { formatPrecedence, predictClaims } from './groups.ts';
import { checkPermissions } from './permissions.ts';
import type { PoolProvider } from './providers.ts';
import { mappingKeysOf, providersOf, roleMappingOf } from './providers.ts';
import type { Group, IdentityPool, Role, Snapshot, UserPool } from './snapshot.ts';
import { parseProviderName, providerNameFor, roleNameFromArn, SnapshotIndex } from './snapshot.ts';
import { simulate, trustTargetFor } from './simulate.ts';
import type { IdentityKind, TrustVerdict } from './trust.ts';
import { checkTrust } from './trust.ts';
import {
  checkBasicFlow, checkPrincipalTagsMapped, checkTagMaps, checkTokenMappings, checkTokenTriggers, diagnoseSessionTags, isKnownMappingKey, usesPrincipalTags,
} from './diagnoseBeyond.ts';

export interface Diagnosis {
  findings: Finding[];
  summary: { errors: number; warnings: number; infos: number };
}

const groupId = (pool: UserPool, group: Group): string => `${pool.Id}/${group.GroupName}`;
const roleSubject = (arn: string): FindingSubject => ({ kind: 'role', id: arn });
const poolSubject = (pool: IdentityPool): FindingSubject => ({ kind: 'identityPool', id: pool.IdentityPoolId });

/** A role an identity pool can hand out, and how. */
interface RoleUse {
  roleArn: string;
  identityPool: IdentityPool;
  kind: IdentityKind;
  /** The user pool whose users reach this role (for group roles and mapped providers). */
  userPool?: UserPool;
  via: 'authenticated-role' | 'unauthenticated-role' | 'rule' | 'group';
  /** Group uses: every group of the user pool that carries the role (one use per role, not per group). */
  groups?: Group[];
  /** The providers whose users can get the role this way (empty for guests). */
  providers: PoolProvider[];
}

export function diagnose(snapshot: Snapshot): Diagnosis {
  const index = new SnapshotIndex(snapshot);
  // What the scan could not read is not captured: checks that would read it stay silent, and
  // each gap is one SCAN_INCOMPLETE finding (shared/spec/snapshot.md, scanGaps).
  const gaps = new GapIndex(snapshot.scanGaps);
  const findings: Finding[] = gapFindings(snapshot);
  const uses = collectRoleUses(snapshot, index, gaps);

  for (const pool of snapshot.userPools) findings.push(...checkGroups(snapshot, pool, index, gaps));
  for (const pool of snapshot.identityPools) findings.push(...checkIdentityPool(pool, index, gaps));
  findings.push(...checkTokenTriggers(snapshot, gaps), ...checkBasicFlow(snapshot, gaps), ...checkTagMaps(snapshot, index, gaps));

  // Coverage and trust, once per role / (role, pool, kind).
  const poolsByRole = new Map<string, Set<string>>();
  for (const use of uses) {
    const set = poolsByRole.get(use.roleArn) ?? new Set<string>();
    set.add(use.identityPool.IdentityPoolId);
    poolsByRole.set(use.roleArn, set);
  }
  const verdicts: VerdictCache = new Map();
  const reported = new Set<string>();
  for (const use of uses) {
    const role = index.rolesByArn.get(use.roleArn);
    if (!role) {
      if (!reported.has(`nc|${use.roleArn}`)) {
        reported.add(`nc|${use.roleArn}`);
        findings.push(
          finding(
            'ROLE_NOT_CAPTURED',
            roleSubject(use.roleArn),
            `Role ${roleNameFromArn(use.roleArn)} (${use.roleArn}) is used by identity pool ${use.identityPool.IdentityPoolId} but is not in the snapshot: nothing is claimed about its trust or permissions.`,
            'Scan again with permission to read the role (iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies, iam:GetRolePolicy, iam:GetPolicy, iam:GetPolicyVersion), or add it to the snapshot.',
            { related: [poolSubject(use.identityPool)] },
          ),
        );
      }
      continue;
    }
    if (role.Missing) {
      if (use.via !== 'group' && !reported.has(`pm|${use.roleArn}|${use.identityPool.IdentityPoolId}`)) {
        reported.add(`pm|${use.roleArn}|${use.identityPool.IdentityPoolId}`);
        findings.push(
          finding(
            'POOL_ROLE_MISSING',
            poolSubject(use.identityPool),
            `Identity pool ${use.identityPool.IdentityPoolId} hands out role ${role.RoleName} (${describeUse(use)}), which does not exist.`,
            `Create the role ${role.Arn}, or point the identity pool at an existing role.`,
            { related: [roleSubject(role.Arn)], symptom: 'InvalidIdentityPoolConfigurationException' },
          ),
        );
      }
      continue;
    }
    if (role.Unreadable) {
      if (!reported.has(`ur|${role.Arn}`)) {
        reported.add(`ur|${role.Arn}`);
        findings.push(
          finding(
            'ROLE_UNREADABLE',
            roleSubject(role.Arn),
            `Role ${role.RoleName} could not be read by the scanner (${role.Unreadable}): its trust and permissions are not checked.`,
            'Give the scanning identity iam:GetRole and the IAM list/get permissions on this role, then scan again.',
            { related: [poolSubject(use.identityPool)] },
          ),
        );
      }
      continue;
    }
    const verdict = trustVerdicts(verdicts, role, use, poolsByRole, snapshot, index, findings);
    tagUses(reported, role, use, findings, gaps);
    if (use.via === 'group' && use.groups && use.userPool && !verdict.assumable) {
      const errors = verdict.findings.filter((f) => f.severity === 'error');
      const reasons = (errors.length ? errors : verdict.findings).map((f) => f.code);
      for (const group of use.groups) {
        findings.push(
          finding(
            'GROUP_ROLE_NOT_ASSUMABLE',
            { kind: 'group', id: groupId(use.userPool, group) },
            `Group ${group.GroupName} of user pool ${use.userPool.Id} carries role ${role.RoleName}, which identity pool ${use.identityPool.IdentityPoolId} selects from the token, but the role's trust policy refuses that identity pool for signed-in users${reasons.length ? ` (${[...new Set(reasons)].join(', ')})` : ''}.`,
            `Fix the trust policy of ${role.RoleName} (see the ${reasons[0] ?? 'TRUST_*'} finding on the role); every member whose preferred role is ${role.RoleName} gets InvalidIdentityPoolConfigurationException until then.`,
            { related: [roleSubject(role.Arn), poolSubject(use.identityPool)], symptom: 'InvalidIdentityPoolConfigurationException' },
          ),
        );
      }
    }
  }

  const captured = [...poolsByRole.keys()].filter((arn) => {
    const role = index.rolesByArn.get(arn);
    return role && !role.Missing && !role.Unreadable;
  });
  findings.push(...checkPermissions(snapshot, captured));
  findings.push(...checkDefinitions(snapshot, index, gaps)); // found in real definitions: rule claims, provider clients, unknown actions

  for (const pool of snapshot.userPools) findings.push(...checkUsers(snapshot, pool, index, gaps));

  const sorted = sortFindings(findings);
  return { findings: sorted, summary: summarize(sorted) };
}

/**
 * The trust verdict of a role use: one check per provider whose users get the role (their amr and
 * session tags differ), each (role, pool, kind, provider) once however many groups name the role.
 * Adds the new findings; answers the verdict of the use's first provider that cannot assume the
 * role (else the first).
 */
/** Trust verdicts by identity pool, then provider (the kind for a use without providers), then role ARN: no key strings. */
type VerdictCache = Map<IdentityPool, Map<PoolProvider | IdentityKind, Map<string, TrustVerdict>>>;

function trustVerdicts(
  cache: VerdictCache, role: Role, use: RoleUse, poolsByRole: Map<string, Set<string>>, snapshot: Snapshot, index: SnapshotIndex, findings: Finding[],
): TrustVerdict {
  let answer: TrustVerdict | undefined;
  let byProvider = cache.get(use.identityPool);
  if (!byProvider) cache.set(use.identityPool, (byProvider = new Map()));
  for (const provider of use.providers.length > 0 ? use.providers : [null]) {
    let byRole = byProvider.get(provider ?? use.kind);
    if (!byRole) byProvider.set(provider ?? use.kind, (byRole = new Map()));
    let verdict = byRole.get(role.Arn);
    if (!verdict) {
      const userPool = provider?.kind === 'user-pool' ? (use.userPool?.Id === parseProviderName(provider.name)?.userPoolId ? use.userPool : index.userPoolsById.get(parseProviderName(provider.name)?.userPoolId ?? '')) : undefined;
      const target = trustTargetFor(snapshot, use.identityPool, use.kind, provider, userPool ?? null, provider && use.kind === 'authenticated' ? diagnoseSessionTags(use.identityPool, provider) : undefined);
      target.allPoolIds = [...(poolsByRole.get(role.Arn) ?? [])];
      verdict = checkTrust(role, target);
      byRole.set(role.Arn, verdict);
      findings.push(...verdict.findings);
    }
    if (!answer || (answer.assumable && !verdict.assumable)) answer = verdict;
  }
  return answer!;
}

/** PRINCIPAL_TAG_NOT_MAPPED for a role use, once per (role, pool, provider). */
function tagUses(reported: Set<string>, role: Role, use: RoleUse, findings: Finding[], gaps: GapIndex): void {
  if (!usesPrincipalTags(role)) return;
  for (const provider of use.kind === 'unauthenticated' ? [null] : use.providers) {
    const key = `pt|${role.Arn}|${use.identityPool.IdentityPoolId}|${provider?.name ?? '(guest)'}`;
    if (reported.has(key)) continue;
    reported.add(key);
    findings.push(...checkPrincipalTagsMapped(role, use.identityPool, provider, gaps));
  }
}

/** A user pool's groups that carry a role, by role ARN (in the groups' order); `cache` lives for one diagnosis. */
function groupsByRole(userPool: UserPool, cache: Map<UserPool, Map<string, Group[]>>): Map<string, Group[]> {
  let map = cache.get(userPool);
  if (map) return map;
  map = new Map();
  for (const group of userPool.Groups) {
    if (!group.RoleArn) continue;
    const list = map.get(group.RoleArn);
    if (list) list.push(group);
    else map.set(group.RoleArn, [group]);
  }
  cache.set(userPool, map);
  return map;
}

function firstUserPool(snapshot: Snapshot, pool: IdentityPool): UserPool | undefined {
  for (const provider of pool.CognitoIdentityProviders) {
    const parsed = parseProviderName(provider.ProviderName);
    const found = parsed && snapshot.userPools.find((p) => p.Id === parsed.userPoolId);
    if (found) return found;
  }
  return undefined;
}

function describeUse(use: RoleUse): string {
  switch (use.via) {
    case 'authenticated-role':
      return 'its authenticated role';
    case 'unauthenticated-role':
      return 'its unauthenticated role';
    case 'rule':
      return 'a role-mapping rule';
    case 'group':
      return use.groups?.length === 1 ? `group ${use.groups[0]!.GroupName}` : `groups ${(use.groups ?? []).map((g) => g.GroupName).join(', ')}`;
  }
}

/** Every role each identity pool can hand out (findings.md, Trust policies), with the providers whose users get it. */
function collectRoleUses(snapshot: Snapshot, index: SnapshotIndex, gaps: GapIndex): RoleUse[] {
  const uses: RoleUse[] = [];
  const byRole = new Map<UserPool, Map<string, Group[]>>();
  for (const pool of snapshot.identityPools) {
    // Roles and mappings not read: which roles the pool hands out is unknown.
    if (gaps.identityPoolRoles(pool.IdentityPoolId)) continue;
    const providers = providersOf(pool);
    const first = firstUserPool(snapshot, pool);
    if (pool.Roles.authenticated) uses.push({ roleArn: pool.Roles.authenticated, identityPool: pool, kind: 'authenticated', via: 'authenticated-role', userPool: first, providers });
    if (pool.Roles.unauthenticated && pool.AllowUnauthenticatedIdentities) {
      uses.push({ roleArn: pool.Roles.unauthenticated, identityPool: pool, kind: 'unauthenticated', via: 'unauthenticated-role', providers: [] });
    }
    for (const provider of providers) {
      const parsed = provider.kind === 'user-pool' ? parseProviderName(provider.name) : undefined;
      const userPool = parsed ? index.userPoolsById.get(parsed.userPoolId) : undefined;
      for (const key of mappingKeysOf(provider)) {
        const mapping = roleMappingOf(pool, provider, key);
        if (!mapping) continue;
        if (mapping.Type === 'Rules') {
          for (const rule of mapping.RulesConfiguration?.Rules ?? []) uses.push({ roleArn: rule.RoleARN, identityPool: pool, kind: 'authenticated', via: 'rule', userPool, providers: [provider] });
        } else if (userPool) {
          for (const [roleArn, groups] of groupsByRole(userPool, byRole)) uses.push({ roleArn, identityPool: pool, kind: 'authenticated', via: 'group', userPool, groups, providers: [provider] });
        }
      }
    }
  }
  return uses;
}

function checkIdentityPool(pool: IdentityPool, index: SnapshotIndex, gaps: GapIndex): Finding[] {
  const findings: Finding[] = [];
  const subject = poolSubject(pool);
  const settingsUnread = gaps.identityPoolSettings(pool.IdentityPoolId);
  const rolesUnread = gaps.identityPoolRoles(pool.IdentityPoolId);
  if (pool.CognitoIdentityProviders.length === 0 && !settingsUnread) {
    findings.push(
      finding(
        'POOL_NO_PROVIDERS', subject,
        `Identity pool ${pool.IdentityPoolId} trusts no Cognito user pool${providersOf(pool).length > 0 ? ` (its providers: ${providersOf(pool).map((p) => p.name).join(', ')})` : ''}: signed-in users of a user pool cannot use it.`,
        'Add the user pool and app client as an authentication provider of the identity pool, if users are meant to sign in through it.',
      ),
    );
  }
  // Without the roles and mappings (GetIdentityPoolRoles), nothing below can be judged.
  if (rolesUnread) return findings;
  if (pool.AllowUnauthenticatedIdentities && !pool.Roles.unauthenticated && !settingsUnread) {
    findings.push(
      finding(
        'POOL_UNAUTH_NO_ROLE',
        subject,
        `Identity pool ${pool.IdentityPoolId} allows guests (unauthenticated identities) but has no unauthenticated role.`,
        `Set an unauthenticated role (aws cognito-identity set-identity-pool-roles --identity-pool-id ${pool.IdentityPoolId} --roles unauthenticated=<ARN>,...), or turn guest access off.`,
        { symptom: 'InvalidIdentityPoolConfigurationException' },
      ),
    );
  }
  const fallbacks: string[] = [];
  for (const provider of providersOf(pool)) {
    for (const key of mappingKeysOf(provider)) {
      const mapping = roleMappingOf(pool, provider, key);
      if (!mapping) {
        fallbacks.push(`${key} has no role mapping`);
        continue;
      }
      if ((mapping.AmbiguousRoleResolution ?? 'AuthenticatedRole') === 'AuthenticatedRole') fallbacks.push(`${key} resolves ambiguity with AuthenticatedRole`);
      else findings.push(...ambiguousDeny(pool, key, mapping.Type, index));
    }
  }
  findings.push(...checkTokenMappings(pool));
  for (const key of Object.keys(pool.RoleMappings)) {
    if (settingsUnread) break;
    if (!isKnownMappingKey(pool, key)) {
      findings.push(
        finding(
          'MAPPING_UNKNOWN_PROVIDER',
          { kind: 'roleMapping', id: `${pool.IdentityPoolId}/${key}` },
          `Identity pool ${pool.IdentityPoolId} has a role mapping for ${key}, but that provider and app client are not among its providers: the mapping is never used.`,
          'Add the provider and client to the identity pool, or remove the mapping.',
          { related: [subject] },
        ),
      );
    }
  }
  if (fallbacks.length > 0 && !pool.Roles.authenticated) {
    findings.push(
      finding(
        'POOL_NO_AUTHENTICATED_ROLE',
        subject,
        `Identity pool ${pool.IdentityPoolId} has no authenticated role, but sign-ins fall back to it: ${fallbacks.join('; ')}.`,
        `Set an authenticated role (aws cognito-identity set-identity-pool-roles --identity-pool-id ${pool.IdentityPoolId} --roles authenticated=<ARN>), or make every path choose a role.`,
        { symptom: 'InvalidIdentityPoolConfigurationException' },
      ),
    );
  }
  return findings;
}

function ambiguousDeny(pool: IdentityPool, key: string, type: 'Token' | 'Rules', index: SnapshotIndex): Finding[] {
  const provider = key.slice(0, key.lastIndexOf(':'));
  const parsed = parseProviderName(provider);
  const userPool = parsed ? index.userPoolsById.get(parsed.userPoolId) : undefined;
  const cases: string[] = [];
  if (type === 'Token') {
    if (userPool) {
      const withRole = userPool.Groups.filter((g) => g.RoleArn);
      const ties = new Map<string, Set<string>>();
      for (const g of withRole) {
        const k = String(g.Precedence ?? 'null');
        ties.set(k, (ties.get(k) ?? new Set()).add(g.RoleArn!));
      }
      for (const [precedence, roles] of ties) if (roles.size > 1) cases.push(`groups tied at ${precedence === 'null' ? 'no precedence' : `precedence ${precedence}`} with different roles`);
      const roleless = userPool.Groups.filter((g) => !g.RoleArn).map((g) => g.GroupName);
      if (roleless.length) cases.push(`members of only role-less groups (${roleless.join(', ')})`);
      const noGroup = userPool.Users?.filter((u) => u.Groups.length === 0).map((u) => u.Username);
      cases.push(noGroup && noGroup.length ? `users in no group (${noGroup.join(', ')})` : 'users in no group');
    } else {
      cases.push('users whose token carries no cognito:preferred_role');
    }
  } else {
    cases.push('users that no rule matches');
  }
  return [
    finding(
      'POOL_AMBIGUOUS_DENY',
      { kind: 'roleMapping', id: `${pool.IdentityPoolId}/${key}` },
      `Identity pool ${pool.IdentityPoolId} resolves ambiguous roles for ${key} with Deny: ${cases.join(', ')} get NotAuthorizedException.`,
      type === 'Token'
        ? 'Give every signed-in user exactly one best role (distinct precedences, a role group for everyone), or set AmbiguousRoleResolution to AuthenticatedRole with a least-privilege authenticated role.'
        : 'Add a final rule that matches every user, or set AmbiguousRoleResolution to AuthenticatedRole with a least-privilege authenticated role.',
      { related: [poolSubject(pool)], symptom: 'NotAuthorizedException' },
    ),
  ];
}

function checkUsers(snapshot: Snapshot, pool: UserPool, index: SnapshotIndex, gaps: GapIndex): Finding[] {
  if (!pool.Users) return [];
  // Without the groups, a user's claims cannot be predicted.
  if (gaps.userPoolGroups(pool.Id)) return [];
  const findings: Finding[] = [];
  const provider = providerNameFor(snapshot.region, pool.Id);
  const entries = snapshot.identityPools.filter((ip) => !gaps.identityPool(ip.IdentityPoolId)).flatMap((ip) => ip.CognitoIdentityProviders.filter((p) => p.ProviderName === provider).map((p) => ({ ip, clientId: p.ClientId })));
  for (const user of pool.Users) {
    const subject: FindingSubject = { kind: 'user', id: `${pool.Id}/${user.Username}` };
    const prediction = predictClaims(pool, user.Groups);
    if (prediction.tie) {
      findings.push(
        finding(
          'USER_NO_PREFERRED_ROLE',
          subject,
          `User ${user.Username} is in groups ${prediction.tie.groups.join(' and ')}, tied at ${formatPrecedence(prediction.tie.precedence)} with different roles: the token carries no cognito:preferred_role.`,
          `Give ${prediction.tie.groups.join(' and ')} different precedences, or move the user out of one of them.`,
          { related: prediction.tie.groups.map((g) => ({ kind: 'group' as const, id: `${pool.Id}/${g}` })) },
        ),
      );
    }
    for (const { ip, clientId } of entries) {
      const result = simulate(snapshot, { userPoolId: pool.Id, clientId, identityPoolId: ip.IdentityPoolId, user: user.Username }, index);
      const error = result.resolution.error;
      if (!error) continue;
      findings.push(
        finding(
          'USER_SIGN_IN_FAILS',
          subject,
          `User ${user.Username} signing in through app client ${clientId} to identity pool ${ip.IdentityPoolId} gets ${error.code}: ${error.message}${result.resolution.findings.length ? ` (because of ${result.resolution.findings.join(', ')})` : ''}`,
          result.resolution.findings.length ? `Fix the ${result.resolution.findings.join(', ')} finding${result.resolution.findings.length > 1 ? 's' : ''}.` : `See the reasoning: cognito-access simulate --user ${user.Username} --identity-pool ${ip.IdentityPoolId}.`,
          { related: [poolSubject(ip)], symptom: error.code },
        ),
      );
    }
  }
  return findings;
}

