// diagnose, "Found in real definitions" (findings.md): faults seen in public templates and modules
// that the article's checks miss. Rules mappings on claims users set themselves or that no token
// carries, app clients that cannot sign a user in registered as identity-pool providers, and
// (diagnoseActions.ts) Allow statements naming actions that do not exist. They judge a Snapshot, so
// they run the same on a live scan and on a definition's snapshot (src/core/iac/). Claim and
// attribute names are data from input: compared through Sets and ===, never used as record keys.
import { checkActions } from './diagnoseActions.ts';
import type { Finding, FindingPlace, FindingSubject } from './findings.ts';
import { finding, placeFinding } from './findings.ts';
import type { GapIndex } from './gaps.ts';
import { closestName } from './iamActions.ts';
import { mappingKeysOf, providersOf, roleMappingOf } from './providers.ts';
import type { AppClient, IdentityPool, MappingRule, Snapshot, SnapshotIndex, UserPool } from './snapshot.ts';
import { parseProviderName, roleNameFromArn } from './snapshot.ts';
import { tokenTriggerOf } from './trigger.ts';
import {
  ACCESS_TOKEN_CLAIMS, DEFAULT_WRITABLE, describeClient, describePaths, ID_TOKEN_CLAIMS, signInWays, STANDARD_ATTRIBUTES, VERIFIED_ATTRIBUTES, writePaths,
} from './userPoolClaims.ts';

const poolSubject = (pool: IdentityPool): FindingSubject => ({ kind: 'identityPool', id: pool.IdentityPoolId });
const userPoolSubject = (pool: UserPool): FindingSubject => ({ kind: 'userPool', id: pool.Id });
const roleSubject = (arn: string): FindingSubject => ({ kind: 'role', id: arn });

export function checkDefinitions(snapshot: Snapshot, index: SnapshotIndex, gaps: GapIndex): Finding[] {
  const findings: Finding[] = [];
  for (const pool of snapshot.identityPools) {
    if (!gaps.identityPoolSettings(pool.IdentityPoolId)) findings.push(...checkProviderClients(pool, index));
    if (!gaps.identityPool(pool.IdentityPoolId)) findings.push(...checkRuleClaims(snapshot, pool, index));
  }
  findings.push(...checkActions(snapshot, index, gaps));
  return findings;
}

/** DescribeUserPool was read for this pool: its schema and sign-up setting are what the snapshot says. */
function settingsRead(snapshot: Snapshot, pool: UserPool): boolean {
  return !(snapshot.scanGaps ?? []).some((g) => g.operation === 'DescribeUserPool' && g.resource === pool.Id);
}

/** `Rules[0] (custom:role Equals "admin" -> AdminAccess)`. */
function describeRule(rule: MappingRule, i: number): string {
  return `Rules[${i}] (${rule.Claim} ${rule.MatchType} ${JSON.stringify(rule.Value)} -> ${roleNameFromArn(rule.RoleARN)})`;
}

// ---------------------------------------------------------------------------------------------
// Rules mappings: claims users write, claims no token carries

function checkRuleClaims(snapshot: Snapshot, pool: IdentityPool, index: SnapshotIndex): Finding[] {
  const findings: Finding[] = [];
  for (const provider of providersOf(pool)) {
    if (provider.kind !== 'user-pool') continue; // other providers' claims are not in the snapshot: no guess
    const userPool = index.userPoolsById.get(parseProviderName(provider.name)?.userPoolId ?? '');
    if (!userPool) continue;
    for (const key of mappingKeysOf(provider)) {
      const mapping = roleMappingOf(pool, provider, key);
      if (mapping?.Type !== 'Rules') continue;
      const clientId = key.slice(provider.name.length + 1);
      const client = userPool.Clients.find((c) => c.ClientId === clientId);
      (mapping.RulesConfiguration?.Rules ?? []).forEach((rule, i) => {
        const absent = claimNeverPresent(snapshot, userPool, client, rule.Claim);
        if (absent) {
          const places: FindingPlace[] = [{ kind: 'rule', identityPoolId: pool.IdentityPoolId, mappingKey: key, index: i }];
          if (client) places.push({ kind: 'client', userPoolId: userPool.Id, clientId: client.ClientId });
          findings.push(placeFinding(neverPresent(pool, key, userPool, rule, i, absent), places));
        }
        else {
          const writable = writableClaim(snapshot, pool, key, userPool, rule, i);
          if (writable) findings.push(writable);
        }
      });
    }
  }
  return findings;
}

function writableClaim(snapshot: Snapshot, pool: IdentityPool, key: string, userPool: UserPool, rule: MappingRule, i: number): Finding | undefined {
  const paths = writePaths(userPool, rule.Claim, settingsRead(snapshot, userPool));
  if (paths.length === 0) return undefined;
  const certain = paths.filter((p) => p.certain);
  const shown = certain.length > 0 ? certain : paths;
  const role = roleNameFromArn(rule.RoleARN);
  const group = userPool.Groups.find((g) => g.RoleArn === rule.RoleARN)?.GroupName;
  const corrected = { Claim: 'cognito:groups', MatchType: 'Contains', Value: group ?? rule.Value, RoleARN: rule.RoleARN };
  const fixes = [...new Map(shown.map((p) => [p.client.ClientId, p.client])).values()].map((c) => removeFix(c, rule.Claim));
  if (shown.some((p) => p.via === 'update')) fixes.push(`or keep ${rule.Claim} out of users' reach another way: a new immutable attribute (mutability cannot change after creation) with self sign-up off ("AdminCreateUserConfig": { "AllowAdminCreateUserOnly": true })`);
  else fixes.push(`or turn self sign-up off ("AdminCreateUserConfig": { "AllowAdminCreateUserOnly": true }) so that only administrators set ${rule.Claim}`);
  const f = finding(
    'MAPPING_RULE_ON_WRITABLE_CLAIM',
    { kind: 'roleMapping', id: `${pool.IdentityPoolId}/${key}` },
    `${describeRule(rule, i)} of identity pool ${pool.IdentityPoolId}'s mapping for ${key} tests ${rule.Claim}, which users ${certain.length > 0 ? 'set' : 'may be able to set'} themselves in user pool ${userPool.Id}: ${describePaths(shown)}. ${certain.length > 0 ? 'Any user can give themselves' : 'If so, any user can give themselves'} role ${role} (${rule.RoleARN}).`,
    `${fixes.join('; ')}. Better, map on a claim only administrators change, cognito:groups:\n${JSON.stringify(corrected, null, 2)}${group ? '' : `\n(with a group ${corrected.Value} that only administrators add users to)`}`,
    { related: [roleSubject(rule.RoleARN), poolSubject(pool), userPoolSubject(userPool)] },
  );
  // findings.md gives one code; a claim that is only possibly writable is the same fault, less sure: a warning.
  if (certain.length === 0) f.severity = 'warning';
  // The tree badges the rule, each client users write the claim through, and the role they can obtain.
  const clients = [...new Set(shown.map((p) => p.client.ClientId))].map((clientId): FindingPlace => ({ kind: 'client', userPoolId: userPool.Id, clientId }));
  return placeFinding(f, [{ kind: 'rule', identityPoolId: pool.IdentityPoolId, mappingKey: key, index: i }, ...clients, { kind: 'role', roleArn: rule.RoleARN }]);
}

function removeFix(client: AppClient, claim: string): string {
  const listed = client.WriteAttributes?.length ? client.WriteAttributes : undefined;
  const rest = (listed ?? [...DEFAULT_WRITABLE]).filter((a) => a !== claim);
  return `Remove ${claim} from the WriteAttributes of app client ${describeClient(client)}${listed ? '' : ' (it lists none: set the list, without it)'}: "WriteAttributes": ${JSON.stringify(rest)}`;
}

/** Why no ID token of this client carries the claim, or undefined when one may (or the snapshot cannot tell). */
function claimNeverPresent(snapshot: Snapshot, userPool: UserPool, client: AppClient | undefined, claim: string): { why: string; suggestion?: string } | undefined {
  const schema = userPool.SchemaAttributes;
  if (!schema) return undefined; // the pool's attributes are unknown
  if (tokenTriggerOf(userPool, snapshot.region)) return undefined; // a pre token generation trigger may add any claim
  const declared = new Set(schema.map((a) => a.Name));
  const attribute = STANDARD_ATTRIBUTES.has(claim) || VERIFIED_ATTRIBUTES.has(claim) || declared.has(claim);
  if (!attribute && !ID_TOKEN_CLAIMS.has(claim)) {
    if (ACCESS_TOKEN_CLAIMS.has(claim)) {
      const counterpart = ACCESS_TOKEN_CLAIMS.get(claim);
      return { why: `${claim} is a claim of the access token only, and the identity pool receives the ID token`, ...(counterpart ? { suggestion: counterpart } : {}) };
    }
    const custom = [...declared].filter((n) => n.startsWith('custom:') || n.startsWith('dev:'));
    const suggestion = declared.has(`custom:${claim}`) ? `custom:${claim}` : closestName(claim, [...ID_TOKEN_CLAIMS, ...STANDARD_ATTRIBUTES, ...VERIFIED_ATTRIBUTES, ...declared]);
    return {
      why: `${claim} is no claim of a user pool ID token and no attribute of user pool ${userPool.Id} (its custom attributes: ${custom.length ? custom.join(', ') : 'none'})`,
      ...(suggestion ? { suggestion } : {}),
    };
  }
  // An attribute reaches the ID token only when the client may read it.
  const readable = client?.ReadAttributes?.length ? client.ReadAttributes : undefined;
  if (attribute && claim !== 'sub' && readable && !readable.includes(claim)) {
    return { why: `app client ${describeClient(client!)} cannot read ${claim} (its ReadAttributes: ${readable.join(', ')}), so its ID tokens leave the claim out` };
  }
  return undefined;
}

function neverPresent(pool: IdentityPool, key: string, userPool: UserPool, rule: MappingRule, i: number, absent: { why: string; suggestion?: string }): Finding {
  const corrected = absent.suggestion ? { ...rule, Claim: absent.suggestion } : undefined;
  return finding(
    'MAPPING_RULE_CLAIM_NEVER_PRESENT',
    { kind: 'roleMapping', id: `${pool.IdentityPoolId}/${key}` },
    `${describeRule(rule, i)} of identity pool ${pool.IdentityPoolId}'s mapping for ${key} tests ${rule.Claim}, which no ID token of this app client carries: ${absent.why}. The rule never matches, so nobody gets ${roleNameFromArn(rule.RoleARN)} through it.`,
    corrected
      ? `Test the claim the token carries:\n${JSON.stringify(corrected, null, 2)}`
      : `Test a claim the ID token carries (an attribute of the user pool the app client may read, or cognito:groups), or declare the attribute in the user pool's schema and add it to the app client's ReadAttributes.`,
    { related: [roleSubject(rule.RoleARN), poolSubject(pool), userPoolSubject(userPool)] },
  );
}

// ---------------------------------------------------------------------------------------------
// Providers whose app client signs no user in

function checkProviderClients(pool: IdentityPool, index: SnapshotIndex): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const entry of pool.CognitoIdentityProviders) {
    const userPool = index.userPoolsById.get(parseProviderName(entry.ProviderName)?.userPoolId ?? '');
    const client = userPool?.Clients.find((c) => c.ClientId === entry.ClientId);
    if (!userPool || !client || seen.has(`${userPool.Id}|${client.ClientId}`)) continue;
    seen.add(`${userPool.Id}|${client.ClientId}`);
    if (signInWays(client).length > 0) continue;
    const others = userPool.Clients.filter((c) => c !== client && signInWays(c).length > 0).map(describeClient);
    findings.push(placeFinding(
      finding(
        'PROVIDER_CLIENT_NO_ID_TOKEN',
        poolSubject(pool),
        `Identity pool ${pool.IdentityPoolId} trusts app client ${describeClient(client)} of user pool ${userPool.Id}, which cannot sign a user in: ExplicitAuthFlows ${JSON.stringify(client.ExplicitAuthFlows ?? [])} has no sign-in flow (ALLOW_REFRESH_TOKEN_AUTH only refreshes tokens got another way) and AllowedOAuthFlows ${JSON.stringify(client.AllowedOAuthFlows ?? [])} has neither code nor implicit${client.AllowedOAuthFlows?.includes('client_credentials') ? ' (client_credentials gives machine access tokens, with no user and no ID token)' : ''}. No user gets an ID token from it to sign in to the identity pool.`,
        `Register the app client your users sign in with as the provider${others.length ? ` (in this user pool: ${others.join(', ')})` : ''}, or give this client a user sign-in flow: "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] (or "AllowedOAuthFlows": ["code"] with the openid scope for managed login).`,
        { related: [userPoolSubject(userPool)] },
      ),
      [{ kind: 'client', userPoolId: userPool.Id, clientId: client.ClientId }],
    ));
  }
  return findings;
}
