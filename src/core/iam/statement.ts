// One statement against one request: which parts match, and why not. The explanation reader of
// the compiled statements (compile.ts); decide.ts reads the same ones for the decision alone.
import { actionMatched, compileStatement, principalMatchOf, resourceMatched as resourcePartMatched, resourceState, type CompiledStatement } from './compile.ts';
import { explainCondition } from './conditions.ts';
import { displayResolved, parseTemplate, POLICY_VARIABLES_VERSION, templateMatcher } from './patterns.ts';
import type { ConditionResult, Policy, RequestContext, Statement, StatementPart, StatementResult } from './types.ts';

/** Action names are case-insensitive ("IAM JSON policy elements: Action"); `*` and `?` are wildcards. */
export function actionMatches(patterns: string[], action: string): boolean {
  for (const pattern of patterns) {
    if ((templateMatcher(parseTemplate(pattern, false), 'glob-ci', undefined) as (v: string) => boolean)(action)) return true;
  }
  return false;
}

/** Resource ARNs are case-sensitive, with per-segment wildcards and (2012-10-17) policy variables. */
export function resourceMatches(patterns: string[], resource: string, request: RequestContext, variables: boolean): boolean {
  const compiled = patterns.map((raw) => ({ raw, template: raw === '*' ? null : parseTemplate(raw, variables) }));
  return resourceState(compiled, resource, request).matched;
}

function quoteList(values: string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function describePrincipal(request: RequestContext): string {
  return request.principal ? `${request.principal.type} ${JSON.stringify(request.principal.id)}` : 'no principal';
}

/** The Resource / NotResource list as shown: variables substituted where the request has them. */
function shownResources(compiled: CompiledStatement, list: string[], request: RequestContext): string {
  const text = compiled.text;
  if (compiled.staticResources) return (text.resources ??= quoteList(list));
  return quoteList(list.map((r) => displayResolved(parseTemplate(r, compiled.variables), request)));
}

/** Evaluates every part of the statement (no short cut), so the explanation can name each failure. */
export function evaluateStatement(statement: Statement, policy: Policy, request: RequestContext): StatementResult {
  const compiled = compileStatement(statement, policy.Version === POLICY_VARIABLES_VERSION);
  const text = compiled.text;
  const why: string[] = [];

  let principalMatched = true;
  let principalMatchedAs: StatementResult['principalMatchedAs'];
  if (policy.kind === 'trust' || policy.kind === 'resource') {
    const match = principalMatchOf(compiled, request);
    principalMatched = match !== null;
    if (match) principalMatchedAs = match;
    else if (statement.Principal) why.push(`Principal ${(text.principal ??= JSON.stringify(statement.Principal))} does not name ${describePrincipal(request)}`);
    else if (statement.NotPrincipal) why.push(`NotPrincipal ${(text.principal ??= JSON.stringify(statement.NotPrincipal))} excludes ${describePrincipal(request)}`);
    else why.push('the statement names no Principal');
  }

  const actionOk = actionMatched(compiled, request.action);
  if (!actionOk) {
    const quoted = (text.actions ??= quoteList(statement.Action ?? statement.NotAction ?? []));
    why.push(statement.Action ? `Action ${quoted} does not cover ${JSON.stringify(request.action)}` : `NotAction ${quoted} excludes ${JSON.stringify(request.action)}`);
  }

  let resourceMatched = true;
  if (compiled.resources) {
    if (statement.Resource) {
      resourceMatched = resourcePartMatched(compiled, request);
      if (!resourceMatched) why.push(`Resource ${shownResources(compiled, statement.Resource, request)} does not cover ${JSON.stringify(request.resource)}`);
    } else {
      const state = resourceState(compiled.resources, request.resource, request);
      resourceMatched = !state.matched && state.unresolved.length === 0;
      if (state.matched) why.push(`NotResource ${shownResources(compiled, statement.NotResource!, request)} excludes ${JSON.stringify(request.resource)}`);
      else if (!resourceMatched) why.push(`NotResource ${quoteList(state.unresolved)} holds a policy variable the request has no value for, which makes the statement invalid`);
    }
  }

  const conditions: ConditionResult[] = compiled.conditions.map((c) => explainCondition(c, request));
  let conditionsMatched = true;
  for (const c of conditions) {
    if (!c.matched) {
      conditionsMatched = false;
      why.push(`Condition ${c.operator} ${c.key}: ${c.reason}`);
    }
  }

  const failed: StatementPart[] = [];
  if (!principalMatched) failed.push('principal');
  if (!actionOk) failed.push('action');
  if (!resourceMatched) failed.push('resource');
  if (!conditionsMatched) failed.push('condition');

  const result: StatementResult = {
    policyName: policy.name,
    policyKind: policy.kind,
    index: statement.index,
    effect: statement.Effect,
    applies: failed.length === 0,
    principalMatched,
    actionMatched: actionOk,
    resourceMatched,
    conditionsMatched,
    conditions,
    failed,
    statement,
  };
  if (policy.arn !== undefined) result.policyArn = policy.arn;
  if (statement.Sid !== undefined) result.sid = statement.Sid;
  if (why.length > 0) result.why = why;
  if (principalMatchedAs) result.principalMatchedAs = principalMatchedAs;
  return result;
}
