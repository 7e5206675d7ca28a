// The identity providers of an identity pool (cognito-semantics.md section 6, "Other identity
// providers"; [CI-API] DescribeIdentityPool, [CDG/role-based-access-control]): Cognito user pools,
// social providers (SupportedLoginProviders), IAM OIDC and SAML providers, and the developer
// provider. Each has the name it goes by in Logins, in role-mapping keys, in principal-tag maps and
// in the amr of its identities.
import { matches } from './iam/patterns.ts';
import { ownValue } from './records.ts';
import type { IdentityPool, RoleMapping } from './snapshot.ts';
import { parseProviderName } from './snapshot.ts';

export type ProviderKind = 'user-pool' | 'google' | 'facebook' | 'amazon' | 'apple' | 'twitter' | 'social' | 'oidc' | 'saml' | 'developer';

export interface PoolProvider {
  /**
   * The provider's name: the Logins key, the role-mapping key (user pools add `:<ClientId>`), the
   * tag map's IdentityProviderName and the amr entry. `cognito-idp.<region>.amazonaws.com/<pool>`,
   * `accounts.google.com`, an OIDC provider's host and path, a SAML provider ARN, or the developer
   * provider name.
   */
  name: string;
  kind: ProviderKind;
  /** SupportedLoginProviders' value (the app id of a social provider). */
  appId?: string;
  /** The IAM provider ARN (OIDC, SAML). */
  arn?: string;
  /** User pools: the app clients the identity pool trusts. */
  clientIds?: string[];
}

/**
 * The Logins key of a developer-authenticated identity in GetCredentialsForIdentity: the OpenID
 * token that GetOpenIdTokenForDeveloperIdentity returned goes under `cognito-identity.amazonaws.com`
 * [CI-API GetOpenIdTokenForDeveloperIdentity: "the developer provider is the 'domain' by which
 * Cognito will refer to your users"; CDG/developer-authenticated-identities]. The simulation also
 * accepts the DeveloperProviderName itself.
 */
export const DEVELOPER_LOGINS_KEY = 'cognito-identity.amazonaws.com';

const SOCIAL: Readonly<Record<string, ProviderKind>> = {
  'accounts.google.com': 'google',
  'graph.facebook.com': 'facebook',
  'www.amazon.com': 'amazon',
  'appleid.apple.com': 'apple',
  'api.twitter.com': 'twitter',
};

const LABEL: Record<ProviderKind, string> = {
  'user-pool': 'Cognito user pool',
  google: 'Google',
  facebook: 'Facebook',
  amazon: 'Login with Amazon',
  apple: 'Sign in with Apple',
  twitter: 'Twitter',
  social: 'social provider',
  oidc: 'OIDC provider',
  saml: 'SAML provider',
  developer: 'developer provider',
};

/** `arn:aws:iam::123:oidc-provider/login.example.com/path` -> `login.example.com/path` (the Logins key). */
export function oidcProviderName(arn: string): string {
  const at = arn.indexOf(':oidc-provider/');
  return at >= 0 ? arn.slice(at + ':oidc-provider/'.length) : arn.replace(/^https?:\/\//, '');
}

/** "Google (accounts.google.com)", "OIDC provider login.example.com". */
export function describeProvider(provider: Pick<PoolProvider, 'name' | 'kind'>): string {
  if (provider.kind === 'user-pool' || provider.kind === 'oidc' || provider.kind === 'saml' || provider.kind === 'developer' || provider.kind === 'social') {
    return `${LABEL[provider.kind]} ${provider.name}`;
  }
  return `${LABEL[provider.kind]} (${provider.name})`;
}

const providersCache = new WeakMap<IdentityPool, PoolProvider[]>();

/** Every provider of an identity pool, user pools first; built once per pool object. */
export function providersOf(pool: IdentityPool): PoolProvider[] {
  let list = providersCache.get(pool);
  if (list) return list;
  list = [];
  const byUserPool = new Map<string, PoolProvider>();
  for (const p of pool.CognitoIdentityProviders) {
    let entry = byUserPool.get(p.ProviderName);
    if (!entry) {
      entry = { name: p.ProviderName, kind: 'user-pool', clientIds: [] };
      byUserPool.set(p.ProviderName, entry);
      list.push(entry);
    }
    entry.clientIds!.push(p.ClientId);
  }
  for (const [name, appId] of Object.entries(pool.SupportedLoginProviders ?? {})) {
    list.push({ name, kind: ownValue(SOCIAL, name.toLowerCase()) ?? 'social', appId });
  }
  for (const arn of pool.OpenIdConnectProviderARNs ?? []) list.push({ name: oidcProviderName(arn), kind: 'oidc', arn });
  for (const arn of pool.SamlProviderARNs ?? []) list.push({ name: arn, kind: 'saml', arn });
  if (pool.DeveloperProviderName) list.push({ name: pool.DeveloperProviderName, kind: 'developer' });
  providersCache.set(pool, list);
  return list;
}

/**
 * The provider a Logins key (or a tag map's IdentityProviderName) names. An OIDC provider is also
 * found by its ARN or its issuer URL; the developer provider also by `cognito-identity.amazonaws.com`.
 */
export function findProvider(pool: IdentityPool, name: string): PoolProvider | undefined {
  const providers = providersOf(pool);
  const exact = providers.find((p) => p.name === name);
  if (exact) return exact;
  if (name === DEVELOPER_LOGINS_KEY) return providers.find((p) => p.kind === 'developer');
  const host = oidcProviderName(name);
  return providers.find((p) => (p.kind === 'oidc' && (p.arn === name || p.name === host)) || (p.kind !== 'user-pool' && p.kind !== 'saml' && p.name.toLowerCase() === name.toLowerCase()));
}

/** The kind a provider name suggests, for a name the pool does not list (messages only). */
export function guessKind(name: string): ProviderKind {
  if (parseProviderName(name)) return 'user-pool';
  const social = ownValue(SOCIAL, name.toLowerCase());
  if (social) return social;
  if (/^arn:[^:]+:iam::\d{12}:saml-provider\//.test(name)) return 'saml';
  if (/^arn:[^:]+:iam::\d{12}:oidc-provider\//.test(name)) return 'oidc';
  return 'oidc';
}

/** The role-mapping keys of a provider: `<ProviderName>:<ClientId>` per client for a user pool, else its name. */
export function mappingKeysOf(provider: PoolProvider): string[] {
  return provider.kind === 'user-pool' ? (provider.clientIds ?? []).map((c) => `${provider.name}:${c}`) : [provider.name];
}

/** The provider a role-mapping key names (user pools: `<ProviderName>:<ClientId>`), or undefined. */
export function providerOfMappingKey(pool: IdentityPool, key: string): PoolProvider | undefined {
  for (const provider of providersOf(pool)) if (mappingKeysOf(provider).includes(key) || (provider.kind === 'oidc' && provider.arn === key)) return provider;
  return undefined;
}

/**
 * The role mapping under `key` (one of mappingKeysOf). An OIDC provider's mapping is looked up by
 * its Logins name (host and path), then by its ARN: AWS's examples key mappings by provider name;
 * whether an OIDC mapping may be keyed by ARN is not documented, so both are read (inferred).
 */
export function roleMappingOf(pool: IdentityPool, provider: PoolProvider, key: string): RoleMapping | undefined {
  return ownValue(pool.RoleMappings, key) ?? (provider.kind === 'oidc' && provider.arn ? ownValue(pool.RoleMappings, provider.arn) : undefined);
}

/**
 * Whether "Choose role from token" (Type Token) can work for this kind of provider: user pools
 * (cognito:roles, cognito:preferred_role), OIDC (role claims: unconfirmed) and SAML (the
 * https://aws.amazon.com/SAML/Attributes/Role attribute). Social and developer tokens carry no role
 * claims [CDG/role-based-access-control; cognito-semantics.md section 6].
 */
export function supportsTokenMapping(kind: ProviderKind): boolean {
  return kind === 'user-pool' || kind === 'oidc' || kind === 'saml';
}

/**
 * Every provider name the pool's signed-in identities can carry in amr (besides `authenticated`;
 * user pools also add `<provider>:CognitoSignIn:<sub>`, trust.ts amrFor).
 */
export function amrCatalogOf(pool: IdentityPool): string[] {
  return providersOf(pool).map((p) => p.name);
}

/**
 * Could some identity of the pool carry `value` in amr? An amr entry is a provider name, or a
 * provider name followed by `:` and more (`<user pool>:CognitoSignIn:<sub>`). StringLike values
 * may hold wildcards; IgnoreCase operators compare without case.
 */
export function amrPossible(value: string, catalog: string[], operator: string): boolean {
  const ci = /ignorecase/i.test(operator);
  const like = /like/i.test(operator);
  const norm = (text: string): string => (ci ? text.toLowerCase() : text);
  const v = norm(value);
  for (const name of catalog) {
    const n = norm(name);
    if (v === n || v.startsWith(`${n}:`)) return true;
    if (like && (matches(value, name, ci ? 'glob-ci' : 'glob', false) || matches(value, `${name}:CognitoSignIn:00000000-0000-4000-8000-000000000000`, ci ? 'glob-ci' : 'glob', false))) return true;
  }
  return false;
}

/** Why the values are not amr entries: a user pool id where the provider name is meant, or a near miss. */
export function describeAmrMiss(values: string[], catalog: string[]): string {
  for (const value of values) {
    if (/^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/.test(value)) {
      const provider = catalog.find((n) => n.endsWith(`/${value}`));
      return ` (${JSON.stringify(value)} is a user pool id; amr carries the provider name${provider ? ` ${JSON.stringify(provider)}` : ' cognito-idp.<region>.amazonaws.com/<pool id>'})`;
    }
  }
  return catalog.length > 0 ? ` (its providers put ${catalog.map((n) => JSON.stringify(n)).join(', ')})` : ' (it has no provider)';
}
