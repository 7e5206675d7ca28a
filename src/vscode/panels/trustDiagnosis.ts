// The engine's diagnosis of a live identity-pool error, for the result panel: which role, which
// trust condition, what it holds and what it must hold, and the role's trust policy corrected.
// Pure: the engine is passed in (it loads lazily in the extension).
import type { Finding } from '../../core/findings.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { Engine } from '../lazy.ts';
import type { DiagnosisView } from '../../webview/protocol.ts';

const COGNITO = 'cognito-identity.amazonaws.com';

/** Whether a raw statement is the one that lets Cognito assume the role (or was meant to). */
function isCognitoStatement(statement: unknown): boolean {
  if (!statement || typeof statement !== 'object') return false;
  const principal = (statement as { Principal?: unknown }).Principal;
  const federated = principal && typeof principal === 'object' ? (principal as { Federated?: unknown }).Federated : undefined;
  const values = Array.isArray(federated) ? federated : [federated];
  return values.some((v) => v === COGNITO) || JSON.stringify(statement).includes('cognito-identity.amazon');
}

/**
 * The trust policy with the Cognito statement replaced by the one Cognito needs (the first
 * statement that names Cognito; else `preferIndex`; else appended). Other statements stay as they are.
 */
export function correctedTrustPolicy(document: Record<string, unknown>, recommended: Record<string, unknown>, preferIndex?: number): string {
  const raw = document.Statement;
  const statements: unknown[] = Array.isArray(raw) ? [...raw] : raw ? [raw] : [];
  let index = statements.findIndex(isCognitoStatement);
  if (index < 0 && preferIndex !== undefined && preferIndex < statements.length) index = preferIndex;
  if (index < 0) statements.push(recommended);
  else {
    const sid = (statements[index] as { Sid?: unknown }).Sid;
    statements[index] = typeof sid === 'string' ? { Sid: sid, ...recommended } : recommended;
  }
  return JSON.stringify({ ...document, Version: '2012-10-17', Statement: statements }, null, 2);
}

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
    base.statement = `${failing.sid ? `Statement "${failing.sid}"` : `Statement #${failing.index + 1}`} of the trust policy of ${role.RoleName}`;
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
  base.correctedTrustPolicy = correctedTrustPolicy(document, engine.recommendedTrustStatement(target), failing?.index);
  return base;
}
