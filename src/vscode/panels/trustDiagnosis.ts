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
  const target = { identityPoolId: input.identityPoolId, kind: 'authenticated' as const, ...(userPool ? { userPool: { region: snapshot.region, id: userPool.Id } } : {}) };
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
  let document: Record<string, unknown>;
  try {
    document = engine.decodePolicyDocument(role.AssumeRolePolicyDocument);
  } catch {
    return base;
  }
  base.correctedTrustPolicy = engine.correctedTrustPolicy(document, engine.recommendedTrustStatement(target), failing?.index);
  return base;
}
