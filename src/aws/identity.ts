// ID token -> identity pool credentials, live (enhanced flow: GetId, then GetCredentialsForIdentity
// with the same Logins; cognito-semantics.md section 2), then STS GetCallerIdentity with the new
// credentials to see which role was really assumed. The outcome is set beside the engine's
// prediction for the same token and snapshot; a live error is explained with the engine's findings.
import { inspect } from 'node:util';
import { GetCredentialsForIdentityCommand, GetIdCommand, type CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { diagnose } from '../core/diagnose.ts';
import type { Finding } from '../core/findings.ts';
import { predictClaims } from '../core/groups.ts';
import { NOT_CAPTURED, simulate, simulateFromToken, type Resolution } from '../core/simulate.ts';
import { providerNameFor, roleNameFromArn, type Snapshot } from '../core/snapshot.ts';
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
}

export interface IdentityClients {
  cognitoIdentity: Pick<CognitoIdentityClient, 'send'>;
  /** An STS client signed with the given credentials. */
  stsWith(credentials: AwsCredentials): Pick<STSClient, 'send'>;
}

export interface ResolveRequest {
  identityPoolId: string;
  /** The Logins key: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. Omitted with idToken: a guest. */
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
  const live: LiveResolution = { outcome: 'error', identityId: null, roleArn: null, callerArn: null, expiration: null, error: null };
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
}

/** The engine's prediction for this token beside the live outcome. */
export function compareWithPrediction(
  snapshot: Snapshot,
  request: { identityPoolId: string; idTokenClaims: Record<string, unknown>; customRoleArn?: string; fillRoleClaims?: boolean; guest?: boolean },
  live: LiveResolution,
): Comparison {
  const { claims, note } = request.guest ? { claims: {}, note: undefined } : claimsForPrediction(snapshot, request.idTokenClaims, request.fillRoleClaims ?? false);
  // A guest (no token): the engine's guest resolution (unauthenticated role, or guestsDisabled).
  const predicted = request.guest
    ? simulate(snapshot, { identityPoolId: request.identityPoolId, guest: true }).resolution
    : simulateFromToken(snapshot, {
      identityPoolId: request.identityPoolId, idTokenClaims: claims, ...(request.customRoleArn ? { customRoleArn: request.customRoleArn } : {}),
    }).resolution;
  const notes: string[] = note ? [note] : [];
  let agree: boolean;
  if (predicted.outcome === 'credentials' && live.outcome === 'credentials') {
    agree = predicted.roleArn !== null && live.roleArn !== null && roleNameFromArn(predicted.roleArn) === roleNameFromArn(live.roleArn);
    if (!agree) notes.push(`The engine predicted role ${predicted.roleArn}, but Cognito handed out ${live.roleArn}. A pre-token-generation trigger or a change since the scan may be the reason.`);
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
  }
  let findings: Finding[] = [];
  if (live.outcome === 'error' || !agree) {
    const involved = new Set([request.identityPoolId, ...[predicted.roleArn, live.roleArn].filter((x): x is string => Boolean(x))]);
    const touches = (f: Finding) => [f.subject, ...(f.related ?? [])].some((s) => involved.has(s.id) || s.id.startsWith(`${request.identityPoolId}/`));
    findings = diagnose(snapshot).findings.filter((f) => predicted.findings.includes(f.code) || touches(f));
    if (live.outcome === 'error' && findings.length > 0) notes.push(`Explained by: ${[...new Set(findings.map((f) => f.code))].join(', ')}.`);
  }
  return { predicted, live, agree, notes, findings };
}
