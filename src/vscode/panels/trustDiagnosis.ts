// The engine's diagnosis of a live identity-pool error, for the result panel: which role, which
// trust condition, what it holds and what it must hold, and the role's trust policy corrected.
// Pure: the engine is passed in (it loads lazily in the extension).
import type { Finding } from '../../core/findings.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { Engine } from '../lazy.ts';
import { statementRef } from '../../webview/format.ts';
import type { DiagnosisView } from '../../webview/protocol.ts';

export interface DiagnosisInput {
  identityPoolId: string;
  findings: Finding[];
  predictedFindings: string[];
  liveError: { code: string; message: string } | null;
  /**
   * The session tags Cognito passes (the prediction's), and the provider whose tag map gives them:
   * then the trust must also allow sts:TagSession, and the corrected policy says so.
   */
  sessionTags?: Record<string, string> | null;
  /** The Logins key of a provider that is not a user pool (its amr entry); default: the snapshot's user pool. */
  provider?: string | null;
}

export function trustDiagnosis(engine: Engine, snapshot: Snapshot, input: DiagnosisInput): DiagnosisView | null {
  const findings = input.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix }));
  const trustFinding = input.findings.find((f) => f.subject.kind === 'role' && (f.code.startsWith('TRUST_') || f.code === 'GROUP_ROLE_NOT_ASSUMABLE'));
  const base: DiagnosisView = {
    roleArn: null,
    summary: input.liveError ? `${input.liveError.code}: ${input.liveError.message}` : 'The engine and Cognito differ.',
    statement: null,
    conditions: [],
    findings,
    correctedTrustPolicy: null,
  };
  if (!trustFinding) return findings.length > 0 || input.liveError ? base : null;
  const roleArn = trustFinding.subject.id;
  const role = snapshot.roles.find((r) => r.Arn === roleArn);
  base.roleArn = roleArn;
  base.summary = trustFinding.message;
  if (!role || !role.AssumeRolePolicyDocument) return base;
  const userPool = snapshot.userPools[0];
  const providerName = input.provider ?? (userPool ? engine.providerNameFor(snapshot.region, userPool.Id) : null);
  // A tag map that applies: STS also needs sts:TagSession (TRUST_NO_TAG_SESSION), so the check and the fix carry the tags.
  const tags = input.sessionTags && Object.keys(input.sessionTags).length > 0 && providerName
    ? { sessionTags: { provider: providerName, tags: input.sessionTags, describe: Object.keys(input.sessionTags).join(', ') } }
    : {};
  const target = {
    identityPoolId: input.identityPoolId, kind: 'authenticated' as const,
    ...(input.provider ? { provider: input.provider } : userPool ? { userPool: { region: snapshot.region, id: userPool.Id } } : {}), ...tags,
  };
  const verdict = engine.checkTrust(role, target);
  const explanation = verdict.decision?.explanation;
  const candidates = [explanation?.closest, ...(explanation?.notMatched ?? [])].filter((r): r is NonNullable<typeof r> => Boolean(r));
  const failing = candidates.find((r) => r.effect === 'Allow' && r.principalMatched && r.actionMatched && !r.conditionsMatched) ?? candidates[0];
  if (failing) {
    const ref = statementRef(failing);
    base.statement = `${ref.charAt(0).toUpperCase()}${ref.slice(1)} of the trust policy of ${role.RoleName}`;
    base.conditions = failing.conditions
      .filter((c) => !c.matched)
      .map((c) => ({ operator: c.operator, key: c.key, holds: c.policyValues, mustHold: c.requestValues, reason: c.reason }));
  }
  if (!failing && trustFinding.code === 'TRUST_NO_TAG_SESSION' && explanation?.deciding[0]) {
    // The web-identity statement matches; what is missing is sts:TagSession in its Action.
    const ref = statementRef(explanation.deciding[0]);
    base.statement = `${ref.charAt(0).toUpperCase()}${ref.slice(1)} of the trust policy of ${role.RoleName}: it allows sts:AssumeRoleWithWebIdentity but not sts:TagSession, which the session tags need`;
  }
  let document: Record<string, unknown>;
  try {
    document = engine.decodePolicyDocument(role.AssumeRolePolicyDocument);
  } catch {
    return base;
  }
  base.correctedTrustPolicy = engine.correctedTrustPolicy(document, engine.recommendedTrustStatement(target), failing?.index);
  return base;
}
