// Explanations: the deciding statements, why the others did not match, the closest statement to
// an allow and the smallest change that would allow the request. Everything here is plain JSON
// data (no class instances, no functions), so the CLI can print it and the probe panel can show it.
import { ownValue, setOwn } from '../records.ts';
import type { Decision, Explanation, Policy, PolicyKind, RequestContext, Statement, StatementResult } from './types.ts';

const KIND_LABEL: Record<PolicyKind, string> = {
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  resource: 'resource-based policy',
  session: 'session policy',
  trust: 'trust policy',
};

/**
 * How every output names a statement: its place in the policy's JSON, `Statement[1]` (from 0, as
 * a JSON path), with its Sid when it has one: `statement "ReadBooks" (Statement[1])`.
 */
export function statementRef(r: { sid?: string | undefined; index: number }): string {
  return r.sid ? `statement "${r.sid}" (Statement[${r.index}])` : `Statement[${r.index}]`;
}

/** `statement "ReadBooks" (Statement[1]) of identity-based policy "BooksRead"`. */
export function statementLabel(r: Pick<StatementResult, 'sid' | 'index' | 'policyName' | 'policyKind'>): string {
  return `${statementRef(r)} of ${KIND_LABEL[r.policyKind]} "${r.policyName}"`;
}

/** A normalized statement back as policy JSON (single values stay arrays: both are valid). */
export function statementJson(statement: Statement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (statement.Sid !== undefined) out.Sid = statement.Sid;
  out.Effect = statement.Effect;
  if (statement.Principal) out.Principal = statement.Principal;
  if (statement.NotPrincipal) out.NotPrincipal = statement.NotPrincipal;
  if (statement.Action) out.Action = unwrap(statement.Action);
  if (statement.NotAction) out.NotAction = unwrap(statement.NotAction);
  if (statement.Resource) out.Resource = unwrap(statement.Resource);
  if (statement.NotResource) out.NotResource = unwrap(statement.NotResource);
  if (statement.Condition) {
    const condition: Record<string, Record<string, string | string[]>> = {};
    for (const [op, keys] of Object.entries(statement.Condition)) {
      const entries: Record<string, string | string[]> = {};
      for (const [key, values] of Object.entries(keys)) setOwn(entries, key, unwrap(values));
      setOwn(condition, op, entries);
    }
    out.Condition = condition;
  }
  return out;
}

function unwrap(values: string[]): string | string[] {
  return values.length === 1 ? values[0]! : [...values];
}

/** The Allow statement that came closest: fewest failing parts, then one whose action matches, then policy order. */
export function closestStatement(results: StatementResult[]): StatementResult | undefined {
  let best: StatementResult | undefined;
  const score = (r: StatementResult): number => r.failed.length * 2 + (r.actionMatched ? 0 : 1);
  for (const r of results) {
    if (r.effect !== 'Allow') continue;
    if (!best || score(r) < score(best)) best = r;
  }
  return best;
}

export interface Suggestion {
  sentence: string;
  statement?: Record<string, unknown>;
}

/** An implicit deny's closest statement, the smallest fix to it, and where that fix goes. */
export function explainClosest(explanation: Explanation, closest: StatementResult, request: RequestContext): void {
  explanation.closest = closest;
  const fix = suggestFix(closest, request);
  explanation.suggestion = fix.sentence;
  if (fix.statement) explanation.suggestedStatement = fix.statement;
  explanation.suggestedIn = { policyName: closest.policyName, policyKind: closest.policyKind, index: closest.index };
  if (closest.policyArn) explanation.suggestedIn.policyArn = closest.policyArn;
  if (closest.sid) explanation.suggestedIn.sid = closest.sid;
}

/** The smallest change to `closest` that would make it apply to the request. */
export function suggestFix(closest: StatementResult, request: RequestContext): Suggestion {
  const label = statementLabel(closest);
  const changes: string[] = [];
  const corrected = { ...closest.statement };
  let editable = true;
  if (!closest.actionMatched) {
    if (closest.statement.Action) {
      changes.push(`add "${request.action}" to its Action`);
      corrected.Action = [...closest.statement.Action, request.action];
    } else {
      changes.push(`remove the entry that excludes "${request.action}" from its NotAction`);
      editable = false;
    }
  }
  if (!closest.resourceMatched) {
    if (closest.statement.Resource) {
      changes.push(`add "${request.resource}" to its Resource`);
      corrected.Resource = [...closest.statement.Resource, request.resource];
    } else {
      changes.push(`remove the entry that excludes "${request.resource}" from its NotResource`);
      editable = false;
    }
  }
  if (!closest.principalMatched) {
    const p = request.principal;
    changes.push(p ? `name ${p.type} "${p.id}" in its Principal` : 'name the caller in its Principal');
    if (p && closest.statement.Principal && closest.statement.Principal !== '*') {
      const principal = { ...closest.statement.Principal };
      setOwn(principal, p.type, [...(ownValue(principal, p.type) ?? []), p.id]);
      corrected.Principal = principal;
    } else editable = false;
  }
  for (const c of closest.conditions) {
    if (c.matched) continue;
    editable = false;
    changes.push(
      c.requestValues === null
        ? `make condition ${c.operator} "${c.key}" hold: the request has no "${c.key}" (${c.reason})`
        : `make condition ${c.operator} "${c.key}" hold: ${c.reason}`,
    );
  }
  const sentence = `${capitalize(label)} comes closest; to allow ${request.action} on ${request.resource}, ${changes.join('; ')}.`;
  return editable ? { sentence, statement: statementJson(corrected) } : { sentence };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A new statement that allows exactly the request (when no Allow statement exists at all). */
export function newStatementFor(request: RequestContext): Record<string, unknown> {
  return { Effect: 'Allow', Action: request.action, Resource: request.resource };
}

export function problemsOf(policies: Policy[]): Explanation['problems'] {
  const out: NonNullable<Explanation['problems']> = [];
  for (const p of policies) for (const problem of p.problems) out.push({ policyName: p.name, path: problem.path, message: problem.message });
  return out.length > 0 ? out : undefined;
}

/** A few readable lines for the CLI's text output. */
export function formatDecisionText(decision: Decision): string[] {
  const verdict = decision.decision === 'allowed' ? 'ALLOWED' : decision.decision === 'explicit-deny' ? 'DENIED (explicit deny)' : 'DENIED (implicit deny)';
  const e = decision.explanation;
  const lines = [`${decision.action} on ${decision.resource}: ${verdict}`, `  ${e.summary}`];
  for (const d of e.deciding) lines.push(`  decided by ${statementLabel(d)}`);
  if (e.closest) {
    lines.push(`  closest: ${statementLabel(e.closest)}`);
    for (const why of e.closest.why ?? []) lines.push(`    - ${why}`);
  }
  if (e.suggestion) lines.push(`  fix: ${e.suggestion}`);
  if (e.suggestedStatement) lines.push(`    ${JSON.stringify(e.suggestedStatement)}`);
  for (const p of e.problems ?? []) lines.push(`  warning: policy "${p.policyName}" ${p.path ? `${p.path}: ` : ''}${p.message}`);
  return lines;
}
