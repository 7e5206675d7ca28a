// InvalidIdentityPoolConfigurationException explained (cognito-semantics.md section 2, step 3):
// Cognito found no role for the identity, or STS refused to let it assume the role it chose. So
// every role the pool can hand out is diagnosed: whether its trust policy admits the pool (the
// trust fault and the corrected policy when not), and how many of the snapshot's users reach it
// (or which groups, when the snapshot lists no users), most reached first.
import { diagnose } from './diagnose.ts';
import type { Finding } from './findings.ts';
import { predictClaims } from './groups.ts';
import { chooseRole, type Login } from './identityPool.ts';
import type { IdentityPool, Snapshot, UserPool } from './snapshot.ts';
import { decodePolicyDocument, providerNameFor, roleNameFromArn } from './snapshot.ts';
import { statementRef } from './iam/explain.ts';
import { recommendedTrustStatement, type IdentityKind } from './trust.ts';
import { correctedTrustPolicy } from './trustFix.ts';
import { trustOfWay, trustTargetOfWay, userPoolsOf, waysOfPool, type WayIn } from './waysIn.ts';

export interface RoleTrustDiagnosis {
  roleArn: string;
  roleName: string;
  identityKind: IdentityKind;
  /** How the pool hands it out (group, rule, default role). */
  ways: string[];
  /** The snapshot's users who get this role (when it lists users), else the group sets that do (`group BooksRead`, `no group`). */
  reachedBy: string[];
  /** `users` when reachedBy holds user names, `groups` when group sets. */
  reachedAs: 'users' | 'groups';
  /** true: STS lets Cognito assume it for this pool; false: it refuses (the findings say why); null: not in the snapshot. */
  assumable: boolean | null;
  /** Why not, when the role is absent, missing or unreadable. */
  state: string | null;
  findings: Finding[];
  /** The trust statement that should admit Cognito and does not, as every output names statements. */
  failingStatement: string | null;
  /** The trust policy with the statement Cognito needs, as pretty JSON; null when nothing is wrong or the document is unreadable. */
  correctedTrustPolicy: string | null;
}

export interface PoolExplanation {
  identityPoolId: string;
  identityPoolName: string | null;
  roles: RoleTrustDiagnosis[];
}

export interface PoolErrorResult {
  title: string;
  summary: string;
  pool: PoolExplanation | null;
  needsIdentityPool: string[] | null;
  findings: Finding[];
  notes: string[];
}

export function explainPoolError(snapshot: Snapshot, identityPoolId: string | undefined): PoolErrorResult {
  const title = 'InvalidIdentityPoolConfigurationException';
  const ids = snapshot.identityPools.map((p) => p.IdentityPoolId);
  const pool = identityPoolId ? snapshot.identityPools.find((p) => p.IdentityPoolId === identityPoolId) : snapshot.identityPools.length === 1 ? snapshot.identityPools[0] : undefined;
  if (!pool) {
    const why = identityPoolId ? `Identity pool ${identityPoolId} is not in the snapshot` : ids.length === 0 ? 'The snapshot has no identity pool' : 'The message does not name the identity pool, and the snapshot has several';
    const listed = snapshot.identityPools.map((p) => (p.IdentityPoolName ? `${p.IdentityPoolName} (${p.IdentityPoolId})` : p.IdentityPoolId)).join(', ');
    return { title, summary: `${why}: ${listed || 'none'}.`, pool: null, needsIdentityPool: ids, findings: [], notes: [] };
  }
  const ways = waysOfPool(snapshot, pool);
  const reach = reachOf(snapshot, pool);
  const byRole = new Map<string, WayIn[]>();
  for (const way of ways) {
    if (way.closed) continue;
    const key = `${way.roleArn}|${way.identityKind}`;
    byRole.set(key, [...(byRole.get(key) ?? []), way]);
  }
  const sharing = (roleArn: string) => snapshot.identityPools.filter((p) => Object.values(p.Roles).includes(roleArn) || waysOfPool(snapshot, p).some((w) => w.roleArn === roleArn)).map((p) => p.IdentityPoolId);
  const roles: RoleTrustDiagnosis[] = [...byRole.values()].map((roleWays) => diagnoseRole(snapshot, roleWays, reach, sharing(roleWays[0]!.roleArn)));
  roles.sort((a, b) => b.reachedBy.length - a.reachedBy.length || Number(a.assumable !== false) - Number(b.assumable !== false) || a.roleName.localeCompare(b.roleName));

  const poolFindings = diagnose(snapshot).findings.filter((f) => f.severity === 'error' && f.symptom === 'InvalidIdentityPoolConfigurationException'
    && f.subject.kind !== 'user' && (f.subject.id === pool.IdentityPoolId || f.related?.some((r) => r.id === pool.IdentityPoolId)));
  const findings = dedupe([...roles.flatMap((r) => r.findings.filter((f) => f.severity === 'error')), ...poolFindings]);
  const explained = new Set(roles.flatMap((r) => r.findings.map(findingKey)));
  const broken = roles.filter((r) => r.assumable === false);
  const name = pool.IdentityPoolName ? `${pool.IdentityPoolName} (${pool.IdentityPoolId})` : pool.IdentityPoolId;
  const who = (r: RoleTrustDiagnosis) => r.reachedBy.length === 0 ? 'no one in the snapshot' : r.reachedAs === 'users' ? `${r.reachedBy.length} user${r.reachedBy.length === 1 ? '' : 's'} (${r.reachedBy.slice(0, 5).join(', ')}${r.reachedBy.length > 5 ? ', ...' : ''})` : r.reachedBy.join(', ');
  const parts = [`Cognito answers this when it finds no role for the identity, or when STS refuses to let it assume the role it chose (the role's trust policy).`];
  if (broken.length > 0) parts.push(`Identity pool ${name} hands out ${roles.length} role${roles.length === 1 ? '' : 's'}; ${broken.length} cannot be assumed: ${broken.map((r) => `${r.roleName}, reached by ${who(r)}: ${r.findings.find((f) => f.severity === 'error')?.message ?? 'its trust policy refuses'}`).join(' ')}`);
  else parts.push(`Every role identity pool ${name} hands out can be assumed according to the snapshot${poolFindings.length ? '' : '; if the error persists, the roles changed since the snapshot (refresh it), or a pre token generation trigger changed the token\'s roles'}.`);
  for (const f of dedupe(poolFindings)) if (!explained.has(findingKey(f))) parts.push(f.message);
  return { title: `${title}: identity pool ${pool.IdentityPoolName ?? pool.IdentityPoolId}`, summary: parts.join(' '), pool: { identityPoolId: pool.IdentityPoolId, identityPoolName: pool.IdentityPoolName ?? null, roles }, needsIdentityPool: null, findings, notes: [] };
}

function diagnoseRole(snapshot: Snapshot, ways: WayIn[], reach: Reach, sharedBy: string[]): RoleTrustDiagnosis {
  const way = ways[0]!;
  const role = snapshot.roles.find((r) => r.Arn === way.roleArn);
  const reached = reach.byRole.get(`${way.roleArn}|${way.identityKind}`) ?? new Set<string>();
  const result: RoleTrustDiagnosis = {
    roleArn: way.roleArn, roleName: roleNameFromArn(way.roleArn), identityKind: way.identityKind, ways: ways.map((w) => w.label),
    reachedBy: [...reached], reachedAs: reach.as, assumable: null, state: null, findings: [], failingStatement: null, correctedTrustPolicy: null,
  };
  if (!role) return { ...result, state: 'not in the snapshot: nothing is claimed about its trust policy' };
  if (role.Missing) return { ...result, assumable: false, state: 'does not exist: STS cannot assume it' };
  if (role.Unreadable) return { ...result, state: `could not be read (${role.Unreadable})` };
  const verdict = trustOfWay(snapshot, way);
  if (!verdict) return { ...result, state: 'its trust policy is not in the snapshot' };
  result.assumable = verdict.assumable;
  result.findings = dedupe(verdict.findings);
  if (verdict.assumable) return result;
  const explanation = verdict.decision?.explanation;
  const candidates = [explanation?.closest, ...(explanation?.notMatched ?? [])].filter((r): r is NonNullable<typeof r> => Boolean(r));
  const failing = candidates.find((r) => r.effect === 'Allow' && r.principalMatched && r.actionMatched && !r.conditionsMatched) ?? candidates[0];
  if (failing) result.failingStatement = `${statementRef(failing)} of the trust policy of ${role.RoleName}`;
  try {
    const document = decodePolicyDocument(role.AssumeRolePolicyDocument ?? '');
    const target = { ...trustTargetOfWay(snapshot, way), identityPoolId: way.identityPoolId, kind: way.identityKind, allPoolIds: sharedBy };
    result.correctedTrustPolicy = correctedTrustPolicy(document, recommendedTrustStatement(target), failing?.index);
  } catch {
    // An undecodable trust policy has its own finding; no corrected document then.
  }
  return result;
}

interface Reach {
  as: 'users' | 'groups';
  /** `roleArn|kind` -> who reaches it. */
  byRole: Map<string, Set<string>>;
}

/**
 * Who gets which role from `pool`: each listed user of each trusted user pool, through each of its
 * trusted app clients (the identity pool's role choice, before STS); without listed users, each
 * group alone and a user in no group.
 */
function reachOf(snapshot: Snapshot, pool: IdentityPool): Reach {
  const userPools = userPoolsOf(snapshot, pool);
  const hasUsers = userPools.some((p) => (p.Users?.length ?? 0) > 0);
  const byRole = new Map<string, Set<string>>();
  const note = (roleArn: string, kind: IdentityKind, who: string) => {
    const key = `${roleArn}|${kind}`;
    byRole.set(key, (byRole.get(key) ?? new Set<string>()).add(who));
  };
  for (const userPool of userPools) {
    const subjects = hasUsers
      ? (userPool.Users ?? []).map((u) => ({ who: u.Username, groups: u.Groups }))
      : [...userPool.Groups.map((g) => ({ who: `group ${g.GroupName}`, groups: [g.GroupName] })), { who: 'no group', groups: [] as string[] }];
    const provider = providerNameFor(snapshot.region, userPool.Id);
    const clients = pool.CognitoIdentityProviders.filter((p) => p.ProviderName === provider).map((p) => p.ClientId);
    for (const subject of subjects) {
      for (const clientId of clients) {
        const choice = chooseRole(pool, loginFor(snapshot, userPool, clientId, subject.groups));
        if (choice.roleArn) note(choice.roleArn, choice.identityKind, subject.who);
      }
    }
  }
  if (pool.AllowUnauthenticatedIdentities && pool.Roles.unauthenticated) note(pool.Roles.unauthenticated, 'unauthenticated', 'guests');
  return { as: hasUsers ? 'users' : 'groups', byRole };
}

/** The login a member of `groups` presents: the ID token's issuer, client and cognito:* claims. */
function loginFor(snapshot: Snapshot, userPool: UserPool, clientId: string, groups: string[]): Login {
  const claims: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const predicted = predictClaims(userPool, groups).claims;
  Object.assign(claims, { iss: `https://cognito-idp.${snapshot.region}.amazonaws.com/${userPool.Id}`, aud: clientId, token_use: 'id', 'cognito:groups': predicted['cognito:groups'] });
  if (predicted['cognito:roles']) claims['cognito:roles'] = predicted['cognito:roles'];
  if (predicted['cognito:preferred_role']) claims['cognito:preferred_role'] = predicted['cognito:preferred_role'];
  return { providerName: providerNameFor(snapshot.region, userPool.Id), clientId, claims };
}

const findingKey = (f: Finding): string => `${f.code}|${f.subject.id}|${f.message}`;

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (seen.has(findingKey(f))) return false;
    seen.add(findingKey(f));
    return true;
  });
}
