// Identity pool role choice (cognito-semantics.md section 2, enhanced flow): which role
// GetCredentialsForIdentity hands out for a login, or which error it answers. Sources:
// [CDG/role-based-access-control] (Token and Rules mappings, AmbiguousRoleResolution),
// [CI-API] GetCredentialsForIdentity / GetId, [CDG/iam-roles] (guests).
import type { IdentityPool, MappingRule, RoleMapping } from './snapshot.ts';
import { roleNameFromArn } from './snapshot.ts';
import { claimList } from './claims.ts';
import { ownValue } from './records.ts';

export type RoleSource = 'custom-role-arn' | 'preferred-role' | 'rule' | 'authenticated-role' | 'unauthenticated-role';

export interface CognitoError {
  code: string;
  message: string;
}

/** The login presented to the identity pool: the ID token's facts, or null for a guest. */
export interface Login {
  /** `cognito-idp.<region>.amazonaws.com/<UserPoolId>`: the Logins key, from the token's issuer. */
  providerName: string;
  /** The token's `aud`: the app client id. */
  clientId: string;
  /** Every claim of the ID token (cognito:groups, cognito:roles, cognito:preferred_role, custom:x, ...). */
  claims: Record<string, unknown>;
}

export interface RoleChoice {
  /** The chosen role, or null with `error` set. */
  roleArn: string | null;
  source: RoleSource | null;
  error: CognitoError | null;
  /** authenticated or unauthenticated: the kind of identity the role is used for (the trust policy's amr). */
  identityKind: 'authenticated' | 'unauthenticated';
  /** The role-mapping key consulted, `<ProviderName>:<ClientId>`, when there was one. */
  mappingKey: string | null;
  /** The rule that matched (Rules mappings). */
  rule: { index: number; rule: MappingRule } | null;
  steps: string[];
  /** True when part of the answer rests on unconfirmed behaviour (see cognito-semantics.md). */
  inferred: boolean;
}

export const ERRORS = {
  unsupportedProvider: { code: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' },
  guestsDisabled: { code: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' },
  invalidConfiguration: {
    code: 'InvalidIdentityPoolConfigurationException',
    message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
  },
  ambiguousDeny: (provider: string): CognitoError => ({
    code: 'NotAuthorizedException',
    message: `The ambiguous role mapping rules for: ${provider} denied this request.`,
  }),
  // Unconfirmed: AWS does not document the text for a CustomRoleArn that the token does not list.
  customRoleNotInToken: (arn: string): CognitoError => ({
    code: 'NotAuthorizedException',
    message: `The custom role ${arn} is not one of the roles in the token (cognito:roles).`,
  }),
} as const;

export function mappingKeyFor(providerName: string, clientId: string): string {
  return `${providerName}:${clientId}`;
}

/** Chooses the role an identity pool hands out for `login` (null: a guest). */
export function chooseRole(pool: IdentityPool, login: Login | null, customRoleArn?: string): RoleChoice {
  const steps: string[] = [];
  const base = { mappingKey: null, rule: null, inferred: false } as const;
  if (!login) {
    steps.push('No login: the caller asks for guest (unauthenticated) credentials.');
    if (!pool.AllowUnauthenticatedIdentities) {
      steps.push(`Identity pool ${pool.IdentityPoolId} does not allow unauthenticated identities.`);
      return { ...base, roleArn: null, source: null, error: ERRORS.guestsDisabled, identityKind: 'unauthenticated', steps };
    }
    const role = pool.Roles.unauthenticated;
    if (!role) {
      steps.push('Guests are allowed, but the pool has no unauthenticated role.');
      return { ...base, roleArn: null, source: null, error: ERRORS.invalidConfiguration, identityKind: 'unauthenticated', steps };
    }
    steps.push(`Guests get the pool's unauthenticated role ${roleNameFromArn(role)}.`);
    return { ...base, roleArn: role, source: 'unauthenticated-role', error: null, identityKind: 'unauthenticated', steps };
  }

  const provider = pool.CognitoIdentityProviders.find((p) => p.ProviderName === login.providerName && p.ClientId === login.clientId);
  if (!provider) {
    const samePool = pool.CognitoIdentityProviders.filter((p) => p.ProviderName === login.providerName);
    steps.push(
      samePool.length > 0
        ? `The identity pool trusts ${login.providerName}, but only for app client${samePool.length > 1 ? 's' : ''} ${samePool.map((p) => p.ClientId).join(', ')}, not ${login.clientId}.`
        : `The identity pool does not list ${login.providerName} among its Cognito providers${pool.CognitoIdentityProviders.length ? ` (it lists ${pool.CognitoIdentityProviders.map((p) => `${p.ProviderName} / ${p.ClientId}`).join(', ')})` : ''}.`,
    );
    return { ...base, roleArn: null, source: null, error: ERRORS.unsupportedProvider, identityKind: 'authenticated', steps };
  }
  steps.push(`The token comes from ${login.providerName}, app client ${login.clientId}: a provider of identity pool ${pool.IdentityPoolId}.`);

  const key = mappingKeyFor(login.providerName, login.clientId);
  const mapping = ownValue(pool.RoleMappings, key);
  if (!mapping) {
    steps.push('No role mapping for this provider and client: the pool\'s authenticated role applies.');
    if (customRoleArn) steps.push(`CustomRoleArn ${customRoleArn} is ignored without a Token mapping (inferred).`);
    return { ...authenticatedRole(pool, steps), mappingKey: key, rule: null, inferred: Boolean(customRoleArn) };
  }
  const choice = mapping.Type === 'Token' ? fromToken(pool, mapping, login, key, steps, customRoleArn) : fromRules(pool, mapping, login, key, steps);
  return choice;
}

function fromToken(pool: IdentityPool, mapping: RoleMapping, login: Login, key: string, steps: string[], customRoleArn?: string): RoleChoice {
  const roles = claimList(login.claims['cognito:roles']);
  const preferred = typeof login.claims['cognito:preferred_role'] === 'string' ? (login.claims['cognito:preferred_role'] as string) : null;
  steps.push('The role mapping is "Choose role from token" (Type Token).');
  const common = { mappingKey: key, rule: null, identityKind: 'authenticated' as const };
  if (customRoleArn) {
    if (roles.includes(customRoleArn)) {
      steps.push(`The caller asks for CustomRoleArn ${roleNameFromArn(customRoleArn)}, which the token lists in cognito:roles.`);
      return { ...common, roleArn: customRoleArn, source: 'custom-role-arn', error: null, steps, inferred: false };
    }
    steps.push(`The caller asks for CustomRoleArn ${customRoleArn}, which the token does not list in cognito:roles: denied (the exact error text is unconfirmed).`);
    return { ...common, roleArn: null, source: null, error: ERRORS.customRoleNotInToken(customRoleArn), steps, inferred: true };
  }
  if (preferred) {
    steps.push(`The token's cognito:preferred_role is ${roleNameFromArn(preferred)}.`);
    return { ...common, roleArn: preferred, source: 'preferred-role', error: null, steps, inferred: false };
  }
  steps.push(
    roles.length > 1
      ? `The token lists ${roles.length} roles but no cognito:preferred_role (a precedence tie): the role is ambiguous.`
      : 'The token carries no cognito:preferred_role (the user is in no group with a role): the role is ambiguous.',
  );
  return { ...ambiguous(pool, mapping, login.providerName, steps), ...common };
}

function fromRules(pool: IdentityPool, mapping: RoleMapping, login: Login, key: string, steps: string[]): RoleChoice {
  const rules = mapping.RulesConfiguration?.Rules ?? [];
  steps.push(`The role mapping is "Choose role with rules" (Type Rules, ${rules.length} rule${rules.length === 1 ? '' : 's'}); the first rule that matches wins.`);
  let inferred = false;
  for (const [index, rule] of rules.entries()) {
    // Own claims only: a rule on `toString` or `constructor` must not see Object.prototype's.
    const outcome = matchRule(rule, ownValue(login.claims, rule.Claim));
    if (outcome.arrayClaim) inferred = true;
    steps.push(`Rule ${index + 1}: ${rule.Claim} ${rule.MatchType} ${JSON.stringify(rule.Value)}: ${outcome.matched ? 'matches' : 'no match'} (${outcome.why}).`);
    if (outcome.matched) {
      steps.push(`Rule ${index + 1} gives role ${roleNameFromArn(rule.RoleARN)}.`);
      return { roleArn: rule.RoleARN, source: 'rule', error: null, identityKind: 'authenticated', mappingKey: key, rule: { index, rule }, steps, inferred };
    }
  }
  steps.push('No rule matches: the role is ambiguous.');
  const result = ambiguous(pool, mapping, login.providerName, steps);
  return { ...result, mappingKey: key, rule: null, inferred: inferred || result.inferred };
}

/**
 * One rule against one claim. A missing claim matches nothing, NotEqual included
 * [CDG/role-based-access-control]. Array claims (cognito:groups) are matched element by element:
 * any element that satisfies Equals/Contains/StartsWith matches, NotEqual needs every element to
 * differ (inferred: AWS does not document multivalued claims in rules).
 */
export function matchRule(rule: MappingRule, claim: unknown): { matched: boolean; why: string; arrayClaim: boolean } {
  if (claim === undefined || claim === null) return { matched: false, why: `the token has no ${rule.Claim} claim`, arrayClaim: false };
  const values = Array.isArray(claim) ? claim.map(String) : [typeof claim === 'string' ? claim : JSON.stringify(claim)];
  const arrayClaim = Array.isArray(claim);
  const shown = arrayClaim ? JSON.stringify(values) : JSON.stringify(values[0]);
  const test = (v: string): boolean => {
    switch (rule.MatchType) {
      case 'Equals':
        return v === rule.Value;
      case 'Contains':
        return v.includes(rule.Value);
      case 'StartsWith':
        return v.startsWith(rule.Value);
      case 'NotEqual':
        return v !== rule.Value;
    }
  };
  const matched = rule.MatchType === 'NotEqual' ? values.every(test) : values.some(test);
  return { matched, why: `the token has ${rule.Claim} = ${shown}`, arrayClaim };
}

function ambiguous(pool: IdentityPool, mapping: RoleMapping, providerName: string, steps: string[]): Omit<RoleChoice, 'mappingKey' | 'rule'> {
  const resolution = mapping.AmbiguousRoleResolution ?? 'AuthenticatedRole';
  if (resolution === 'Deny') {
    steps.push('AmbiguousRoleResolution is Deny: the request is refused.');
    return { roleArn: null, source: null, error: ERRORS.ambiguousDeny(providerName), identityKind: 'authenticated', steps, inferred: false };
  }
  steps.push(`AmbiguousRoleResolution is AuthenticatedRole${mapping.AmbiguousRoleResolution ? '' : ' (not set; the default)'}: the pool's authenticated role applies.`);
  return authenticatedRole(pool, steps);
}

function authenticatedRole(pool: IdentityPool, steps: string[]): Omit<RoleChoice, 'mappingKey' | 'rule'> {
  const role = pool.Roles.authenticated;
  if (!role) {
    steps.push('The pool has no authenticated role: no role is found.');
    return { roleArn: null, source: null, error: ERRORS.invalidConfiguration, identityKind: 'authenticated', steps, inferred: false };
  }
  steps.push(`The pool's authenticated role is ${roleNameFromArn(role)}.`);
  return { roleArn: role, source: 'authenticated-role', error: null, identityKind: 'authenticated', steps, inferred: false };
}
