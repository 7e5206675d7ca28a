// One statement against one request: which parts match, and why not.
import { evaluateConditionBlock } from './conditions.ts';
import { couldMatch, displayResolved, parseTemplate, POLICY_VARIABLES_VERSION, templateMatcher } from './patterns.ts';
import { matchPrincipal, type PrincipalMatch } from './principal.ts';
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
  return resourceMatchState(patterns, resource, request, variables).matched;
}

/**
 * Whether any pattern matches, and the patterns whose variables could not be resolved. "If AWS
 * cannot resolve a variable this might cause the entire statement to be invalid"
 * (reference_policies_variables.html): such a pattern matches nothing, and a NotResource holding
 * one does not apply either (iam-simulate agrees).
 */
function resourceMatchState(patterns: string[], resource: string, request: RequestContext, variables: boolean): { matched: boolean; unresolved: string[] } {
  const unresolved: string[] = [];
  let matched = false;
  for (const pattern of patterns) {
    if (pattern === '*') {
      matched = true;
      continue;
    }
    const template = parseTemplate(pattern, variables);
    const matcher = templateMatcher(template, 'arn', request);
    if (!matcher) {
      if (couldMatch(template, 'arn', request, resource)) unresolved.push(pattern);
    } else if (!matched && matcher(resource)) matched = true;
  }
  return { matched, unresolved };
}

function quoteList(values: string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function describePrincipal(request: RequestContext): string {
  return request.principal ? `${request.principal.type} ${JSON.stringify(request.principal.id)}` : 'no principal';
}

/** Evaluates every part of the statement (no short cut), so the explanation can name each failure. */
export function evaluateStatement(statement: Statement, policy: Policy, request: RequestContext): StatementResult {
  const variables = policy.Version === POLICY_VARIABLES_VERSION;
  const why: string[] = [];

  let principalMatched = true;
  let principalMatchedAs: StatementResult['principalMatchedAs'];
  if (policy.kind === 'trust' || policy.kind === 'resource') {
    if (statement.Principal) {
      const match: PrincipalMatch | null = matchPrincipal(statement.Principal, request.principal);
      principalMatched = match !== null;
      if (match) principalMatchedAs = match;
      else why.push(`Principal ${JSON.stringify(statement.Principal)} does not name ${describePrincipal(request)}`);
    } else if (statement.NotPrincipal) {
      principalMatched = matchPrincipal(statement.NotPrincipal, request.principal) === null;
      if (principalMatched) principalMatchedAs = 'not-principal';
      else why.push(`NotPrincipal ${JSON.stringify(statement.NotPrincipal)} excludes ${describePrincipal(request)}`);
    } else {
      principalMatched = false;
      why.push('the statement names no Principal');
    }
  }

  let actionMatched: boolean;
  if (statement.Action) {
    actionMatched = actionMatches(statement.Action, request.action);
    if (!actionMatched) why.push(`Action ${quoteList(statement.Action)} does not cover ${JSON.stringify(request.action)}`);
  } else {
    actionMatched = !actionMatches(statement.NotAction ?? [], request.action);
    if (!actionMatched) why.push(`NotAction ${quoteList(statement.NotAction ?? [])} excludes ${JSON.stringify(request.action)}`);
  }

  let resourceMatched = true;
  const shown = (list: string[]): string => quoteList(list.map((r) => displayResolved(parseTemplate(r, variables), request)));
  if (statement.Resource) {
    resourceMatched = resourceMatches(statement.Resource, request.resource, request, variables);
    if (!resourceMatched) why.push(`Resource ${shown(statement.Resource)} does not cover ${JSON.stringify(request.resource)}`);
  } else if (statement.NotResource) {
    const state = resourceMatchState(statement.NotResource, request.resource, request, variables);
    resourceMatched = !state.matched && state.unresolved.length === 0;
    if (state.matched) why.push(`NotResource ${shown(statement.NotResource)} excludes ${JSON.stringify(request.resource)}`);
    else if (!resourceMatched) why.push(`NotResource ${quoteList(state.unresolved)} holds a policy variable the request has no value for, which makes the statement invalid`);
  }

  const conditions: ConditionResult[] = statement.Condition ? evaluateConditionBlock(statement.Condition, request, policy.Version) : [];
  let conditionsMatched = true;
  for (const c of conditions) {
    if (!c.matched) {
      conditionsMatched = false;
      why.push(`Condition ${c.operator} ${c.key}: ${c.reason}`);
    }
  }

  const failed: StatementPart[] = [];
  if (!principalMatched) failed.push('principal');
  if (!actionMatched) failed.push('action');
  if (!resourceMatched) failed.push('resource');
  if (!conditionsMatched) failed.push('condition');

  const result: StatementResult = {
    policyName: policy.name,
    policyKind: policy.kind,
    index: statement.index,
    effect: statement.Effect,
    applies: failed.length === 0,
    principalMatched,
    actionMatched,
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
