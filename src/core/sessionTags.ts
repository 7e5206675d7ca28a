// Session tags ("attributes for access control", cognito-semantics.md section 6): which principal
// tags Cognito passes to STS when a provider's user gets credentials. Sources: [CDG/attributes-for-
// access-control], [CDG/provider-mappings] (the defaults), [CI-API SetPrincipalTagAttributeMap],
// [STS API Tag] and [IAMUG/id_session-tags] (the limits).
//
// Tag keys and claim names come from input: every record here is prototype-free and written with
// setOwn, so a tag or claim named `__proto__` or `constructor` is ordinary data.
import type { PoolProvider, ProviderKind } from './providers.ts';
import { describeProvider, findProvider } from './providers.ts';
import { ownValue, setOwn } from './records.ts';
import type { IdentityPool, PrincipalTagMap } from './snapshot.ts';

/** STS session-tag limits [STS API Tag; IAMUG/id_session-tags, "Session tagging quotas"]. */
export const TAG_LIMITS = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256 } as const;
/** The characters STS accepts in tag keys and values: letters, spaces, numbers and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const SAML_NAME_ID = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';
const SAML_NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

/** The condition-key prefix of principal tags. */
export const PRINCIPAL_TAG_PREFIX = 'aws:PrincipalTag/';

/**
 * The claims `UseDefaults` maps, per kind of provider [CDG/provider-mappings]: tag `client` from
 * the token's audience and tag `username` from the user id. The tag keys are the ones the API names
 * ("default (username and clientID) attribute mappings").
 * - User pool, OIDC, Google, Apple, Twitter: `aud` and `sub`.
 * - Facebook: its access token's `aud` (the app id) and `sub` (the user id), as the provider-mappings
 *   table lists them. Amazon: `aud` (the client id) and `user_id`.
 * - SAML: the nameidentifier and name assertions. AWS does not say which tag each fills; decision:
 *   `username` from nameidentifier (the subject, like `sub`) and `client` from name (inferred).
 * - Developer provider: not applicable (the backend passes PrincipalTags to
 *   GetOpenIdTokenForDeveloperIdentity itself).
 */
export function defaultTagClaims(kind: ProviderKind): [tag: string, claim: string][] {
  switch (kind) {
    case 'amazon':
      return [['client', 'aud'], ['username', 'user_id']];
    case 'saml':
      return [['username', SAML_NAME_ID], ['client', SAML_NAME]];
    case 'developer':
      return [];
    default:
      return [['client', 'aud'], ['username', 'sub']];
  }
}

/** A map applies (Cognito passes tags, so the trust needs sts:TagSession) when it uses defaults or maps at least one tag. */
export function mapApplies(map: PrincipalTagMap | undefined): map is PrincipalTagMap {
  return map !== undefined && (map.UseDefaults || Object.keys(map.PrincipalTags).length > 0);
}

/** The pool's tag map for a provider (by name; an OIDC map may name the provider by ARN or host). */
export function tagMapFor(pool: IdentityPool, provider: Pick<PoolProvider, 'name'>): PrincipalTagMap | undefined {
  const maps = pool.PrincipalTagMaps;
  if (!maps || maps.length === 0) return undefined;
  return maps.find((m) => m.IdentityProviderName === provider.name) ?? maps.find((m) => findProvider(pool, m.IdentityProviderName)?.name === provider.name);
}

/**
 * The tag -> claim pairs a map sets. With UseDefaults the provider's defaults apply, and tags listed
 * in PrincipalTags next to them are set too (GetPrincipalTagAttributeMap echoes the defaults there;
 * a listed tag wins over a default of the same key: inferred, AWS documents no mix).
 */
export function tagClaimsOf(map: PrincipalTagMap, kind: ProviderKind): [tag: string, claim: string][] {
  const out = Object.create(null) as Record<string, string>;
  if (map.UseDefaults) for (const [tag, claim] of defaultTagClaims(kind)) setOwn(out, tag, claim);
  for (const [tag, claim] of Object.entries(map.PrincipalTags)) setOwn(out, tag, claim);
  return Object.entries(out);
}

/** Why a tag key breaks the STS limits, or null. */
export function tagKeyProblem(key: string): string | null {
  const length = [...key].length;
  if (length < 1 || length > TAG_LIMITS.maxKeyLength) return `the key ${JSON.stringify(short(key))} is ${length} characters long (STS allows 1-${TAG_LIMITS.maxKeyLength})`;
  if (!TAG_CHARACTERS.test(key)) return `the key ${JSON.stringify(short(key))} holds ${badCharacters(key)}, outside the characters STS allows (letters, spaces, numbers and _ . : / = + - @)`;
  if (key.toLowerCase().startsWith('aws:')) return `the key ${JSON.stringify(short(key))} starts with "aws:", a prefix reserved for AWS`;
  return null;
}

/** Why a tag value breaks the STS limits, or null. */
export function tagValueProblem(value: string): string | null {
  const length = [...value].length;
  if (length > TAG_LIMITS.maxValueLength) return `the value is ${length} characters long (STS allows 0-${TAG_LIMITS.maxValueLength})`;
  if (!TAG_CHARACTERS.test(value)) return `the value ${JSON.stringify(short(value))} holds ${badCharacters(value)}, outside the characters STS allows (letters, spaces, numbers and _ . : / = + - @)`;
  return null;
}

function badCharacters(text: string): string {
  const bad = [...new Set([...text].filter((ch) => !TAG_CHARACTERS.test(ch)))].slice(0, 5);
  return bad.map((ch) => JSON.stringify(ch)).join(', ');
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A claim's value as a tag value. Strings as they are; numbers and booleans as their text
 * (inferred). A list claim (`cognito:groups`, a multivalued SAML attribute) has no single text:
 * AWS documents no joining, and any serialization (`a,b`, `["a"]`) holds characters STS refuses, so
 * it is treated as a value that breaks the limits (inferred from the STS limits). Objects likewise.
 */
export function claimTagValue(value: unknown): { value: string } | { problem: string } | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return { value };
  if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
  if (Array.isArray(value)) return { problem: `the claim is a list (${JSON.stringify(value).slice(0, 80)}), and a session tag holds one string; any written form of a list holds characters STS refuses` };
  return { problem: 'the claim is an object, and a session tag holds one string' };
}

export interface SessionTags {
  /** The tags Cognito passes (prototype-free), or null when no map applies for the provider. */
  tags: Record<string, string> | null;
  /** The map that applied. */
  map: PrincipalTagMap | null;
  /** What breaks the STS limits: the request then fails (inferred from the STS limits). */
  problems: string[];
  steps: string[];
}

/** The session tags for a sign-in through `provider` with these token claims. */
export function computeSessionTags(pool: IdentityPool, provider: PoolProvider, claims: Record<string, unknown>): SessionTags {
  const map = tagMapFor(pool, provider);
  const where = describeProvider(provider);
  if (!mapApplies(map)) {
    const steps = map
      ? [`Identity pool ${pool.IdentityPoolId} has a principal-tag map for ${where} with no tags and no defaults: no session tags.`]
      : [];
    return { tags: null, map: map ?? null, problems: [], steps };
  }
  const tags = Object.create(null) as Record<string, string>;
  const problems: string[] = [];
  const set: string[] = [];
  const missing: string[] = [];
  const pairs = tagClaimsOf(map, provider.kind);
  if (provider.kind === 'developer' && Object.keys(map.PrincipalTags).length === 0) {
    return {
      tags: null, map, problems: [],
      steps: [`Identity pool ${pool.IdentityPoolId} uses default tag mappings for ${where}, which AWS lists as not applicable: the backend passes PrincipalTags to GetOpenIdTokenForDeveloperIdentity itself, which a snapshot cannot show.`],
    };
  }
  for (const [tag, claim] of pairs) {
    const keyProblem = tagKeyProblem(tag);
    if (keyProblem) problems.push(`tag ${JSON.stringify(short(tag))}: ${keyProblem}`);
    const read = claimTagValue(ownValue(claims, claim));
    if (read === null) {
      missing.push(`${tag} (from ${claim})`);
      continue;
    }
    if ('problem' in read) {
      problems.push(`tag ${JSON.stringify(short(tag))} from ${claim}: ${read.problem}`);
      continue;
    }
    const valueProblem = tagValueProblem(read.value);
    if (valueProblem) problems.push(`tag ${JSON.stringify(short(tag))} from ${claim}: ${valueProblem}`);
    setOwn(tags, tag, read.value);
    set.push(`${tag} = ${JSON.stringify(short(read.value))} (from ${claim})`);
  }
  const count = Object.keys(tags).length;
  if (pairs.length > TAG_LIMITS.maxTags) problems.push(`the map sets ${pairs.length} tags (STS allows at most ${TAG_LIMITS.maxTags})`);
  const folded = duplicateKeysIgnoringCase(pairs.map(([tag]) => tag));
  if (folded.length > 0) problems.push(`tag keys ${folded.map((k) => JSON.stringify(k)).join(', ')} differ only in case, and STS treats tag keys case-insensitively`);
  const steps = [
    `Identity pool ${pool.IdentityPoolId} maps principal tags for ${where} (${map.UseDefaults ? 'default mappings' : 'custom mappings'}${map.UseDefaults && Object.keys(map.PrincipalTags).length > 0 ? ' and custom ones' : ''}): ${
      count > 0 ? `session tags ${set.join(', ')}` : 'no tag gets a value'
    }${missing.length > 0 ? `; no tag for ${missing.join(', ')}: the token has no such claim` : ''}.`,
  ];
  if (problems.length > 0) {
    steps.push(`These break the STS session-tag limits, so STS refuses the session (inferred from the STS limits): ${problems.join('; ')}.`);
  }
  return { tags, map, problems, steps };
}

/** Keys that equal another key of the list apart from case. */
export function duplicateKeysIgnoringCase(keys: string[]): string[] {
  const seen = new Map<string, string>();
  const out = new Set<string>();
  for (const key of keys) {
    const lower = key.toLowerCase();
    const other = seen.get(lower);
    if (other !== undefined && other !== key) {
      out.add(other);
      out.add(key);
    }
    seen.set(lower, key);
  }
  return [...out];
}

/** `dept = "books", team = "x"` for people. */
export function formatTags(tags: Record<string, string> | null): string {
  if (!tags) return '(no tag map applies)';
  const entries = Object.entries(tags);
  return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ');
}
