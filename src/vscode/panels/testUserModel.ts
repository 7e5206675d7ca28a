// Builds the Test-as-user panel's view (src/webview/protocol.ts TestUserView) from a live
// session. Pure: type imports only, the engine passed in. Secrets stay out: the view carries
// masked credentials and token claims, never a raw token or key.
import type { Session } from '../../pipeline/session.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { Engine } from '../lazy.ts';
import { claimRows } from '../../webview/format.ts';
import type { CredentialsView, SessionTagsView, StepView, TestUserView, TokenView } from '../../webview/protocol.ts';
import { trustDiagnosis } from './trustDiagnosis.ts';

export const STEP_LABELS: Record<StepView['step'], string> = {
  scan: 'Read the user pool, identity pool and roles',
  signIn: 'Sign in (InitiateAuth)',
  challenge: 'Answer a challenge (RespondToAuthChallenge)',
  signature: "Check the ID token's signature",
  GetId: 'GetId',
  GetCredentialsForIdentity: 'GetCredentialsForIdentity',
  GetOpenIdToken: 'GetOpenIdToken (basic flow)',
  AssumeRoleWithWebIdentity: 'AssumeRoleWithWebIdentity (STS, basic flow)',
  GetCallerIdentity: 'GetCallerIdentity (STS, as the test user)',
};

export function tokenView(engine: Engine, token: string): TokenView | null {
  try {
    const decoded = engine.decodeToken(token);
    return {
      header: claimRows(decoded.header as Record<string, unknown>),
      claims: claimRows(decoded.claims),
      expiresAt: decoded.expiresAt ? decoded.expiresAt.toISOString() : null,
      issuedAt: typeof decoded.claims.iat === 'number' ? new Date(decoded.claims.iat * 1000).toISOString() : null,
      tokenUse: decoded.tokenUse,
    };
  } catch {
    return null;
  }
}

export interface TestUserInput {
  connection: string;
  connectionId: string;
  clientId: string;
  username: string;
  session: Session;
  idToken: string;
  hasAccessToken: boolean;
  steps: StepView[];
  /** The connection's own snapshot (for "stale snapshot" and "groups changed" reasons). */
  connectionSnapshot?: Snapshot;
  connectionLoadedAt?: Date;
  mask: (value: string) => string;
  /** When the sign-in ran; default now. */
  signedInAt?: Date;
}

/** "Why this may be": the usual causes of a prediction that differs from what Cognito did. */
export function differReasons(input: TestUserInput, token: TokenView | null): string[] {
  const { session } = input;
  const reasons: string[] = [];
  const tokenGroups = session.claims['cognito:groups'];
  const listed = input.connectionSnapshot?.userPools.find((p) => p.Id === session.snapshot.userPools[0]?.Id)?.Users?.find((u) => u.Username === input.username)?.Groups;
  if (listed && [...listed].sort().join(',') !== [...tokenGroups].sort().join(',')) {
    reasons.push(`The token says groups [${tokenGroups.join(', ')}], the connection's snapshot lists [${listed.join(', ')}]: group changes reach only tokens issued after them (sign in again), or the snapshot is older than the change.`);
  }
  // The comparison names the user pool's trigger itself when there is one (src/aws/identity.ts).
  // Without one, a trigger is a reason only when the scan could not read the pool's settings.
  const pool = session.snapshot.userPools[0];
  const settingsUnread = !pool || Boolean(session.snapshot.scanGaps?.some((g) => g.operation === 'DescribeUserPool' && g.resource === pool.Id));
  if (!session.comparison.trigger && !session.provider && settingsUnread) {
    reasons.push('A pre-token-generation Lambda trigger on the user pool can add, remove or override cognito:groups, cognito:roles and cognito:preferred_role in the token (the scan could not read the user pool\'s trigger configuration).');
  }
  if (input.connectionLoadedAt) reasons.push(`The explorer's snapshot was read at ${input.connectionLoadedAt.toISOString()}; roles, trust policies or role mappings changed since then show in a refresh (this test read them fresh).`);
  if (token?.issuedAt) reasons.push(`The token was issued at ${token.issuedAt}: groups changed after that are not in it.`);
  return reasons;
}

export function credentialsView(session: Session, mask: (value: string) => string): CredentialsView | null {
  const c = session.credentials;
  if (!c) return null;
  return {
    masked: { accessKeyId: mask(c.accessKeyId), secretAccessKey: mask(c.secretAccessKey), sessionToken: mask(c.sessionToken) },
    expiration: c.expiration ? c.expiration.toISOString() : session.comparison.live.expiration,
    assumedRoleArn: session.comparison.live.callerArn,
  };
}

export function testUserView(engine: Engine, input: TestUserInput): TestUserView {
  const { session } = input;
  const { comparison: c } = session;
  const token = tokenView(engine, input.idToken);
  const p = c.predicted;
  const l = c.live;
  const roleName = (arn: string | null) => (arn ? arn.slice(arn.lastIndexOf('/') + 1) : '(none)');
  const predictedText = p.outcome === 'credentials' ? `role ${roleName(p.roleArn)}` : `${p.error?.code}`;
  const liveText = l.outcome === 'credentials' ? `role ${roleName(l.roleArn)}` : `${l.error?.code}`;
  const verdict = c.agree
    ? `Agree: the engine predicted ${predictedText}, and Cognito ${l.outcome === 'credentials' ? 'handed out' : 'answered'} ${liveText}.`
    : `Differ: the engine predicted ${predictedText}, but Cognito ${l.outcome === 'credentials' ? 'handed out' : 'answered'} ${liveText}.`;
  const reasons = [...c.notes, ...(c.agree ? [] : differReasons(input, token))];
  const pool = session.snapshot.userPools[0];
  return {
    title: `${input.username} · ${session.identityPoolId}`,
    connection: input.connection,
    connectionId: input.connectionId,
    userPoolId: pool?.Id ?? '',
    clientId: input.clientId,
    username: input.username,
    identityPoolId: session.identityPoolId,
    signInFlow: session.signIn.flow,
    challenges: session.signIn.challenges,
    signedInAt: (input.signedInAt ?? new Date()).toISOString(),
    steps: input.steps,
    signature: session.signature,
    signatureReason: session.signatureReason ?? null,
    idToken: token,
    hasAccessToken: input.hasAccessToken,
    predicted: { outcome: p.outcome, roleArn: p.roleArn, source: p.source, error: p.error, steps: p.steps },
    live: { ...l },
    agree: c.agree,
    verdict,
    reasons,
    credentials: credentialsView(session, input.mask),
    diagnosis: l.outcome === 'error' || !c.agree ? trustDiagnosis(engine, session.snapshot, {
      identityPoolId: session.identityPoolId, findings: c.findings, predictedFindings: p.findings, liveError: l.error, sessionTags: p.sessionTags, provider: session.provider ?? null,
    }) : null,
    provider: session.provider ?? null,
    flow: session.flow ?? 'enhanced',
    basicFlowRole: session.basicFlowRole ?? null,
    sessionTags: sessionTagsView(c),
    predictionNotes: [...p.notes],
    trigger: c.trigger ? { lambdaArn: c.trigger.lambdaArn, version: c.trigger.version } : null,
  };
}

/** The session tags, predicted and live, with the engine's steps that say where they come from. */
export function sessionTagsView(c: Session['comparison']): SessionTagsView {
  const predicted = c.sessionTags?.predicted ?? c.predicted.sessionTags ?? null;
  return {
    predicted: predicted ? { ...predicted } : null,
    live: c.sessionTags?.live ? { ...c.sessionTags.live } : null,
    how: c.predicted.steps.filter((s) => /principal[- ]tag|session tag/i.test(s)),
  };
}
