// diagnose, "Beyond the article" (findings.md; cognito-semantics.md section 6): principal tags,
// the pre token generation trigger, the basic flow and providers other than user pools. Work is
// per pool and per role, computed once (a role's principal-tag uses are read once per role object).
import { rolePolicies } from './access.ts';
import type { Finding, FindingSubject } from './findings.ts';
import { finding } from './findings.ts';
import type { GapIndex } from './gaps.ts';
import { evaluateTrust, parseOperator, statementLabel } from './iam/index.ts';
import { variableUsesIn } from './iam/patterns.ts';
import type { Policy, Statement } from './iam/types.ts';
import type { PoolProvider } from './providers.ts';
import { amrCatalogOf, describeProvider, findProvider, providerOfMappingKey, providersOf, supportsTokenMapping } from './providers.ts';
import { setOwn } from './records.ts';
import type { IdentityPool, Role, Snapshot, SnapshotIndex, UserPool } from './snapshot.ts';
import { parseProviderName, roleNameFromArn } from './snapshot.ts';
import {
  claimTagValue, duplicateKeysIgnoringCase, mapApplies, PRINCIPAL_TAG_PREFIX, TAG_LIMITS, tagClaimsOf, tagKeyProblem, tagMapFor, tagValueProblem,
} from './sessionTags.ts';
import { describeTrigger, tokenTriggerOf } from './trigger.ts';
import type { TrustTarget } from './trust.ts';
import { readTrustPolicy, trustRequest } from './trust.ts';

const poolSubject = (pool: IdentityPool): FindingSubject => ({ kind: 'identityPool', id: pool.IdentityPoolId });

// ---------------------------------------------------------------------------------------------
// Principal tags

/** A provider's applicable tag map as the trust check's `sessionTags`, with placeholder values (diagnose knows no token). */
export function diagnoseSessionTags(pool: IdentityPool, provider: PoolProvider): TrustTarget['sessionTags'] | undefined {
  if (provider.kind === 'developer') return undefined; // tags from the backend: not in the snapshot
  const map = tagMapFor(pool, provider);
  if (!mapApplies(map)) return undefined;
  const pairs = tagClaimsOf(map, provider.kind);
  const tags = Object.create(null) as Record<string, string>;
  for (const [tag] of pairs) setOwn(tags, tag, 'value');
  return { provider: provider.name, tags, describe: pairs.map(([t, c]) => `${t} from ${c}`).join(', ') || 'default mappings' };
}

/** The tag keys a provider's users carry in this pool (null: a developer provider, whose tags the snapshot cannot show). */
function mappedKeys(pool: IdentityPool, provider: PoolProvider | null): { keys: Set<string>; why: string } | null {
  if (!provider) return { keys: new Set(), why: 'guests (unauthenticated identities) carry no principal tags' };
  if (provider.kind === 'developer') return null;
  const map = tagMapFor(pool, provider);
  if (!mapApplies(map)) return { keys: new Set(), why: `it has no principal-tag map for ${describeProvider(provider)}` };
  const keys = tagClaimsOf(map, provider.kind).map(([t]) => t);
  return { keys: new Set(keys.map((k) => k.toLowerCase())), why: `its map for ${describeProvider(provider)} sets ${keys.map((k) => JSON.stringify(k)).join(', ') || 'no tag'}` };
}

interface TagUse {
  key: string;
  policy: Policy;
  statement: Statement;
  where: string;
}

const tagUseCache = new WeakMap<Role, TagUse[]>();

/**
 * Where a role's policies read a principal tag that must be present: `${aws:PrincipalTag/k}` without a
 * default (Resource or condition values), or a condition on `aws:PrincipalTag/k` whose operator is
 * false for a missing key (not IfExists, Null, a negated operator or ForAllValues).
 */
function principalTagUses(role: Role): TagUse[] {
  let uses = tagUseCache.get(role);
  if (uses) return uses;
  uses = [];
  const { identity, boundary } = rolePolicies(role);
  for (const policy of [...identity, ...(boundary ? [boundary] : [])]) {
    const variables = policy.Version === '2012-10-17';
    for (const statement of policy.Statement) {
      const seen = new Set<string>();
      const add = (key: string, where: string): void => {
        const lower = key.toLowerCase();
        if (seen.has(lower)) return;
        seen.add(lower);
        uses.push({ key, policy, statement, where });
      };
      const fromVariables = (text: string, where: string): void => {
        if (!variables) return;
        for (const v of variableUsesIn(text)) {
          if (!v.hasDefault && v.key.toLowerCase().startsWith(PRINCIPAL_TAG_PREFIX.toLowerCase())) add(v.key.slice(PRINCIPAL_TAG_PREFIX.length), `\${${v.key}} in ${where}`);
        }
      };
      for (const r of [...(statement.Resource ?? []), ...(statement.NotResource ?? [])]) fromVariables(r, 'its Resource');
      for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
        const parsed = parseOperator(operator);
        for (const [key, values] of Object.entries(keys)) {
          for (const v of values) fromVariables(v, `condition ${operator} ${key}`);
          const needsKey = parsed.base && !parsed.ifExists && parsed.base.family !== 'Null' && !parsed.base.negated && parsed.set !== 'ForAllValues';
          if (needsKey && key.toLowerCase().startsWith(PRINCIPAL_TAG_PREFIX.toLowerCase())) add(key.slice(PRINCIPAL_TAG_PREFIX.length), `condition ${operator} ${key}`);
        }
      }
    }
  }
  tagUseCache.set(role, uses);
  return uses;
}

/** Whether any policy of the role needs a principal tag (read once per role object). */
export function usesPrincipalTags(role: Role): boolean {
  return principalTagUses(role).length > 0;
}

/** PRINCIPAL_TAG_NOT_MAPPED for one role, pool and provider (null: guests). */
export function checkPrincipalTagsMapped(role: Role, pool: IdentityPool, provider: PoolProvider | null, gaps: GapIndex): Finding[] {
  const uses = principalTagUses(role);
  if (uses.length === 0) return [];
  // The providers or this provider's map were not read: which tags it sets is not captured.
  if (gaps.identityPoolSettings(pool.IdentityPoolId) || (provider && gaps.principalTags(pool.IdentityPoolId, provider.name))) return [];
  const mapped = mappedKeys(pool, provider);
  if (!mapped) return [];
  const findings: Finding[] = [];
  const who = provider ? `users of ${describeProvider(provider)}` : 'guests';
  for (const use of uses) {
    if (mapped.keys.has(use.key.toLowerCase())) continue;
    const label = statementLabel({ sid: use.statement.Sid, index: use.statement.index, policyName: use.policy.name, policyKind: use.policy.kind });
    const effect = use.statement.Effect === 'Allow' ? 'the statement never applies, so it grants them nothing' : 'the statement never applies, so it denies them nothing';
    findings.push(
      finding(
        'PRINCIPAL_TAG_NOT_MAPPED',
        { kind: 'role', id: role.Arn },
        `${label.charAt(0).toUpperCase()}${label.slice(1)} of role ${role.RoleName} uses ${PRINCIPAL_TAG_PREFIX}${use.key} (${use.where}), but identity pool ${pool.IdentityPoolId} sets no principal tag ${JSON.stringify(use.key)} for ${who} (${mapped.why}): for them the tag is absent and ${effect}.`,
        provider
          ? `Map the tag for ${provider.name}: aws cognito-identity set-principal-tag-attribute-map --identity-pool-id ${pool.IdentityPoolId} --identity-provider-name ${provider.name} --principal-tags ${use.key}=<claim>, and allow sts:TagSession in the trust policy of ${role.RoleName}; or change the policy to a tag that is mapped.`
          : `Guests never carry principal tags: do not hand this role to guests, or give the statement a condition that does not need ${PRINCIPAL_TAG_PREFIX}${use.key}.`,
        { related: [poolSubject(pool)] },
      ),
    );
  }
  return findings;
}

/** Claims that are lists in every token: as a tag value they break the STS limits. */
const LIST_CLAIMS = new Set(['cognito:groups', 'cognito:roles', 'amr', 'https://aws.amazon.com/SAML/Attributes/Role']);

/**
 * PRINCIPAL_TAG_VALUE_INVALID and tag maps for providers the pool does not list. Rule: a map is
 * flagged when its keys break the STS limits (length, characters, the reserved `aws:` prefix, keys
 * equal apart from case), when it sets more than 50 tags, when a mapped claim is a list in every
 * token (`cognito:groups`, `cognito:roles`, `amr`, the SAML Role attribute), or when a value the
 * snapshot knows breaks them: the group roles (`cognito:preferred_role`) and the listed usernames
 * (`cognito:username`). Other claims' values are unknown until sign-in (simulate checks them).
 */
export function checkTagMaps(snapshot: Snapshot, index: SnapshotIndex, gaps: GapIndex): Finding[] {
  const findings: Finding[] = [];
  for (const pool of snapshot.identityPools) {
    if (!pool.PrincipalTagMaps || gaps.identityPoolSettings(pool.IdentityPoolId)) continue;
    for (const map of pool.PrincipalTagMaps) {
      const provider = findProvider(pool, map.IdentityProviderName);
      if (!provider) {
        findings.push(
          finding(
            'MAPPING_UNKNOWN_PROVIDER',
            poolSubject(pool),
            `Identity pool ${pool.IdentityPoolId} has a principal-tag map for ${map.IdentityProviderName}, which is not among its providers (${providersOf(pool).map((p) => p.name).join(', ') || 'none'}): the map is never used.`,
            `Add ${map.IdentityProviderName} as a provider of the identity pool, or delete the map (aws cognito-identity set-principal-tag-attribute-map --identity-pool-id ${pool.IdentityPoolId} --identity-provider-name ${map.IdentityProviderName} --no-use-defaults --principal-tags {}).`,
          ),
        );
        continue;
      }
      if (!mapApplies(map)) continue;
      const pairs = tagClaimsOf(map, provider.kind);
      const problems: string[] = [];
      if (pairs.length > TAG_LIMITS.maxTags) problems.push(`it sets ${pairs.length} tags, and STS accepts at most ${TAG_LIMITS.maxTags} session tags`);
      const folded = duplicateKeysIgnoringCase(pairs.map(([t]) => t));
      if (folded.length > 0) problems.push(`tag keys ${folded.map((k) => JSON.stringify(k)).join(', ')} differ only in case, and STS treats tag keys case-insensitively`);
      const userPool = provider.kind === 'user-pool' ? index.userPoolsById.get(parseProviderName(provider.name)?.userPoolId ?? '') : undefined;
      for (const [tag, claim] of pairs) {
        const keyProblem = tagKeyProblem(tag);
        if (keyProblem) problems.push(`tag ${JSON.stringify(tag)}: ${keyProblem}`);
        if (LIST_CLAIMS.has(claim)) {
          problems.push(`tag ${JSON.stringify(tag)} comes from ${claim}, a list in every token; a session tag holds one string and any written form of a list holds characters STS refuses`);
          continue;
        }
        for (const bad of knownBadValues(claim, userPool)) problems.push(`tag ${JSON.stringify(tag)} from ${claim}: ${bad}`);
      }
      if (problems.length === 0) continue;
      findings.push(
        finding(
          'PRINCIPAL_TAG_VALUE_INVALID',
          poolSubject(pool),
          `The principal-tag map of identity pool ${pool.IdentityPoolId} for ${describeProvider(provider)} breaks the STS session-tag limits (keys 1-${TAG_LIMITS.maxKeyLength} and values 0-${TAG_LIMITS.maxValueLength} characters of letters, spaces, numbers and _ . : / = + - @; at most ${TAG_LIMITS.maxTags} tags): ${problems.join('; ')}. A sign-in whose tags break them fails (inferred from the STS limits).`,
          `Map only single-valued claims whose values fit the limits (e.g. a custom attribute such as custom:dept), with short keys of the allowed characters, at most ${TAG_LIMITS.maxTags}: aws cognito-identity set-principal-tag-attribute-map --identity-pool-id ${pool.IdentityPoolId} --identity-provider-name ${provider.name} --principal-tags <tag>=<claim>,...`,
          { symptom: 'InvalidIdentityPoolConfigurationException' },
        ),
      );
    }
  }
  return findings;
}

/** Values of a claim that the snapshot knows and that break the limits. */
function knownBadValues(claim: string, userPool: UserPool | undefined): string[] {
  if (!userPool) return [];
  let values: string[] = [];
  if (claim === 'cognito:preferred_role') values = [...new Set(userPool.Groups.map((g) => g.RoleArn).filter((a): a is string => Boolean(a)))];
  else if (claim === 'cognito:username') values = (userPool.Users ?? []).map((u) => u.Username);
  const out: string[] = [];
  for (const value of values) {
    const read = claimTagValue(value);
    const problem = read && 'value' in read ? tagValueProblem(read.value) : null;
    if (problem) out.push(`for ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}, ${problem}`);
    if (out.length >= 3) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Trigger, basic flow, Token mappings

export function checkTokenTriggers(snapshot: Snapshot, gaps: GapIndex): Finding[] {
  const findings: Finding[] = [];
  for (const pool of snapshot.userPools) {
    if (gaps.userPoolGroups(pool.Id) && !pool.LambdaConfig) continue;
    const trigger = tokenTriggerOf(pool, snapshot.region);
    if (!trigger) continue;
    findings.push(
      finding(
        'USER_POOL_TOKEN_TRIGGER',
        { kind: 'userPool', id: pool.Id },
        `User pool ${pool.Id} has a ${describeTrigger(trigger)}: it receives the groups and roles in groupConfiguration and may replace cognito:groups, cognito:roles and cognito:preferred_role, so the roles an identity pool takes from tokens may differ from what the groups predict.${
          trigger.problems.length ? ` Also: ${trigger.problems.join('; ')}.` : ''
        }`,
        `Read the function's groupOverrideDetails${trigger.version === 'V1_0' ? '' : ' / groupsAndIamRolesOverrideDetails'} answer; compare a real sign-in (cognito-access test-user), or simulate its answer with simulate --override-groups / --override-roles / --override-preferred-role.`,
      ),
    );
  }
  return findings;
}

/** POOL_BASIC_FLOW_ENABLED: the roles any client of the pool can ask STS for directly. */
export function checkBasicFlow(snapshot: Snapshot, gaps: GapIndex): Finding[] {
  const findings: Finding[] = [];
  for (const pool of snapshot.identityPools) {
    if (!pool.AllowClassicFlow || gaps.identityPoolSettings(pool.IdentityPoolId)) continue;
    const catalog = amrCatalogOf(pool);
    const admitted: string[] = [];
    for (const role of snapshot.roles) {
      if (role.Missing || role.Unreadable || !role.AssumeRolePolicyDocument) continue;
      const kinds: string[] = [];
      for (const kind of ['authenticated', 'unauthenticated'] as const) {
        if (kind === 'unauthenticated' && !pool.AllowUnauthenticatedIdentities) continue;
        if (admits(role, pool, kind, catalog)) kinds.push(kind === 'authenticated' ? 'signed-in users' : 'guests');
      }
      if (kinds.length > 0) admitted.push(`${role.RoleName} (${kinds.join(', ')})`);
    }
    findings.push(
      finding(
        'POOL_BASIC_FLOW_ENABLED',
        poolSubject(pool),
        `Identity pool ${pool.IdentityPoolId} allows the basic (classic) flow: any client can call GetOpenIdToken and then STS AssumeRoleWithWebIdentity with any role whose trust policy admits the pool, bypassing role mappings and group precedence, and without Cognito's session policy. Roles whose trust admits it: ${admitted.length ? admitted.join(', ') : 'none in the snapshot'}.`,
        `Turn the basic flow off (AllowClassicFlow false: aws cognito-identity update-identity-pool ... --no-allow-classic-flow) unless a client needs it; if one does, make sure every role listed is meant for every user of the pool.`,
      ),
    );
  }
  return findings;
}

/** Does the role's trust allow AssumeRoleWithWebIdentity for this pool and kind (any of its providers)? */
function admits(role: Role, pool: IdentityPool, kind: 'authenticated' | 'unauthenticated', catalog: string[]): boolean {
  const read = readTrustPolicy(role);
  if ('problem' in read) return false;
  const policy = read.policy;
  const target: TrustTarget = { identityPoolId: pool.IdentityPoolId, kind };
  const request = trustRequest(role, target);
  // A signed-in identity of any provider: amr holds "authenticated" and the provider's name.
  if (kind === 'authenticated') request.context['cognito-identity.amazonaws.com:amr'] = ['authenticated', ...catalog];
  return evaluateTrust(policy, request).decision === 'allowed';
}

/** MAPPING_TOKEN_UNSUPPORTED_PROVIDER: a Token mapping for a provider whose tokens carry no role claims. */
export function checkTokenMappings(pool: IdentityPool): Finding[] {
  const findings: Finding[] = [];
  for (const [key, mapping] of Object.entries(pool.RoleMappings)) {
    if (mapping.Type !== 'Token') continue;
    const provider = providerOfMappingKey(pool, key);
    if (!provider || supportsTokenMapping(provider.kind)) continue;
    const deny = mapping.AmbiguousRoleResolution === 'Deny';
    const fallback = pool.Roles.authenticated;
    findings.push(
      finding(
        'MAPPING_TOKEN_UNSUPPORTED_PROVIDER',
        { kind: 'roleMapping', id: `${pool.IdentityPoolId}/${key}` },
        `Identity pool ${pool.IdentityPoolId} maps ${describeProvider(provider)} with "Choose role from token" (Type Token), but its tokens carry no role claims: every user falls to AmbiguousRoleResolution ${mapping.AmbiguousRoleResolution ?? 'AuthenticatedRole'} and ${
          deny ? 'gets NotAuthorizedException' : fallback ? `gets the authenticated role ${roleNameFromArn(fallback)}` : 'gets InvalidIdentityPoolConfigurationException (the pool has no authenticated role)'
        }.`,
        `Use "Choose role with rules" (Type Rules) on that provider's claims (e.g. ${provider.kind === 'amazon' ? 'user_id' : 'sub'} or aud), or remove the mapping so the authenticated role applies.`,
        { related: [poolSubject(pool)], ...(deny || !fallback ? { symptom: deny ? 'NotAuthorizedException' : 'InvalidIdentityPoolConfigurationException' } : {}) },
      ),
    );
  }
  return findings;
}

/** Is a role-mapping key one of the pool's providers (user pools: `<ProviderName>:<ClientId>`)? */
export function isKnownMappingKey(pool: IdentityPool, key: string): boolean {
  return providerOfMappingKey(pool, key) !== undefined;
}
