// Identity pool role choice (cognito-semantics.md section 2, enhanced flow): which role
// GetCredentialsForIdentity hands out for a login, or which error it answers. Sources:
// [CDG/role-based-access-control] (Token and Rules mappings, AmbiguousRoleResolution),
// [CI-API] GetCredentialsForIdentity / GetId, [CDG/iam-roles] (guests).
import type { IdentityPool, MappingRule, RoleMapping } from './snapshot.ts';
import { parseProviderName, roleNameFromArn } from './snapshot.ts';
import { claimList } from './claims.ts';
import type { PoolProvider } from './providers.ts';
import { describeProvider, findProvider, providersOf, roleMappingOf, supportsTokenMapping } from './providers.ts';
import { ownValue } from './records.ts';

export type RoleSource = 'custom-role-arn' | 'preferred-role' | 'rule' | 'authenticated-role' | 'unauthenticated-role' | 'basic-flow';

export interface CognitoError {
  code: string;
  message: string;
}

/** The login presented to the identity pool: the ID token's facts, or null for a guest. */
export interface Login {
  /**
   * The Logins key: `cognito-idp.<region>.amazonaws.com/<UserPoolId>` (from the token's issuer),
   * or another provider of the pool (`accounts.google.com`, an OIDC host, a SAML provider ARN, the
   * developer provider).
   */
  providerName: string;
  /** The token's `aud`: the app client id (user pools; '' for other providers). */
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
  /** The provider of the login (null for a guest or a provider the pool does not list). */
  provider?: PoolProvider | null;
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
  customRoleNotInToken: (arn: string, claim = 'cognito:roles'): CognitoError => ({
    code: 'NotAuthorizedException',
    message: `The custom role ${arn} is not one of the roles in the token (${claim}).`,
  }),
  basicFlowDisabled: { code: 'InvalidParameterException', message: 'Basic (classic) flow is not enabled, please use enhanced flow.' },
  // STS's own answer to a client's AssumeRoleWithWebIdentity that the trust policy refuses (basic flow).
  stsNotAuthorized: { code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' },
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

  const checked = checkLogin(pool, login);
  steps.push(...checked.steps);
  if (!checked.provider) return { ...base, roleArn: null, source: null, error: ERRORS.unsupportedProvider, identityKind: 'authenticated', steps, provider: null };
  const provider = checked.provider;
  const key = provider.kind === 'user-pool' ? mappingKeyFor(login.providerName, login.clientId) : provider.name;
  const mapping = roleMappingOf(pool, provider, key);
  if (!mapping) {
    steps.push(`No role mapping for ${provider.kind === 'user-pool' ? 'this provider and client' : key}: the pool's authenticated role applies.`);
    if (customRoleArn) steps.push(`CustomRoleArn ${customRoleArn} is ignored without a Token mapping (inferred).`);
    return { ...authenticatedRole(pool, steps), mappingKey: key, rule: null, inferred: Boolean(customRoleArn), provider };
  }
  const choice = mapping.Type === 'Token' ? fromToken(pool, mapping, login, provider, key, steps, customRoleArn) : fromRules(pool, mapping, login, key, steps);
  return { ...choice, provider };
}

/**
 * Is the login from a provider of this pool? Cognito user pools must match a CognitoIdentityProviders
 * entry (pool and client); other Logins keys must be a SupportedLoginProviders key, an OIDC
 * provider's host, a SAML provider ARN or the developer provider. Otherwise NotAuthorizedException
 * "Token is not from a supported provider of this identity pool." (cognito-semantics.md section 5).
 */
export function checkLogin(pool: IdentityPool, login: Login): { provider: PoolProvider | null; steps: string[] } {
  const steps: string[] = [];
  if (parseProviderName(login.providerName) || pool.CognitoIdentityProviders.some((p) => p.ProviderName === login.providerName)) {
    const entry = pool.CognitoIdentityProviders.find((p) => p.ProviderName === login.providerName && p.ClientId === login.clientId);
    if (!entry) {
      const samePool = pool.CognitoIdentityProviders.filter((p) => p.ProviderName === login.providerName);
      steps.push(
        samePool.length > 0
          ? `The identity pool trusts ${login.providerName}, but only for app client${samePool.length > 1 ? 's' : ''} ${samePool.map((p) => p.ClientId).join(', ')}, not ${login.clientId}.`
          : `The identity pool does not list ${login.providerName} among its Cognito providers${pool.CognitoIdentityProviders.length ? ` (it lists ${pool.CognitoIdentityProviders.map((p) => `${p.ProviderName} / ${p.ClientId}`).join(', ')})` : ''}.`,
      );
      return { provider: null, steps };
    }
    steps.push(`The token comes from ${login.providerName}, app client ${login.clientId}: a provider of identity pool ${pool.IdentityPoolId}.`);
    return { provider: providersOf(pool).find((p) => p.name === login.providerName) ?? null, steps };
  }
  const provider = findProvider(pool, login.providerName);
  if (!provider || provider.kind === 'user-pool') {
    const others = providersOf(pool).filter((p) => p.kind !== 'user-pool').map((p) => p.name);
    steps.push(`The identity pool does not list ${login.providerName} among its providers${others.length ? ` (its other providers: ${others.join(', ')})` : ' (it has no provider besides Cognito user pools)'}.`);
    return { provider: null, steps };
  }
  steps.push(`The login comes from ${describeProvider(provider)}: a provider of identity pool ${pool.IdentityPoolId}${provider.name !== login.providerName ? ` (Logins key ${login.providerName})` : ''}.`);
  return { provider, steps };
}

/** The role claims of a token, by kind of provider (null: its tokens carry none). */
export function tokenRoles(provider: Pick<PoolProvider, 'kind'>, claims: Record<string, unknown>): { roles: string[]; preferred: string | null; rolesClaim: string; inferred: boolean } | null {
  if (provider.kind === 'user-pool') {
    const preferred = ownValue(claims, 'cognito:preferred_role');
    return { roles: claimList(ownValue(claims, 'cognito:roles')), preferred: typeof preferred === 'string' ? preferred : null, rolesClaim: 'cognito:roles', inferred: false };
  }
  if (provider.kind === 'oidc') {
    // Unconfirmed (cognito-semantics.md section 6): the spec names `roles` / `preferred_role`; a
    // Cognito-issued OIDC token names them `cognito:roles` / `cognito:preferred_role`. Both are read.
    const cognito = ownValue(claims, 'cognito:roles') !== undefined || ownValue(claims, 'cognito:preferred_role') !== undefined;
    const rolesClaim = cognito ? 'cognito:roles' : 'roles';
    const preferred = ownValue(claims, cognito ? 'cognito:preferred_role' : 'preferred_role');
    return { roles: claimList(ownValue(claims, rolesClaim)), preferred: typeof preferred === 'string' ? preferred : null, rolesClaim, inferred: true };
  }
  if (provider.kind === 'saml') {
    // Each value of the Role attribute is "<role ARN>,<SAML provider ARN>" (either order); a SAML
    // assertion names no preferred role: one role is taken, several need a CustomRoleArn (inferred).
    const rolesClaim = SAML_ROLE_ATTRIBUTE;
    const raw = ownValue(claims, rolesClaim);
    const roles = [...new Set(claimList(raw).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => /^arn:[^:]+:iam::\d{12}:role\//.test(v)))];
    return { roles, preferred: roles.length === 1 ? roles[0]! : null, rolesClaim, inferred: true };
  }
  return null;
}

/** The SAML attribute that carries roles (cognito-semantics.md section 6). */
export const SAML_ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';

function fromToken(
  pool: IdentityPool, mapping: RoleMapping, login: Login, provider: PoolProvider, key: string, steps: string[], customRoleArn?: string,
): Omit<RoleChoice, 'provider'> {
  steps.push('The role mapping is "Choose role from token" (Type Token).');
  const common = { mappingKey: key, rule: null, identityKind: 'authenticated' as const };
  const found = supportsTokenMapping(provider.kind) ? tokenRoles(provider, login.claims) : null;
  if (!found) {
    steps.push(`Tokens from ${describeProvider(provider)} carry no role claims, so a Token mapping never finds a role: the role is ambiguous.`);
    return { ...ambiguous(pool, mapping, login.providerName, steps), ...common };
  }
  const { roles, preferred, rolesClaim } = found;
  const inferredNote = found.inferred ? ` (${provider.kind === 'saml' ? 'SAML' : 'OIDC'} role claims are inferred)` : '';
  if (customRoleArn) {
    if (roles.includes(customRoleArn)) {
      steps.push(`The caller asks for CustomRoleArn ${roleNameFromArn(customRoleArn)}, which the token lists in ${rolesClaim}${inferredNote}.`);
      return { ...common, roleArn: customRoleArn, source: 'custom-role-arn', error: null, steps, inferred: found.inferred };
    }
    steps.push(`The caller asks for CustomRoleArn ${customRoleArn}, which the token does not list in ${rolesClaim}: denied (the exact error text is unconfirmed).`);
    return { ...common, roleArn: null, source: null, error: ERRORS.customRoleNotInToken(customRoleArn, rolesClaim), steps, inferred: true };
  }
  if (preferred) {
    steps.push(
      provider.kind === 'saml'
        ? `The assertion's ${rolesClaim} lists one role, ${roleNameFromArn(preferred)}${inferredNote}.`
        : `The token's ${rolesClaim === 'roles' ? 'preferred_role' : 'cognito:preferred_role'} is ${roleNameFromArn(preferred)}${inferredNote}.`,
    );
    return { ...common, roleArn: preferred, source: 'preferred-role', error: null, steps, inferred: found.inferred };
  }
  steps.push(
    provider.kind !== 'user-pool'
      ? `The token names ${roles.length} role${roles.length === 1 ? '' : 's'} in ${rolesClaim} and no preferred one${inferredNote}: the role is ambiguous.`
      : roles.length > 1
        ? `The token lists ${roles.length} roles but no cognito:preferred_role (a precedence tie): the role is ambiguous.`
        : 'The token carries no cognito:preferred_role (the user is in no group with a role): the role is ambiguous.',
  );
  const result = ambiguous(pool, mapping, login.providerName, steps);
  return { ...result, ...common, inferred: result.inferred || found.inferred };
}

function fromRules(pool: IdentityPool, mapping: RoleMapping, login: Login, key: string, steps: string[]): Omit<RoleChoice, 'provider'> {
  const rules = mapping.RulesConfiguration?.Rules ?? [];
  steps.push(`The role mapping is "Choose role with rules" (Type Rules, ${rules.length} rule${rules.length === 1 ? '' : 's'}); the first rule that matches wins.`);
  let inferred = false;
  for (const [index, rule] of rules.entries()) {
    // Own claims only: a rule on `toString` or `constructor` must not see Object.prototype's.
    const outcome = matchRule(rule, ownValue(login.claims, rule.Claim));
    if (outcome.arrayClaim) inferred = true;
    // Rules are numbered as findings and policies number their parts: Rules[0] is the first.
    steps.push(`Rules[${index}]: ${rule.Claim} ${rule.MatchType} ${JSON.stringify(rule.Value)}: ${outcome.matched ? 'matches' : 'no match'} (${outcome.why}).`);
    if (outcome.matched) {
      steps.push(`Rules[${index}] gives role ${roleNameFromArn(rule.RoleARN)}.`);
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

/**
 * Basic (classic) flow [CDG/authentication-flow; cognito-semantics.md sections 5 and 6]: the pool
 * must allow it, the login must be from one of its providers (GetId / GetOpenIdToken check that),
 * and then the client calls STS with the role it wants: role mappings and precedence do not apply.
 */
export function basicFlowChoice(pool: IdentityPool, login: Login | null, roleArn: string): RoleChoice {
  const steps = ['Basic (classic) flow: the client calls GetId and GetOpenIdToken, then STS AssumeRoleWithWebIdentity itself with the role it chooses.'];
  const kind: 'authenticated' | 'unauthenticated' = login ? 'authenticated' : 'unauthenticated';
  const none = { roleArn: null, source: null, identityKind: kind, mappingKey: null, rule: null, inferred: false, steps } as const;
  if (!pool.AllowClassicFlow) {
    steps.push(`Identity pool ${pool.IdentityPoolId} does not allow the basic flow (AllowClassicFlow is false): GetOpenIdToken is refused.`);
    return { ...none, error: ERRORS.basicFlowDisabled, provider: null };
  }
  let provider: PoolProvider | null = null;
  if (login) {
    const checked = checkLogin(pool, login);
    steps.push(...checked.steps);
    if (!checked.provider) return { ...none, error: ERRORS.unsupportedProvider, provider: null };
    provider = checked.provider;
  } else if (!pool.AllowUnauthenticatedIdentities) {
    steps.push(`Identity pool ${pool.IdentityPoolId} does not allow unauthenticated identities.`);
    return { ...none, error: ERRORS.guestsDisabled, provider: null };
  }
  steps.push(`The client asks STS for role ${roleNameFromArn(roleArn)} with Cognito's OpenID token: role mappings, rules and group precedence do not apply; the role's trust policy alone decides.`);
  return { ...none, roleArn, source: 'basic-flow', error: null, provider };
}
