// What a user pool's ID tokens carry, which of those claims a user can set, and whether an app
// client signs users in at all: from the pool's schema (DescribeUserPool SchemaAttributes,
// AdminCreateUserConfig) and its clients' attribute permissions and flows (DescribeUserPoolClient).
// An attribute's claim has the attribute's name (`email`, `custom:role`).
import type { AppClient, UserPool } from './snapshot.ts';

/**
 * The standard attributes, the OIDC standard claims every user pool has [CDG/user-pool-settings-
 * attributes, "Standard attributes"]. `email_verified` and `phone_number_verified` are built-in
 * attributes beside them (VERIFIED_ATTRIBUTES).
 */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set([
  'address', 'birthdate', 'email', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name', 'nickname',
  'phone_number', 'picture', 'preferred_username', 'profile', 'sub', 'updated_at', 'website', 'zoneinfo',
]);
export const VERIFIED_ATTRIBUTES: ReadonlySet<string> = new Set(['email_verified', 'phone_number_verified']);

/**
 * Claims of a user pool ID token that are no user attribute [CDG/amazon-cognito-user-pools-using-
 * the-id-token: the default payload; `acr`/`amr` rolling out; `identities` for federated users;
 * `at_hash`/`nonce` from the authorization server].
 */
export const ID_TOKEN_CLAIMS: ReadonlySet<string> = new Set([
  'iss', 'aud', 'exp', 'iat', 'auth_time', 'token_use', 'jti', 'origin_jti', 'event_id', 'nonce', 'at_hash', 'acr', 'amr',
  'cognito:username', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role', 'identities',
]);

/** Claims of the access token only (the identity pool receives the ID token), with the ID token's counterpart. */
export const ACCESS_TOKEN_CLAIMS: ReadonlyMap<string, string | undefined> = new Map([
  ['username', 'cognito:username'], ['client_id', 'aud'], ['scope', undefined], ['version', undefined], ['device_key', undefined],
]);

/**
 * Attributes a client writes when it lists no WriteAttributes: "When you don't specify the
 * WriteAttributes for your app client, your app can write the values of the Standard attributes of
 * your user pool" [CI-IDP-API UserPoolClientType.WriteAttributes]; `sub` never changes. Older
 * reports say such a client writes every attribute, custom ones included: those stay "may".
 */
export const DEFAULT_WRITABLE: ReadonlySet<string> = new Set([...STANDARD_ATTRIBUTES].filter((a) => a !== 'sub'));

/**
 * "If you don't specify a value for ExplicitAuthFlows, your app client supports
 * ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH" [CI-IDP-API
 * UserPoolClientType.ExplicitAuthFlows]. An empty list is read the same way.
 */
export const DEFAULT_AUTH_FLOWS: readonly string[] = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

/**
 * How users get tokens from a client: its auth flows (every one but ALLOW_REFRESH_TOKEN_AUTH signs
 * a user in: SRP, password, admin password, custom, USER_AUTH, and the legacy names) and the OAuth
 * flows of managed login (`code`, `implicit`). A refresh token comes from one of those, and
 * `client_credentials` issues machine access tokens only, no user and no ID token [CI-IDP-API
 * UserPoolClientType.AllowedOAuthFlows]. Empty: the client cannot sign a user in.
 */
export function signInWays(client: AppClient): string[] {
  const flows = client.ExplicitAuthFlows?.length ? client.ExplicitAuthFlows : DEFAULT_AUTH_FLOWS;
  const oauth = (client.AllowedOAuthFlows ?? []).filter((f) => f === 'code' || f === 'implicit').map((f) => `OAuth ${f} grant`);
  return [...flows.filter((f) => f !== 'ALLOW_REFRESH_TOKEN_AUTH'), ...oauth];
}

/** The paths grouped by client: "app client web (id) lists custom:role in WriteAttributes; custom:role is mutable, so ...; and ...". */
export function describePaths(paths: WritePath[]): string {
  const byClient = new Map<AppClient, WritePath[]>();
  for (const path of paths) byClient.set(path.client, [...(byClient.get(path.client) ?? []), path]);
  return [...byClient.values()].map((list) => `${list[0]!.listed}; ${list.map((p) => p.how).join('; and ')}`).join('. Also, ');
}

export function describeClient(client: AppClient): string {
  return client.ClientName ? `${client.ClientName} (${client.ClientId})` : client.ClientId;
}

/** Self sign-up: closed by AdminCreateUserConfig.AllowAdminCreateUserOnly; open when not set (AWS's default is false). */
export function selfSignUp(pool: UserPool, settingsRead: boolean): 'open' | 'closed' | 'unknown' {
  const only = pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly;
  if (only === true) return 'closed';
  if (only === false) return 'open';
  return settingsRead ? 'open' : 'unknown';
}

/** One way a user can set an attribute. */
export interface WritePath {
  client: AppClient;
  via: 'update' | 'sign-up';
  /** False: only possibly (the client lists no WriteAttributes and the attribute is custom, or mutability or sign-up is unknown). */
  certain: boolean;
  /** Why the client may write it: "app client web (id) lists custom:role in WriteAttributes". */
  listed: string;
  /** How the user does it: "custom:role is mutable, so UpdateUserAttributes with the user's own access token sets it". */
  how: string;
}

/**
 * The ways a user can set `attribute` on their own account: UpdateUserAttributes with their access
 * token from a client that may write it, when it is mutable; SignUp through such a client, when
 * self sign-up is open (immutable attributes too: they are set at sign-up). SignUp through a
 * client with a secret needs the secret hash, which users do not have; UpdateUserAttributes needs
 * only the access token. `settingsRead`: DescribeUserPool was read (no scan gap).
 */
export function writePaths(pool: UserPool, attribute: string, settingsRead: boolean): WritePath[] {
  if (attribute === 'sub' || attribute.startsWith('dev:') || ID_TOKEN_CLAIMS.has(attribute)) return [];
  const custom = attribute.startsWith('custom:');
  const standard = STANDARD_ATTRIBUTES.has(attribute);
  const schema = pool.SchemaAttributes;
  const declared = schema?.find((a) => a.Name === attribute);
  if (custom && schema && !declared) return []; // no such attribute (MAPPING_RULE_CLAIM_NEVER_PRESENT)
  // Standard attributes are mutable unless the schema says otherwise (a definition lists only what it changes).
  const mutable = declared?.Mutable ?? (standard || VERIFIED_ATTRIBUTES.has(attribute) ? true : undefined);
  const signUp = selfSignUp(pool, settingsRead);
  const paths: WritePath[] = [];
  for (const client of pool.Clients) {
    const explicit = client.WriteAttributes && client.WriteAttributes.length > 0 ? client.WriteAttributes : undefined;
    let listed: { certain: boolean; why: string } | undefined;
    if (explicit) {
      if (explicit.includes(attribute)) listed = { certain: true, why: `app client ${describeClient(client)} lists ${attribute} in WriteAttributes` };
    } else if (DEFAULT_WRITABLE.has(attribute)) {
      listed = { certain: true, why: `app client ${describeClient(client)} lists no WriteAttributes, so it writes every standard attribute (AWS documents that default)` };
    } else if (custom) {
      listed = { certain: false, why: `app client ${describeClient(client)} lists no WriteAttributes (AWS documents that it then writes only standard attributes, but older reports say it writes all, custom ones included)` };
    }
    if (!listed) continue;
    if (mutable !== false && signInWays(client).length > 0) {
      const state = mutable === true ? `${attribute} is mutable` : `whether ${attribute} is mutable is not known`;
      paths.push({ client, via: 'update', certain: listed.certain && mutable === true, listed: listed.why, how: `${state}, so UpdateUserAttributes with the user's own access token sets it` });
    }
    if (signUp !== 'closed' && !client.HasSecret) {
      const state = signUp === 'open'
        ? `self sign-up is open (${pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly === false ? 'AllowAdminCreateUserOnly is false' : "AllowAdminCreateUserOnly is not set; AWS's default is false"})`
        : 'whether self sign-up is open is not known';
      paths.push({ client, via: 'sign-up', certain: listed.certain && signUp === 'open', listed: listed.why, how: `${state}, so SignUp sets it${mutable === false ? ' (immutable attributes are set at sign-up)' : ''}` });
    }
  }
  return paths;
}
