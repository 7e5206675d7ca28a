// The identity pool's role choice, written from the documented rules (cognito-semantics.md
// sections 1 and 2) and on purpose not shared with src/: the sandbox is the second opinion the
// engine is compared against.

import type { RoleMapping } from './seed.ts';
import type { Claims } from './tokens.ts';

export interface PoolRoles {
  Roles: Record<string, string>;
  RoleMappings: Record<string, RoleMapping>;
}
export interface GroupInfo { GroupName: string; Precedence?: number | null; RoleArn?: string | null }
export interface RoleClaims { roles: string[]; preferred?: string }
export type RoleChoice = { roleArn: string } | { code: string; message: string };

/** cognito:roles and cognito:preferred_role as Cognito would put them into the user's token. */
export function roleClaimsFromGroups(groups: GroupInfo[]): RoleClaims {
  const withRole = groups.filter((g) => g.RoleArn);
  const roles = [...new Set(withRole.map((g) => g.RoleArn as string))];
  if (roles.length === 1) return { roles, preferred: roles[0] };
  const rank = (g: GroupInfo): number => (typeof g.Precedence === 'number' ? g.Precedence : Number.POSITIVE_INFINITY);
  const best = Math.min(...withRole.map(rank));
  // Null precedence loses to any number; a tie between different roles leaves no preferred role.
  const top = new Set(withRole.filter((g) => rank(g) === best).map((g) => g.RoleArn as string));
  return top.size === 1 ? { roles, preferred: [...top][0] } : { roles };
}

/** cognito:roles from a token: a JSON array in real tokens, a comma-separated string in the docs. */
export function rolesClaim(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  return undefined;
}

function claimMatches(claim: unknown, matchType: string, value: string): boolean {
  if (claim === undefined || claim === null) return false; // NotEqual on a missing claim does not match either
  // Multivalued claims (cognito:groups) match when one of their values does; NotEqual when none is equal.
  const values = Array.isArray(claim) ? claim.map(String) : [String(claim)];
  switch (matchType) {
    case 'Equals': return values.includes(value);
    case 'NotEqual': return !values.includes(value);
    case 'Contains': return values.some((v) => v.includes(value));
    case 'StartsWith': return values.some((v) => v.startsWith(value));
    default: return false;
  }
}

/**
 * The role for a signed-in identity. `roleClaims` are the token's cognito:roles /
 * cognito:preferred_role (or what the sandbox derived from the user's groups).
 */
export function chooseRole(pool: PoolRoles, providerName: string, clientId: string, claims: Claims,
  roleClaims: RoleClaims, customRoleArn?: string): RoleChoice {
  // User pools' mappings are keyed `<provider>:<client id>`; other providers' (OIDC, social) by the provider name.
  const own = (key: string): RoleMapping | undefined => (Object.hasOwn(pool.RoleMappings, key) ? pool.RoleMappings[key] : undefined);
  const mapping = own(`${providerName}:${clientId}`) ?? own(providerName);
  const authenticated = pool.Roles.authenticated;
  const noRole: RoleChoice = {
    code: 'InvalidIdentityPoolConfigurationException',
    message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
  };
  const orNoRole = (arn: string | undefined): RoleChoice => (arn ? { roleArn: arn } : noRole);
  // CustomRoleArn only chooses among the token's roles (Token mappings); elsewhere it is ignored.
  if (!mapping) return orNoRole(authenticated);

  let chosen: string | undefined;
  if (mapping.Type === 'Token') {
    if (customRoleArn) {
      if (roleClaims.roles.includes(customRoleArn)) return { roleArn: customRoleArn };
      // The exact text is unconfirmed (cognito-semantics.md section 2): inferred.
      return { code: 'NotAuthorizedException', message: `Role ${customRoleArn} is not in the token's cognito:roles.` };
    }
    chosen = roleClaims.preferred;
  } else {
    chosen = mapping.RulesConfiguration?.Rules.find((r) => claimMatches(claims[r.Claim], r.MatchType, r.Value))?.RoleARN;
  }
  if (chosen) return { roleArn: chosen };
  if (mapping.AmbiguousRoleResolution === 'Deny') {
    return { code: 'NotAuthorizedException', message: `The ambiguous role mapping rules for: ${providerName} denied this request.` };
  }
  return orNoRole(authenticated);
}
