// Attributes for access control (principal tags) of the identity pools, written from
// cognito-semantics.md section 6 and the API reference, independently of src/:
// - One map per identity pool and provider name (SetPrincipalTagAttributeMap /
//   GetPrincipalTagAttributeMap): UseDefaults and PrincipalTags (tag key -> claim name). A provider
//   never configured answers ResourceNotFoundException, as AWS (the scanner reads that as "no tags").
// - At GetCredentialsForIdentity the tags come from the login token's claims: a custom map's
//   claims, or with UseDefaults (user pool and OIDC tokens) tag `client` from `aud` and tag
//   `username` from `sub` (developer guide, provider-mappings: "default (username and clientID)
//   attribute mappings"). A claim the token lacks sets no tag.
// - A map applies (Cognito passes session tags, so the role's trust must allow sts:TagSession) when
//   it uses defaults or maps at least one tag, even when this token fills none of them: the guide
//   says every credential request through the provider then needs the permission.
// - STS's session tag limits (STS API Tag; IAM user guide id_session-tags): key 1-128 characters,
//   value 0-256, both of [\p{L}\p{Z}\p{N}_.:/=+\-@]*, no `aws:` key prefix, at most 50 tags. A
//   value outside them fails the request; which error Cognito then gives is not documented: the
//   sandbox answers InvalidIdentityPoolConfigurationException, Cognito's answer to any refusal of
//   its AssumeRoleWithWebIdentity call (inferred).

import { LoginError } from './tokens.ts';

export interface PrincipalTagMap { UseDefaults: boolean; PrincipalTags: Record<string, string> }
export type TagResult = { tags: Record<string, string> } | { problem: string };

const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;
const DEFAULT_CLAIMS: [string, string][] = [['client', 'aud'], ['username', 'sub']];

const invalid = (message: string): LoginError => new LoginError('InvalidParameterException', message);

export class PrincipalTagMaps {
  private readonly maps = new Map<string, PrincipalTagMap>();

  private static key(identityPoolId: string, providerName: string): string {
    return `${identityPoolId}\n${providerName}`;
  }

  /** Seeds a map (a copy: the seed stays as it is). */
  seed(identityPoolId: string, providerName: string, map: PrincipalTagMap): void {
    this.maps.set(PrincipalTagMaps.key(identityPoolId, providerName), { UseDefaults: map.UseDefaults, PrincipalTags: { ...map.PrincipalTags } });
  }

  find(identityPoolId: string, providerName: string): PrincipalTagMap | undefined {
    return this.maps.get(PrincipalTagMaps.key(identityPoolId, providerName));
  }

  /** GetPrincipalTagAttributeMap's answer, or ResourceNotFoundException (message inferred). */
  get(identityPoolId: string, providerName: string): Record<string, unknown> {
    const map = this.find(identityPoolId, providerName);
    if (!map) {
      throw new LoginError('ResourceNotFoundException', `Principal tag attribute map for identity provider '${providerName}' of IdentityPool '${identityPoolId}' not found.`);
    }
    return { IdentityPoolId: identityPoolId, IdentityProviderName: providerName, UseDefaults: map.UseDefaults, PrincipalTags: { ...map.PrincipalTags } };
  }

  /** SetPrincipalTagAttributeMap, with the API's constraints (PrincipalTags: at most 50, key 1-128, value 1-256). */
  set(identityPoolId: string, providerName: string, body: Record<string, unknown>): Record<string, unknown> {
    if (!providerName || providerName.length > 128) {
      throw invalid('1 validation error detected: Value at \'identityProviderName\' failed to satisfy constraint: Member must have length between 1 and 128');
    }
    const tags = (body.PrincipalTags ?? {}) as Record<string, unknown>;
    if (typeof tags !== 'object' || Array.isArray(tags)) throw invalid('PrincipalTags must be a map of strings.');
    const entries = Object.entries(tags);
    if (entries.length > MAX_TAGS) {
      throw invalid('1 validation error detected: Value at \'principalTags\' failed to satisfy constraint: Member must have length less than or equal to 50');
    }
    for (const [k, v] of entries) {
      if (typeof v !== 'string' || k.length < 1 || k.length > 128 || v.length < 1 || v.length > 256) {
        throw invalid('1 validation error detected: Value at \'principalTags\' failed to satisfy constraint: Map keys must have length between 1 and 128, map values between 1 and 256');
      }
    }
    const map: PrincipalTagMap = { UseDefaults: body.UseDefaults === true, PrincipalTags: Object.fromEntries(entries) as Record<string, string> };
    this.maps.set(PrincipalTagMaps.key(identityPoolId, providerName), map);
    return { IdentityPoolId: identityPoolId, IdentityProviderName: providerName, UseDefaults: map.UseDefaults, PrincipalTags: { ...map.PrincipalTags } };
  }
}

/** Does the map make Cognito pass session tags (and so need sts:TagSession)? */
export const mapApplies = (map: PrincipalTagMap | undefined): map is PrincipalTagMap =>
  map !== undefined && (map.UseDefaults || Object.keys(map.PrincipalTags).length > 0);

/** The session tags for a token's claims under a map, or why STS would refuse them. */
export function sessionTags(map: PrincipalTagMap, claims: Record<string, unknown>): TagResult {
  const pairs = new Map<string, string>(map.UseDefaults ? DEFAULT_CLAIMS : []);
  for (const [tag, claim] of Object.entries(map.PrincipalTags)) pairs.set(tag, claim);
  if (pairs.size > MAX_TAGS) return { problem: `${pairs.size} session tags (STS allows ${MAX_TAGS})` };
  const tags: Record<string, string> = {};
  for (const [tag, claim] of pairs) {
    if (!Object.hasOwn(claims, claim) || claims[claim] === undefined || claims[claim] === null) continue;
    const raw = claims[claim];
    // A list or object claim has no single string; any written form holds characters STS refuses.
    if (typeof raw === 'object') return { problem: `tag ${tag}: claim ${claim} is not a single value` };
    const value = String(raw);
    if ([...tag].length < 1 || [...tag].length > 128 || !TAG_PATTERN.test(tag) || tag.toLowerCase().startsWith('aws:')) {
      return { problem: `tag key ${JSON.stringify(tag)} breaks the STS limits (1-128 characters of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@], no aws: prefix)` };
    }
    if ([...value].length > 256 || !TAG_PATTERN.test(value)) {
      return { problem: `tag ${tag}: value ${JSON.stringify(value.slice(0, 60))} breaks the STS limits (0-256 characters of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@])` };
    }
    tags[tag] = value;
  }
  return { tags };
}
