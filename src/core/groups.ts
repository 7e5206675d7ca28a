// Groups to token claims (cognito-semantics.md section 1, [CDG/role-based-access-control]):
// which cognito:groups, cognito:roles and cognito:preferred_role a user pool puts in the ID token.
import type { Group, UserPool } from './snapshot.ts';
import { roleNameFromArn } from './snapshot.ts';

export interface PredictedClaims {
  'cognito:groups': string[];
  /** Null when none of the user's groups carries a role (the claim is absent). */
  'cognito:roles': string[] | null;
  /** Null when the claim is absent (no role, or a precedence tie between different roles). */
  'cognito:preferred_role': string | null;
}

export interface ClaimsPrediction {
  claims: PredictedClaims;
  /** The reasoning, in order, as short sentences. */
  steps: string[];
  /** Set when the best precedence is shared by groups with different roles. */
  tie: { precedence: number | null; groups: string[]; roles: string[] } | null;
  /** Names the user is said to be in that the pool does not have. */
  unknownGroups: string[];
  /** True when part of the answer rests on an unconfirmed rule (a null-precedence tie, a role-less best group). */
  inferred: boolean;
}

/** Orders precedence values: lower wins, null loses to any number. */
export function comparePrecedence(a: number | null | undefined, b: number | null | undefined): number {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return x - y;
}

export function formatPrecedence(p: number | null | undefined): string {
  return p === null || p === undefined ? 'no precedence' : `precedence ${p}`;
}

/** Predicts the cognito:* claims for a user who is in `groupNames` of `pool`. */
export function predictClaims(pool: Pick<UserPool, 'Groups'>, groupNames: readonly string[]): ClaimsPrediction {
  const byName = groupsByName(pool.Groups);
  const groups: Group[] = [];
  const unknownGroups: string[] = [];
  const steps: string[] = [];
  for (const name of new Set(groupNames)) {
    const group = byName.get(name);
    if (group) groups.push(group);
    else unknownGroups.push(name);
  }
  if (unknownGroups.length > 0) {
    steps.push(`The pool has no group named ${unknownGroups.map(quote).join(', ')}; ignored.`);
  }
  if (groups.length === 0) {
    steps.push('The user is in no group: the token carries no cognito:groups, cognito:roles or cognito:preferred_role.');
    return { claims: { 'cognito:groups': [], 'cognito:roles': null, 'cognito:preferred_role': null }, steps, tie: null, unknownGroups, inferred: false };
  }
  steps.push(`cognito:groups lists every group of the user: ${groups.map((g) => g.GroupName).join(', ')}.`);

  const withRole = groups.filter((g): g is Group & { RoleArn: string } => typeof g.RoleArn === 'string' && g.RoleArn.length > 0);
  const roles = [...new Set(withRole.map((g) => g.RoleArn))];
  const roleless = groups.filter((g) => !g.RoleArn);
  let inferred = false;
  if (roles.length === 0) {
    steps.push('None of these groups has an IAM role: no cognito:roles and no cognito:preferred_role.');
    return { claims: { 'cognito:groups': groups.map((g) => g.GroupName), 'cognito:roles': null, 'cognito:preferred_role': null }, steps, tie: null, unknownGroups, inferred };
  }
  steps.push(`cognito:roles lists the roles of the groups that have one: ${roles.map(roleNameFromArn).join(', ')}.`);
  const bestOverall = [...groups].sort((a, b) => comparePrecedence(a.Precedence, b.Precedence))[0]!;
  if (roleless.length > 0 && !bestOverall.RoleArn && comparePrecedence(bestOverall.Precedence, minPrecedence(withRole)) < 0) {
    inferred = true;
    steps.push(
      `Group ${bestOverall.GroupName} (${formatPrecedence(bestOverall.Precedence)}) has the best precedence but no role; it is skipped (inferred from the API wording "whose role ARN is given").`,
    );
  }

  let preferred: string | null;
  let tie: ClaimsPrediction['tie'] = null;
  if (roles.length === 1) {
    preferred = roles[0]!;
    steps.push(`Only one role among the groups, so it is the preferred role: ${roleNameFromArn(preferred)}.`);
  } else {
    const best = minPrecedence(withRole);
    const top = withRole.filter((g) => comparePrecedence(g.Precedence, best) === 0);
    const topRoles = [...new Set(top.map((g) => g.RoleArn))];
    if (topRoles.length === 1) {
      preferred = topRoles[0]!;
      const who = top.length > 1 ? `groups ${top.map((g) => g.GroupName).join(' and ')} share ${formatPrecedence(best)} and the same role` : `group ${top[0]!.GroupName} has the lowest precedence (${formatPrecedence(best)})`;
      steps.push(`The lowest precedence wins: ${who}, so cognito:preferred_role is ${roleNameFromArn(preferred)}.`);
    } else {
      preferred = null;
      tie = { precedence: best, groups: top.map((g) => g.GroupName), roles: topRoles };
      if (best === null) inferred = true;
      steps.push(
        `Groups ${top.map((g) => g.GroupName).join(' and ')} tie at ${formatPrecedence(best)} with different roles (${topRoles.map(roleNameFromArn).join(', ')}): the token carries no cognito:preferred_role${best === null ? ' (inferred: null precedence follows the tie rule)' : ''}.`,
      );
    }
  }
  return {
    claims: { 'cognito:groups': groups.map((g) => g.GroupName), 'cognito:roles': roles, 'cognito:preferred_role': preferred },
    steps,
    tie,
    unknownGroups,
    inferred,
  };
}

/** Group look-up by name, built once per group list (a pool holds up to 10,000 groups). */
const byNameCache = new WeakMap<readonly Group[], Map<string, Group>>();
function groupsByName(groups: readonly Group[]): Map<string, Group> {
  let map = byNameCache.get(groups);
  if (!map) {
    map = new Map(groups.map((g) => [g.GroupName, g]));
    byNameCache.set(groups, map);
  }
  return map;
}

function minPrecedence(groups: readonly Group[]): number | null {
  let best: number | null | undefined;
  for (const g of groups) {
    if (best === undefined || comparePrecedence(g.Precedence, best) < 0) best = g.Precedence ?? null;
  }
  return best ?? null;
}

function quote(s: string): string {
  return JSON.stringify(s);
}
