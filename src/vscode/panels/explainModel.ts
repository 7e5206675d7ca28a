// Builds the explain page's view (src/webview/protocol.ts ExplainView) from the engine's
// explanation of an AWS error (src/core/explainError.ts). Pure: type imports from the engine only,
// so node:test covers it and the extension bundle does not pull src/core in.
import type { ErrorExplanation } from '../../core/explainError.ts';
import type { Finding } from '../../core/findings.ts';
import type { ExplainView, FindingView } from '../../webview/protocol.ts';
import { explanationView } from './probeModel.ts';

const findingView = (f: Finding): FindingView => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix });

export interface ExplainContext {
  connection: { id: string; label: string } | null;
  /** Roles the Explorer can reveal (they are in the connection's snapshot). */
  revealable: (roleArn: string) => boolean;
}

export function explainView(result: ErrorExplanation, context: ExplainContext): ExplainView {
  const a = result.access;
  return {
    kind: result.kind,
    understood: result.understood,
    code: result.code,
    title: result.title,
    message: result.parsed.message,
    summary: result.summary,
    connection: context.connection,
    access: a ? {
      roleName: a.roleName, roleArn: a.roleArn, identityPoolId: a.identityPoolId, handedOutBy: a.handedOutBy, action: a.action, resource: a.resource, table: a.table,
      partitions: a.partitions, agrees: a.agrees, explanation: explanationView(a.decision.explanation)!, revealable: context.revealable(a.roleArn),
    } : null,
    pool: result.pool ? {
      identityPoolId: result.pool.identityPoolId,
      name: result.pool.identityPoolName,
      roles: result.pool.roles.map((r) => ({
        roleName: r.roleName, roleArn: r.roleArn, identityKind: r.identityKind, ways: r.ways, reachedBy: r.reachedBy, reachedAs: r.reachedAs,
        status: r.assumable === true ? 'assumable' : r.assumable === false ? 'refused' : 'unknown', state: r.state,
        findings: r.findings.map(findingView), failingStatement: r.failingStatement, correctedTrustPolicy: r.correctedTrustPolicy, revealable: context.revealable(r.roleArn),
      })),
    } : null,
    causes: result.causes,
    // Findings already shown with their role are not repeated.
    findings: result.findings.filter((f) => !result.pool?.roles.some((r) => r.findings.some((x) => x.code === f.code && x.message === f.message))).map(findingView),
    notes: result.notes,
    understoodForms: result.understoodForms ?? [],
  };
}
