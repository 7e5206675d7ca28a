// What the Explorer shows of an identity pool's providers, their principal-tag maps, the basic
// flow and a user pool's pre token generation trigger (cognito-semantics.md section 6). Pure: the
// engine is passed in (type imports only), so node:test covers it (test/unit/providerRows.test.ts)
// and the extension bundle does not pull src/core in.
import type { IdentityPool, PrincipalTagMap, UserPool } from '../../core/snapshot.ts';
import type { Engine } from '../lazy.ts';

export interface TagRow {
  /** `dept ← custom:dept`, or `defaults: client ← aud, username ← sub`. */
  label: string;
  tooltip: string;
}

export interface ProviderRow {
  /** Stable within the pool: the segment of the node's id. */
  id: string;
  /** The provider's Logins name (a user pool: its id; a SAML provider: the ARN's name). */
  label: string;
  description: string;
  tooltip: string;
  /** The provider's name as the tag map and Logins know it. */
  name: string;
  kind: string;
  /** The principal-tag map: null when none applies (no tags are passed). */
  tags: { summary: string; rows: TagRow[] } | null;
}

const KIND_LABEL: Record<string, string> = {
  'user-pool': 'user pool', google: 'Google', facebook: 'Facebook', amazon: 'Login with Amazon', apple: 'Sign in with Apple',
  twitter: 'Twitter', social: 'social provider', oidc: 'OIDC provider', saml: 'SAML provider', developer: 'developer provider',
};

const ARROW = '←';

/** The tag map as rows: the defaults on one row (what they map for this kind of provider), then each listed tag. */
export function tagRows(engine: Pick<Engine, 'tagClaimsOf'>, map: PrincipalTagMap, kind: string): TagRow[] {
  const rows: TagRow[] = [];
  const listed = new Set(Object.keys(map.PrincipalTags).map((k) => k.toLowerCase()));
  if (map.UseDefaults) {
    const defaults = engine.tagClaimsOf({ ...map, PrincipalTags: {} }, kind as never);
    rows.push(defaults.length
      ? { label: `defaults: ${defaults.map(([t, c]) => `${t} ${ARROW} ${c}`).join(', ')}`, tooltip: `UseDefaults: tags ${defaults.map(([t, c]) => `"${t}" from the claim ${c}`).join(' and ')}.${listed.size ? ' A tag listed below wins over a default of the same key.' : ''}` }
      : { label: 'defaults: not applicable', tooltip: 'UseDefaults is on, but AWS lists no default mappings for a developer provider: the backend passes PrincipalTags itself.' });
  }
  for (const [tag, claim] of Object.entries(map.PrincipalTags)) {
    rows.push({ label: `${tag} ${ARROW} ${claim}`, tooltip: `Session tag "${tag}" gets the value of the token's claim ${claim} (aws:PrincipalTag/${tag} in policies); no tag when the token lacks the claim.` });
  }
  return rows;
}

/** Every provider of the identity pool: each user pool client, social providers with their app ids, OIDC and SAML ARNs, the developer provider. */
export function providerRows(engine: Pick<Engine, 'providersOf' | 'tagMapFor' | 'tagClaimsOf' | 'mapApplies'>, pool: IdentityPool): ProviderRow[] {
  const rows: ProviderRow[] = [];
  for (const provider of engine.providersOf(pool)) {
    const map = engine.tagMapFor(pool, provider);
    const applies = engine.mapApplies(map);
    const tags = applies && map ? { summary: summary(engine, map, provider.kind), rows: tagRows(engine, map, provider.kind) } : null;
    const tagText = tags ? `tags: ${tags.summary}` : map ? 'tag map with no tags' : 'no principal tags';
    const kind = KIND_LABEL[provider.kind] ?? provider.kind;
    if (provider.kind === 'user-pool') {
      const userPoolId = provider.name.slice(provider.name.lastIndexOf('/') + 1);
      for (const clientId of provider.clientIds ?? []) {
        const entry = pool.CognitoIdentityProviders.find((p) => p.ProviderName === provider.name && p.ClientId === clientId);
        rows.push({
          id: `provider:${provider.name}:${clientId}`, label: userPoolId, name: provider.name, kind: provider.kind, tags,
          description: [`client ${clientId}`, entry?.ServerSideTokenCheck ? 'server-side token check' : undefined, tagText].filter(Boolean).join(' · '),
          tooltip: `${kind} ${provider.name}\nclient ${clientId}\nLogins key and amr: ${provider.name}`,
        });
      }
      continue;
    }
    const label = provider.kind === 'saml' ? provider.name.slice(provider.name.lastIndexOf('/') + 1) : provider.name;
    const detail = provider.appId !== undefined ? `app id ${provider.appId}` : provider.arn ?? undefined;
    rows.push({
      id: `provider:${provider.kind}:${provider.name}`, label, name: provider.name, kind: provider.kind, tags,
      description: [kind, detail, tagText].filter(Boolean).join(' · '),
      tooltip: [`${kind} ${provider.name}`, provider.appId !== undefined ? `app id ${provider.appId}` : undefined, provider.arn ? `ARN ${provider.arn}` : undefined,
        provider.kind === 'developer' ? 'Logins key cognito-identity.amazonaws.com (or the name); amr carries the name' : `Logins key and amr: ${provider.name}`].filter(Boolean).join('\n'),
    });
  }
  return rows;
}

function summary(engine: Pick<Engine, 'tagClaimsOf'>, map: PrincipalTagMap, kind: string): string {
  return engine.tagClaimsOf(map, kind as never).map(([t, c]) => `${t} ${ARROW} ${c}`).join(', ') || 'none';
}

/** The basic (classic) flow's row: on or off. */
export function basicFlowRow(pool: IdentityPool): { label: string; description: string; tooltip: string; on: boolean } {
  const on = pool.AllowClassicFlow === true;
  return {
    on,
    label: `Basic (classic) flow: ${on ? 'on' : 'off'}`,
    description: on ? 'GetOpenIdToken + AssumeRoleWithWebIdentity, any role whose trust admits the pool' : 'enhanced flow only',
    tooltip: on
      ? 'AllowClassicFlow is true: a client may call GetOpenIdToken and then STS AssumeRoleWithWebIdentity with any role whose trust policy admits this pool, bypassing role mappings and group precedence, without Cognito\'s session policy.'
      : 'AllowClassicFlow is false: GetOpenIdToken answers InvalidParameterException; credentials come only through GetCredentialsForIdentity (role mappings apply).',
  };
}

/** The user pool's pre token generation trigger's row, or null without one. */
export function triggerRow(engine: Pick<Engine, 'tokenTriggerOf'>, pool: UserPool, region: string): { label: string; description: string; tooltip: string; problems: string[] } | null {
  const trigger = engine.tokenTriggerOf(pool, region);
  if (!trigger) return null;
  const name = trigger.lambdaArn.split(':')[6] ?? trigger.lambdaArn;
  return {
    label: `Pre token generation trigger: ${name}`,
    description: `${trigger.version} · ${trigger.lambdaArn}`,
    tooltip: `${trigger.lambdaArn} (${trigger.version}). It receives the groups and roles in groupConfiguration and may replace cognito:groups, cognito:roles and cognito:preferred_role: the role an identity pool takes from the token may differ from what the groups predict.${
      trigger.problems.length ? `\n\n${trigger.problems.join('\n')}` : ''}`,
    problems: trigger.problems,
  };
}
