// ID token -> identity pool credentials, live (enhanced flow: GetId, then GetCredentialsForIdentity
// with the same Logins; cognito-semantics.md section 2), then STS GetCallerIdentity with the new
// credentials to see which role was really assumed. The outcome is set beside the engine's
// prediction for the same token and snapshot; a live error is explained with the engine's findings.
import { inspect } from 'node:util';
import { GetCredentialsForIdentityCommand, GetIdCommand, GetOpenIdTokenCommand, type CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { claimList } from '../core/claims.ts';
import { diagnose } from '../core/diagnose.ts';
import { placesOf, type Finding } from '../core/findings.ts';
import { predictClaims } from '../core/groups.ts';
import { matchRule } from '../core/identityPool.ts';
import { oidcProviderName } from '../core/providers.ts';
import { ownValue } from '../core/records.ts';
import { rememberSecret } from '../core/redact.ts';
import { NOT_CAPTURED, simulate, simulateFromToken, type Resolution } from '../core/simulate.ts';
import { providerNameFor, roleNameFromArn, type Snapshot } from '../core/snapshot.ts';
import { describeTrigger, tokenTriggerOf } from '../core/trigger.ts';
import type { AwsCredentials } from './context.ts';
import { errorCode, errorMessage } from './errors.ts';

/** `AKIA****WXYZ`: enough to tell keys apart, never enough to use one. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 4)}****${key.slice(-4)}`;
}

/**
 * A test user's temporary credentials. In memory only: JSON.stringify and util.inspect (console.log,
 * loggers) show a masked access key and nothing else.
 */
export class TemporaryCredentials implements AwsCredentials {
  constructor(
    readonly accessKeyId: string,
    readonly secretAccessKey: string,
    readonly sessionToken: string,
    readonly expiration?: Date,
  ) {}

  toJSON(): Record<string, string> {
    return { accessKeyId: maskKey(this.accessKeyId), secretAccessKey: '****', sessionToken: '****' };
  }

  [inspect.custom](): string {
    return `TemporaryCredentials(${maskKey(this.accessKeyId)})`;
  }
}

export interface LiveResolution {
  outcome: 'credentials' | 'error';
  identityId: string | null;
  roleArn: string | null;
  callerArn: string | null;
  expiration: string | null;
  error: { code: string; message: string } | null;
  /** How the credentials were asked for: enhanced (GetCredentialsForIdentity) or basic (GetOpenIdToken + STS). */
  flow?: 'enhanced' | 'basic';
  /**
   * The session tags the credentials carry, when known. Neither GetCredentialsForIdentity nor
   * AssumeRoleWithWebIdentity reports them, so live calls leave this null (unknown); the prediction
   * has the engine's (Resolution.sessionTags).
   */
  sessionTags?: Record<string, string> | null;
}

export interface IdentityClients {
  cognitoIdentity: Pick<CognitoIdentityClient, 'send'>;
  /** An STS client signed with the given credentials. */
  stsWith(credentials: AwsCredentials): Pick<STSClient, 'send'>;
}

/** The basic flow also calls STS AssumeRoleWithWebIdentity, which the SDK sends unsigned (the web identity token is the proof). */
export interface BasicFlowClients extends IdentityClients {
  sts: Pick<STSClient, 'send'>;
}

export interface ResolveRequest {
  identityPoolId: string;
  /**
   * The Logins key: `cognito-idp.<region>.amazonaws.com/<userPoolId>` for a user pool's token, the
   * host (and path) of an OIDC provider (loginsKeyForProvider), a social provider's domain, a SAML
   * provider ARN. Omitted with idToken: a guest.
   */
  providerName?: string;
  /** Omitted: a guest (unauthenticated identity): GetId and GetCredentialsForIdentity without Logins. */
  idToken?: string;
  customRoleArn?: string;
  /** Known roles, to give the assumed role its full ARN (with path). */
  roleArns?: string[];
}

/** The Logins key of the user pool that issued the token (region from the pool id). */
export function loginsKeyFor(userPoolId: string, fallbackRegion: string): string {
  const region = /^([a-z]{2}(?:-[a-z]+)+-\d)_/.exec(userPoolId)?.[1] ?? fallbackRegion;
  return providerNameFor(region, userPoolId);
}

/**
 * The Logins key of a provider that is not a user pool: an OIDC provider goes by its host and path
 * (`arn:aws:iam::123456789012:oidc-provider/login.example.com` or `https://login.example.com` ->
 * `login.example.com`, cognito-semantics.md section 6); other names stay as they are.
 */
export function loginsKeyForProvider(name: string): string {
  return /:oidc-provider\//.test(name) || /^https?:\/\//.test(name) ? oidcProviderName(name) : name;
}

/** `arn:aws:sts::ACCT:assumed-role/NAME/SESSION` -> the role's ARN (from `known` when it has a path). */
export function roleArnFromCaller(callerArn: string, known: string[] = []): string | null {
  const match = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\//.exec(callerArn);
  if (!match) return null;
  const [, partition, account, name] = match;
  return known.find((arn) => roleNameFromArn(arn) === name && arn.includes(`::${account}:`)) ?? `arn:${partition}:iam::${account}:role/${name}`;
}

export async function resolveIdentity(clients: IdentityClients, request: ResolveRequest): Promise<{ live: LiveResolution; credentials: TemporaryCredentials | null }> {
  // A guest sends no Logins at all (the pool must allow unauthenticated identities).
  const Logins = request.idToken && request.providerName ? { [request.providerName]: request.idToken } : undefined;
  const live: LiveResolution = { outcome: 'error', identityId: null, roleArn: null, callerArn: null, expiration: null, error: null, flow: 'enhanced', sessionTags: null };
  try {
    const id = await clients.cognitoIdentity.send(new GetIdCommand({ IdentityPoolId: request.identityPoolId, ...(Logins ? { Logins } : {}) }));
    live.identityId = id.IdentityId ?? null;
    if (!live.identityId) throw new Error('GetId returned no IdentityId');
    const got = await clients.cognitoIdentity.send(
      new GetCredentialsForIdentityCommand({ IdentityId: live.identityId, ...(Logins ? { Logins } : {}), ...(request.customRoleArn ? { CustomRoleArn: request.customRoleArn } : {}) }),
    );
    const c = got.Credentials;
    // The response's secret is `SecretKey` (not SecretAccessKey), and Expiration a Date.
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken) throw new Error('GetCredentialsForIdentity returned no credentials');
    const credentials = new TemporaryCredentials(c.AccessKeyId, c.SecretKey, c.SessionToken, c.Expiration);
    const caller = await clients.stsWith(credentials).send(new GetCallerIdentityCommand({}));
    live.outcome = 'credentials';
    live.callerArn = caller.Arn ?? null;
    live.roleArn = caller.Arn ? roleArnFromCaller(caller.Arn, request.roleArns) : null;
    live.expiration = c.Expiration ? c.Expiration.toISOString() : null;
    return { live, credentials };
  } catch (error) {
    live.error = { code: errorCode(error), message: errorMessage(error) };
    return { live, credentials: null };
  }
}

/** The role session name the basic flow asks STS for (AssumeRoleWithWebIdentity: 2-64 of `[\w+=,.@-]`). */
export const BASIC_FLOW_SESSION_NAME = 'cognito-access-test-user';

/**
 * The basic (classic) flow, live (cognito-semantics.md section 6): GetId, GetOpenIdToken with the
 * same Logins, then STS AssumeRoleWithWebIdentity of the chosen role with Cognito's OpenID token
 * (role mappings do not apply; the trust policy alone decides), then GetCallerIdentity with the
 * credentials. The OpenID token stays in memory and is registered for redaction.
 */
export async function resolveBasicFlow(
  clients: BasicFlowClients, request: ResolveRequest & { roleArn: string; sessionName?: string },
): Promise<{ live: LiveResolution; credentials: TemporaryCredentials | null }> {
  const Logins = request.idToken && request.providerName ? { [request.providerName]: request.idToken } : undefined;
  const live: LiveResolution = { outcome: 'error', identityId: null, roleArn: null, callerArn: null, expiration: null, error: null, flow: 'basic', sessionTags: null };
  try {
    const id = await clients.cognitoIdentity.send(new GetIdCommand({ IdentityPoolId: request.identityPoolId, ...(Logins ? { Logins } : {}) }));
    live.identityId = id.IdentityId ?? null;
    if (!live.identityId) throw new Error('GetId returned no IdentityId');
    const open = await clients.cognitoIdentity.send(new GetOpenIdTokenCommand({ IdentityId: live.identityId, ...(Logins ? { Logins } : {}) }));
    if (!open.Token) throw new Error('GetOpenIdToken returned no token');
    rememberSecret(open.Token);
    const assumed = await clients.sts.send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: request.roleArn, RoleSessionName: request.sessionName ?? BASIC_FLOW_SESSION_NAME, WebIdentityToken: open.Token,
    }));
    const c = assumed.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRoleWithWebIdentity returned no credentials');
    const credentials = new TemporaryCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration);
    const caller = await clients.stsWith(credentials).send(new GetCallerIdentityCommand({}));
    live.outcome = 'credentials';
    live.callerArn = caller.Arn ?? assumed.AssumedRoleUser?.Arn ?? null;
    live.roleArn = live.callerArn ? roleArnFromCaller(live.callerArn, [request.roleArn, ...(request.roleArns ?? [])]) : null;
    live.expiration = c.Expiration ? c.Expiration.toISOString() : null;
    return { live, credentials };
  } catch (error) {
    live.error = { code: errorCode(error), message: errorMessage(error) };
    return { live, credentials: null };
  }
}

/**
 * The claims to predict with. Real Cognito puts `cognito:roles` and `cognito:preferred_role` into
 * the ID token of a user whose groups carry roles; a local stand-in (cognito-local) issues only
 * `cognito:groups`, and the sandbox's identity pool derives the roles from the groups, as Cognito
 * would have. With `fillRoleClaims` (set for a configured, non-AWS cognito-idp endpoint) the
 * missing role claims are predicted from the snapshot's groups the same way. Against AWS the
 * token is taken as it is: a missing claim there means a pre-token-generation trigger removed it.
 */
export function claimsForPrediction(snapshot: Snapshot, claims: Record<string, unknown>, fillRoleClaims: boolean): { claims: Record<string, unknown>; note?: string } {
  if (!fillRoleClaims || claims['cognito:roles'] !== undefined) return { claims };
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const pool = snapshot.userPools.find((p) => iss.endsWith(`/${p.Id}`));
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].map(String) : [];
  if (!pool || groups.length === 0) return { claims };
  const predicted = predictClaims(pool, groups).claims;
  if (!predicted['cognito:roles']) return { claims };
  const filled: Record<string, unknown> = { ...claims, 'cognito:roles': predicted['cognito:roles'] };
  if (predicted['cognito:preferred_role']) filled['cognito:preferred_role'] = predicted['cognito:preferred_role'];
  return { claims: filled, note: 'The token carries no cognito:roles (the local stand-in does not issue them): predicted from its groups as Cognito would.' };
}

export interface Comparison {
  predicted: Resolution;
  live: LiveResolution;
  agree: boolean;
  /** Why they differ, or what explains a live error, in short sentences. */
  notes: string[];
  /** The engine's findings on the role, mapping or pool involved, when the live call failed or disagrees. */
  findings: Finding[];
  /** The session tags: the engine's (from the token's claims and the pool's tag map) and the live ones when known (else null). */
  sessionTags: { predicted: Record<string, string> | null; live: Record<string, string> | null };
  /** The user pool's pre token generation trigger (from the token's issuer), when it has one. */
  trigger: { lambdaArn: string; version: string; description: string } | null;
}

export interface CompareRequest {
  identityPoolId: string;
  idTokenClaims: Record<string, unknown>;
  customRoleArn?: string;
  fillRoleClaims?: boolean;
  guest?: boolean;
  /** The Logins key of a provider that is not a user pool (an OIDC provider's host): the token is that provider's. */
  provider?: string;
  /** Basic (classic) flow: the role the client asked STS for. */
  basicFlowRoleArn?: string;
}

/** The engine's prediction for this token beside the live outcome. */
export function compareWithPrediction(snapshot: Snapshot, request: CompareRequest, live: LiveResolution): Comparison {
  const fromUserPool = !request.guest && request.provider === undefined;
  const { claims, note } = fromUserPool ? claimsForPrediction(snapshot, request.idTokenClaims, request.fillRoleClaims ?? false) : { claims: request.idTokenClaims, note: undefined };
  const flow = request.basicFlowRoleArn ? { basicFlowRoleArn: request.basicFlowRoleArn } : {};
  // A guest (no token): the engine's guest resolution (unauthenticated role, or guestsDisabled).
  const predicted = request.guest
    ? simulate(snapshot, { identityPoolId: request.identityPoolId, guest: true, ...(request.basicFlowRoleArn ? { basicFlow: true, roleArn: request.basicFlowRoleArn } : {}) }).resolution
    : simulateFromToken(snapshot, {
      identityPoolId: request.identityPoolId, idTokenClaims: claims, ...(request.customRoleArn ? { customRoleArn: request.customRoleArn } : {}),
      ...(request.provider !== undefined ? { provider: request.provider } : {}), ...flow,
    }).resolution;
  const notes: string[] = note ? [note] : [];
  const trigger = fromUserPool ? triggerOfToken(snapshot, request.idTokenClaims) : null;
  const tokenNote = trigger ? triggerTokenNote(snapshot, claims, trigger) : null;
  if (tokenNote) notes.push(tokenNote);
  let agree: boolean;
  if (predicted.outcome === 'credentials' && live.outcome === 'credentials') {
    agree = predicted.roleArn !== null && live.roleArn !== null && roleNameFromArn(predicted.roleArn) === roleNameFromArn(live.roleArn);
    if (!agree) {
      notes.push(`The engine predicted role ${predicted.roleArn}, but Cognito handed out ${live.roleArn}. ${trigger
        ? `The user pool's ${trigger.description} is the likely reason: it may have replaced cognito:groups, cognito:roles or cognito:preferred_role in the token Cognito Identity read; a change since the scan is the other.`
        : 'A change since the scan may be the reason.'}`);
    }
  } else if (predicted.error?.code === NOT_CAPTURED) {
    agree = false;
    notes.push(`No prediction: ${predicted.error.message}`);
  } else if (predicted.outcome === 'error' && live.outcome === 'error') {
    agree = predicted.error?.code === live.error?.code;
    if (!agree) notes.push(`Both failed, but with different errors: predicted ${predicted.error?.code}, live ${live.error?.code}.`);
  } else {
    agree = false;
    notes.push(live.outcome === 'error'
      ? `The engine predicted credentials for ${predicted.roleArn}, but Cognito answered ${live.error?.code}: ${live.error?.message}`
      : `The engine predicted ${predicted.error?.code}, but Cognito handed out credentials for ${live.roleArn}.`);
    if (trigger) notes.push(`The user pool's ${trigger.description} may be the reason: the role choice read the token's cognito:* claims, which the trigger may have replaced.`);
  }
  let findings: Finding[] = [];
  if (live.outcome === 'error' || !agree) {
    const involved = new Set([request.identityPoolId, ...[predicted.roleArn, live.roleArn].filter((x): x is string => Boolean(x))]);
    const touches = (f: Finding) => [f.subject, ...(f.related ?? [])].some((s) => involved.has(s.id) || s.id.startsWith(`${request.identityPoolId}/`));
    findings = diagnose(snapshot).findings.filter((f) => predicted.findings.includes(f.code) || touches(f));
    if (live.outcome === 'error' && findings.length > 0) notes.push(`Explained by: ${[...new Set(findings.map((f) => f.code))].join(', ')}.`);
  }
  if (fromUserPool && predicted.source === 'rule') {
    const writable = writableRuleMatched(snapshot, request.identityPoolId, claims);
    if (writable) {
      notes.push(writable.note);
      if (!findings.includes(writable.finding)) findings = [...findings, writable.finding];
    }
  }
  return { predicted, live, agree, notes, findings, sessionTags: { predicted: predicted.sessionTags, live: live.sessionTags ?? null }, trigger };
}

/**
 * When the Rules mapping rule that gave the role tests a claim the user can write themselves (the
 * engine's MAPPING_RULE_ON_WRITABLE_CLAIM for that rule): which rule matched, and that its claim's
 * value may be the user's own doing. The mapping is the token's (iss's user pool, aud's client).
 */
function writableRuleMatched(snapshot: Snapshot, identityPoolId: string, claims: Record<string, unknown>): { note: string; finding: Finding } | null {
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const aud = typeof claims.aud === 'string' ? claims.aud : '';
  const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === identityPoolId);
  if (!pool || !iss || !aud) return null;
  const key = `${iss.replace(/^https:\/\//, '')}:${aud}`;
  const mapping = ownValue(pool.RoleMappings, key);
  if (mapping?.Type !== 'Rules') return null;
  const rules = mapping.RulesConfiguration?.Rules ?? [];
  const index = rules.findIndex((rule) => matchRule(rule, ownValue(claims, rule.Claim)).matched);
  if (index < 0) return null;
  const rule = rules[index]!;
  // The finding is placed on the rule it is about (findings.ts placesOf).
  const finding = diagnose(snapshot).findings.find((f) => f.code === 'MAPPING_RULE_ON_WRITABLE_CLAIM'
    && placesOf(f).some((p) => p.kind === 'rule' && p.identityPoolId === identityPoolId && p.mappingKey === key && p.index === index));
  if (!finding) return null;
  const value = ownValue(claims, rule.Claim);
  const sure = finding.severity === 'error';
  return {
    finding,
    note: `Rules[${index}] (${rule.Claim} ${rule.MatchType} ${JSON.stringify(rule.Value)} -> ${roleNameFromArn(rule.RoleARN)}) matched on ${rule.Claim} = ${JSON.stringify(value)}, ` +
      `a claim the user ${sure ? 'can write' : 'may be able to write'} themselves (MAPPING_RULE_ON_WRITABLE_CLAIM): the value may be user-written, ` +
      `so ${roleNameFromArn(rule.RoleARN)} is open to any user of this app client.`,
  };
}

/** The pre token generation trigger of the user pool that issued the token (its `iss`), or null. */
function triggerOfToken(snapshot: Snapshot, claims: Record<string, unknown>): Comparison['trigger'] {
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const pool = snapshot.userPools.find((p) => iss.endsWith(`/${p.Id}`));
  const trigger = pool ? tokenTriggerOf(pool, snapshot.region) : null;
  return trigger ? { lambdaArn: trigger.lambdaArn, version: trigger.version, description: describeTrigger(trigger) } : null;
}

/**
 * When the token's role claims are not what its groups give: the trigger replaced them (the engine
 * predicts from the token, as Cognito Identity reads it; this says why it differs from the groups).
 */
function triggerTokenNote(snapshot: Snapshot, claims: Record<string, unknown>, trigger: NonNullable<Comparison['trigger']>): string | null {
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const pool = snapshot.userPools.find((p) => iss.endsWith(`/${p.Id}`));
  if (!pool) return null;
  const groups = claimList(claims['cognito:groups']);
  const fromGroups = predictClaims(pool, groups).claims;
  const tokenRoles = claims['cognito:roles'] === undefined ? [] : claimList(claims['cognito:roles']);
  const tokenPreferred = typeof claims['cognito:preferred_role'] === 'string' ? claims['cognito:preferred_role'] : null;
  const sameRoles = [...tokenRoles].sort().join(',') === [...(fromGroups['cognito:roles'] ?? [])].sort().join(',');
  if (sameRoles && tokenPreferred === fromGroups['cognito:preferred_role']) return null;
  const list = (roles: string[] | null) => (roles && roles.length ? roles.map(roleNameFromArn).join(', ') : 'none');
  return `The token's roles [${list(tokenRoles)}] (preferred ${tokenPreferred ? roleNameFromArn(tokenPreferred) : 'none'}) are not what its groups [${groups.join(', ')}] give ` +
    `([${list(fromGroups['cognito:roles'])}], preferred ${fromGroups['cognito:preferred_role'] ? roleNameFromArn(fromGroups['cognito:preferred_role']) : 'none'}): ` +
    `the user pool's ${trigger.description} replaced them. The engine predicts from the token, as Cognito Identity reads it.`;
}
