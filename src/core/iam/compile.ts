// Compiled statements: each statement is prepared once per policy Version (its patterns parsed,
// its wildcard matchers built, its condition keys lower-cased, its values split into literal text
// and variables), then evaluated many times. Two readers share them: the decision-only path
// (decide.ts: short-circuits, builds no text) and the explanation (statement.ts: every part, with
// the sentences for people). Both answer from the same compiled parts, so they cannot disagree.
//
// Parsed statements are immutable (policy.ts freezes them), so a compiled statement is kept in a
// WeakMap by the statement object and lives as long as the policy does.
import { compileConditionBlock, conditionHolds, type CompiledCondition } from './conditions.ts';
import { couldMatch, parseTemplate, POLICY_VARIABLES_VERSION, templateMatcher, type Template } from './patterns.ts';
import { compilePrincipal, matchCompiledPrincipal, type CompiledPrincipal, type PrincipalMatch } from './principal.ts';
import type { Effect, Policy, PolicyKind, RequestContext, Statement } from './types.ts';
import type { Matcher } from './wildcardMatch.ts';

/** Actions whose statement slices a compiled policy keeps (see sliceFor). */
const SLICES_PER_POLICY = 256;

/** A Resource / NotResource entry: `*`, or a template (with variables under 2012-10-17). */
type ResourcePattern = { raw: string; template: Template | null };

export interface CompiledStatement {
  statement: Statement;
  variables: boolean;
  effect: Effect;
  /** Action (or NotAction when `notAction`) as case-insensitive globs. */
  actions: Matcher[];
  notAction: boolean;
  /** Resource (or NotResource when `notResource`); null when the statement has neither (trust policies). */
  resources: ResourcePattern[] | null;
  notResource: boolean;
  /** No Resource / NotResource pattern holds a variable: the quoted list is the same for every request. */
  staticResources: boolean;
  conditions: CompiledCondition[];
  /** Principal or NotPrincipal (when `notPrincipal`); null when the statement names neither. */
  principal: CompiledPrincipal | null;
  notPrincipal: boolean;
  /** Quoted lists for explanations, computed on first use. */
  text: { actions?: string; resources?: string; principal?: string };
}

const compiledCache = new WeakMap<Statement, { plain?: CompiledStatement; variables?: CompiledStatement }>();

/** The compiled form of a statement (`variables`: the policy's Version is 2012-10-17). */
export function compileStatement(statement: Statement, variables: boolean): CompiledStatement {
  let entry = compiledCache.get(statement);
  if (!entry) compiledCache.set(statement, (entry = {}));
  const slot = variables ? 'variables' : 'plain';
  return (entry[slot] ??= build(statement, variables));
}

function build(statement: Statement, variables: boolean): CompiledStatement {
  const actionList = statement.Action ?? statement.NotAction ?? [];
  const resourceList = statement.Resource ?? statement.NotResource;
  const resources = resourceList ? resourceList.map((raw) => ({ raw, template: raw === '*' ? null : parseTemplate(raw, variables) })) : null;
  return {
    statement,
    variables,
    effect: statement.Effect,
    // Action names hold no variables in any Version.
    actions: actionList.map((pattern) => templateMatcher(parseTemplate(pattern, false), 'glob-ci', undefined)!),
    notAction: !statement.Action,
    resources,
    notResource: !statement.Resource && statement.NotResource !== undefined,
    staticResources: !resources?.some((r) => r.template?.hasVariables),
    conditions: statement.Condition ? compileConditionBlock(statement.Condition, variables) : [],
    principal: statement.Principal ? compilePrincipal(statement.Principal) : statement.NotPrincipal ? compilePrincipal(statement.NotPrincipal) : null,
    notPrincipal: !statement.Principal && statement.NotPrincipal !== undefined,
    text: {},
  };
}

/**
 * Does some Action / NotAction pattern match the action? Not memoized per statement: the decision
 * path asks once per policy and action (sliceFor), and an access matrix meets each pair once.
 */
export function actionHit(compiled: CompiledStatement, action: string): boolean {
  for (const matcher of compiled.actions) if (matcher(action)) return true;
  return false;
}

/** Action matched: some Action pattern covers it, or no NotAction pattern excludes it. */
export function actionMatched(compiled: CompiledStatement, action: string): boolean {
  return actionHit(compiled, action) !== compiled.notAction;
}

/**
 * Whether any pattern matches, and the patterns whose variables could not be resolved. "If AWS
 * cannot resolve a variable this might cause the entire statement to be invalid"
 * (reference_policies_variables.html): such a pattern matches nothing, and a NotResource holding
 * one does not apply either (iam-simulate agrees).
 */
export function resourceState(patterns: ResourcePattern[], resource: string, request: RequestContext): { matched: boolean; unresolved: string[] } {
  const unresolved: string[] = [];
  let matched = false;
  for (const { raw, template } of patterns) {
    if (!template) {
      matched = true;
      continue;
    }
    const matcher = templateMatcher(template, 'arn', request);
    if (!matcher) {
      if (couldMatch(template, 'arn', request, resource)) unresolved.push(raw);
    } else if (!matched && matcher(resource)) matched = true;
  }
  return { matched, unresolved };
}

/**
 * Resource matched (`resourceState` without the lists): Resource covers it, NotResource neither
 * excludes it nor is unresolved. The compiled matchers are cheap (most are an equality or a prefix
 * test), so nothing is memoized: a memo per statement and resource grew by the million in a matrix.
 */
export function resourceMatched(compiled: CompiledStatement, request: RequestContext): boolean {
  const { resources } = compiled;
  if (!resources) return true;
  return compiled.notResource ? notResourceMatched(resources, request.resource, request) : anyResourceMatches(resources, request.resource, request);
}

function anyResourceMatches(patterns: ResourcePattern[], resource: string, request: RequestContext): boolean {
  for (const { template } of patterns) {
    if (!template) return true;
    const matcher = templateMatcher(template, 'arn', request);
    if (matcher && matcher(resource)) return true;
  }
  return false;
}

function notResourceMatched(patterns: ResourcePattern[], resource: string, request: RequestContext): boolean {
  let unresolved = false;
  for (const { template } of patterns) {
    if (!template) return false;
    const matcher = templateMatcher(template, 'arn', request);
    if (matcher) {
      if (matcher(resource)) return false;
    } else if (!unresolved && couldMatch(template, 'arn', request, resource)) unresolved = true;
  }
  return !unresolved;
}

/** How the request's principal matches the statement (trust and resource policies); null: it does not. */
export function principalMatchOf(compiled: CompiledStatement, request: RequestContext): PrincipalMatch | 'not-principal' | null {
  if (!compiled.principal) return null;
  const match = matchCompiledPrincipal(compiled.principal, request.principal);
  if (compiled.notPrincipal) return match === null ? 'not-principal' : null;
  return match;
}

/** Only trust and resource policies name principals; elsewhere the principal is not checked. */
export function checksPrincipal(kind: PolicyKind): boolean {
  return kind === 'trust' || kind === 'resource';
}

/** Does the statement apply apart from its action and principal (resource, then conditions)? */
export function appliesBeyondAction(compiled: CompiledStatement, request: RequestContext): boolean {
  if (!resourceMatched(compiled, request)) return false;
  for (const condition of compiled.conditions) if (!conditionHolds(condition, request)) return false;
  return true;
}

/** The statements of a policy whose Action / NotAction part matches one action, by effect. */
export interface ActionSlice {
  denies: CompiledStatement[];
  allows: CompiledStatement[];
}

/** A policy's statements compiled, and sliced by action for the decision-only path. */
export interface CompiledPolicy {
  statements: CompiledStatement[];
  byAction: Map<string, ActionSlice>;
  /** The last slice asked for: decide() reads each policy's Deny, then its Allow statements, for one action. */
  lastAction?: string;
  lastSlice?: ActionSlice;
}

/**
 * Compiled policies by Statement list: every Policy parsed from one document shares the list
 * (policy.ts), so parsing a document again per simulation still finds its compiled form, with
 * the action slices it has gathered. A list built by hand may change: its statements are checked.
 */
const policyCache = new WeakMap<readonly Statement[], { plain?: CompiledPolicy; variables?: CompiledPolicy }>();

export function compilePolicy(policy: Policy): CompiledPolicy {
  const list = policy.Statement;
  let entry = policyCache.get(list);
  if (!entry) policyCache.set(list, (entry = {}));
  const variables = policy.Version === POLICY_VARIABLES_VERSION;
  const slot = variables ? 'variables' : 'plain';
  let compiled = entry[slot];
  if (!compiled || (!Object.isFrozen(list) && !sameStatements(compiled, list))) {
    compiled = { statements: list.map((s) => compileStatement(s, variables)), byAction: new Map() };
    entry[slot] = compiled;
  }
  return compiled;
}

function sameStatements(compiled: CompiledPolicy, list: readonly Statement[]): boolean {
  if (compiled.statements.length !== list.length) return false;
  for (let i = 0; i < list.length; i++) if (compiled.statements[i]!.statement !== list[i]) return false;
  return true;
}

/**
 * The Deny and Allow statements whose action part matches the action, in policy order (an
 * Effect that is neither takes no part, as in authorize.ts). One look-up per policy and request
 * instead of one per statement: the same few actions come back again and again.
 */
export function sliceFor(policy: CompiledPolicy, action: string): ActionSlice {
  if (action === policy.lastAction) return policy.lastSlice!;
  let slice = policy.byAction.get(action);
  if (!slice) {
    slice = { denies: [], allows: [] };
    for (const statement of policy.statements) {
      if (!actionMatched(statement, action)) continue;
      if (statement.effect === 'Deny') slice.denies.push(statement);
      else if (statement.effect === 'Allow') slice.allows.push(statement);
    }
    if (policy.byAction.size >= SLICES_PER_POLICY) policy.byAction.clear();
    policy.byAction.set(action, slice);
  }
  policy.lastAction = action;
  policy.lastSlice = slice;
  return slice;
}
