// The Condition block: every operator, IfExists, ForAnyValue / ForAllValues, missing keys.
//
// Rules (IAM User Guide):
// - Several operators in a block, and several keys under one operator, must all hold (AND);
//   several values for one key: any may match (OR) — reference_policies_condition-logic-multiple-context-keys-or-values.html.
// - Key names are case-insensitive; values are case-sensitive except for the IgnoreCase operators
//   (and Bool) — reference_policies_elements_condition.html.
// - A key absent from the request: the condition is false, except that a negated operator
//   (StringNotEquals, ArnNotLike, NotIpAddress, ...) is then true, `...IfExists` is true, and
//   `Null` tests exactly that — reference_policies_elements_condition_operators.html
//   ("If the key that you specify in a policy condition is not present in the request context,
//   the values do not match and the condition is false. If the policy condition requires that the
//   key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the
//   condition is true.").
// - ForAllValues: true when every request value matches, also when the key is missing or empty;
//   ForAnyValue: true when at least one matches, false when the key is missing or empty —
//   reference_policies_condition-single-vs-multi-valued-context-keys.html.
// - "Multivalued context keys require a condition set operator", and whether a key is
//   multivalued "lies in the number of values in the request context" (same page): a request key
//   with two or more values tested by a plain operator never matches; with exactly one value it is
//   compared like a single-valued key.
import { contextValuesForDisplay, lookupLower } from './context.ts';
import { compareValue, parseOperator, templatesFor, valueMatches, type ParsedOperator, type ValueComparison } from './operators.ts';
import { displayResolved, literalText, POLICY_VARIABLES_VERSION, variableUsesIn, type Template } from './patterns.ts';
import type { ConditionBlock, ConditionResult, RequestContext } from './types.ts';

function quote(values: string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function result(
  operator: string,
  key: string,
  matched: boolean,
  requestValues: string[] | null,
  policyValues: string[],
  reason: string,
): ConditionResult {
  return { operator, key, matched, requestValues, policyValues, reason };
}

/**
 * One operator + key of a Condition block, prepared once per policy: the operator parsed, the key
 * lower-cased, the values parsed as templates, and what explanations quote when no value holds a
 * variable. `literal` turns a StringEquals over many values (an aud list) into one set look-up.
 */
export interface CompiledCondition {
  operator: string;
  key: string;
  lowerKey: string;
  values: string[];
  parsed: ParsedOperator;
  variables: boolean;
  templates: Template[];
  /** Some value holds a variable: the values as shown depend on the request. */
  anyVariables: boolean;
  /** `quote(values)`, computed for the first explanation. */
  quoted?: string;
  /** StringEquals / StringEqualsIgnoreCase (and their negations) without variables: the compared texts (lower-cased for IgnoreCase). */
  literal: Set<string> | null;
  /** Null: whether the values list "true" / "false". */
  nullTrue: boolean;
  nullFalse: boolean;
  /** The principal-tag variables in the values (the reason names their values), first spelling of each. */
  tagKeys: string[];
}

export function compileCondition(operator: string, key: string, values: string[], variables: boolean): CompiledCondition {
  const parsed = parseOperator(operator);
  const templates = templatesFor(values, variables);
  const anyVariables = templates.some((t) => t.hasVariables);
  const mode = parsed.base?.mode;
  let literal: Set<string> | null = null;
  if (!anyVariables && (mode === 'literal' || mode === 'literal-ci')) {
    literal = new Set(templates.map((t) => (mode === 'literal' ? literalText(t) : literalText(t).toLowerCase())));
  }
  const tagKeys: string[] = [];
  if (variables) {
    const seen = new Set<string>();
    for (const value of values) {
      if (!value.includes('${')) continue;
      for (const use of variableUsesIn(value)) {
        const lower = use.key.toLowerCase();
        if (!lower.startsWith('aws:principaltag/') || seen.has(lower)) continue;
        seen.add(lower);
        tagKeys.push(use.key);
      }
    }
  }
  return {
    operator,
    key,
    lowerKey: key.toLowerCase(),
    values,
    parsed,
    variables,
    templates,
    anyVariables,
    literal,
    nullTrue: values.some((v) => v.toLowerCase() === 'true'),
    nullFalse: values.some((v) => v.toLowerCase() === 'false'),
    tagKeys,
  };
}

const blockCache = new WeakMap<ConditionBlock, { plain?: CompiledCondition[]; variables?: CompiledCondition[] }>();

/** Every operator and key of a block, in the policy's order, compiled once per block object. */
export function compileConditionBlock(block: ConditionBlock, variables: boolean): CompiledCondition[] {
  if (!block) return [];
  let entry = blockCache.get(block);
  if (!entry) blockCache.set(block, (entry = {}));
  const slot = variables ? 'variables' : 'plain';
  let compiled = entry[slot];
  if (!compiled) {
    compiled = [];
    for (const [operator, keys] of Object.entries(block)) {
      for (const [key, values] of Object.entries(keys ?? {})) {
        compiled.push(compileCondition(operator, key, Array.isArray(values) ? values : [String(values)], variables));
      }
    }
    entry[slot] = compiled;
  }
  return compiled;
}

/** Evaluates one operator + key against the request; a reason that reads a principal tag names its value. */
export function evaluateCondition(operator: string, key: string, values: string[], request: RequestContext, version: string | undefined): ConditionResult {
  return explainCondition(compileCondition(operator, key, values, version === POLICY_VARIABLES_VERSION), request);
}

/** How a compiled condition turns out, with the reason for people. */
export function explainCondition(condition: CompiledCondition, request: RequestContext): ConditionResult {
  const evaluated = explainOnly(condition, request);
  if (condition.tagKeys.length > 0) evaluated.reason += principalTagNote(condition.tagKeys, request);
  return evaluated;
}

/**
 * `; aws:PrincipalTag/dept is "books"` for each principal-tag variable in the values (session tags
 * from the identity pool's tag map), or that the session has no such tag.
 */
function principalTagNote(tagKeys: string[], request: RequestContext): string {
  let note = '';
  for (const key of tagKeys) {
    const found = lookupLower(request, key.toLowerCase());
    note += found.kind === 'single' ? `; ${key} is ${JSON.stringify(found.value)}` : `; the session has no principal tag ${JSON.stringify(key.slice('aws:PrincipalTag/'.length))}`;
  }
  return note;
}

/** One request value against the condition's values; a set look-up for plain literal comparisons. */
function compare(condition: CompiledCondition, requestValue: string, request: RequestContext): ValueComparison {
  const base = condition.parsed.base!;
  if (condition.literal) {
    const hit = condition.literal.has(base.mode === 'literal-ci' ? requestValue.toLowerCase() : requestValue);
    return { matched: base.negated ? !hit : hit, unresolved: [] };
  }
  return compareValue(base, requestValue, condition.templates, request);
}

/** The decision-only form of `explainCondition(...).matched`: no reason, no lists. */
export function conditionHolds(condition: CompiledCondition, request: RequestContext): boolean {
  const { parsed } = condition;
  const base = parsed.base;
  if (!base) return false;
  const value = lookupLower(request, condition.lowerKey);
  if (base.family === 'Null') return value.kind === 'absent' ? condition.nullTrue : condition.nullFalse;
  if (value.kind === 'absent') {
    if (parsed.ifExists || parsed.set === 'ForAllValues') return true;
    if (parsed.set === 'ForAnyValue') return false;
    return base.negated;
  }
  if (!parsed.set) {
    if (value.kind === 'single') return holdsFor(condition, value.value, request);
    return value.values.length === 1 && holdsFor(condition, value.values[0]!, request);
  }
  // A set operator over a single value reads it as a list of one.
  if (value.kind === 'single') return holdsFor(condition, value.value, request);
  if (parsed.set === 'ForAllValues') {
    for (const item of value.values) if (!holdsFor(condition, item, request)) return false;
    return true;
  }
  for (const item of value.values) if (holdsFor(condition, item, request)) return true;
  return false;
}

function holdsFor(condition: CompiledCondition, requestValue: string, request: RequestContext): boolean {
  const base = condition.parsed.base!;
  if (condition.literal) {
    const hit = condition.literal.has(base.mode === 'literal-ci' ? requestValue.toLowerCase() : requestValue);
    return base.negated ? !hit : hit;
  }
  return valueMatches(base, requestValue, condition.templates, request);
}

function explainOnly(condition: CompiledCondition, request: RequestContext): ConditionResult {
  const { operator, key, values, parsed, templates } = condition;
  const value = lookupLower(request, condition.lowerKey);
  const requestValues = contextValuesForDisplay(value);
  // The policy values after substitution, for people; an unresolvable value is shown as written.
  const quotedValues = (condition.quoted ??= quote(values));
  const shown = condition.anyVariables ? templates.map((t) => (t.hasVariables ? displayResolved(t, request) : t.raw)) : [...values];
  const quotedShown = condition.anyVariables ? quote(shown) : quotedValues;
  const base = parsed.base;
  if (!base) return result(operator, key, false, requestValues, shown, `unknown condition operator "${operator}": the condition can never hold`);

  // An empty list is present but holds nothing: ForAllValues over it is true, ForAnyValue false
  // ("a null dataset", same page), and a plain operator has no value to compare.
  const present = value.kind !== 'absent';

  if (base.family === 'Null') {
    const ok = present ? condition.nullFalse : condition.nullTrue;
    return result(operator, key, ok, requestValues, shown, present ? `key present; Null expects ${quotedValues}` : `key absent; Null expects ${quotedValues}`);
  }

  if (!present) {
    if (parsed.ifExists) return result(operator, key, true, null, shown, 'key absent: ...IfExists is true');
    if (parsed.set === 'ForAllValues') return result(operator, key, true, null, shown, 'key absent: ForAllValues is true for a missing key');
    if (parsed.set === 'ForAnyValue') return result(operator, key, false, null, shown, 'key absent: ForAnyValue is false for a missing key');
    if (base.negated) return result(operator, key, true, null, shown, `key absent: the negated operator ${base.name} is true`);
    return result(operator, key, false, null, shown, 'key absent');
  }

  const list = value.kind === 'single' ? [value.value] : value.values;
  if (!parsed.set) {
    if (list.length === 0) return result(operator, key, false, list, shown, `${key} is an empty list; a plain operator has no value to compare`);
    if (list.length > 1) {
      return result(operator, key, false, list, shown, `${key} has ${list.length} values (${quote(list)}); a multivalued key needs ForAnyValue: or ForAllValues:`);
    }
    const cmp = compare(condition, list[0]!, request);
    return result(operator, key, cmp.matched, list, shown, describe(base.name, base.negated, list[0]!, quotedShown, cmp.matched, cmp.unresolved));
  }

  const failing: string[] = [];
  const passing: string[] = [];
  const unresolved = new Set<string>();
  for (const item of list) {
    const cmp = compare(condition, item, request);
    cmp.unresolved.forEach((u) => unresolved.add(u));
    (cmp.matched ? passing : failing).push(item);
  }
  const note = unresolved.size > 0 ? `; ${quote([...unresolved])} cannot be resolved (variable missing from the request, no default) and matches nothing` : '';
  if (parsed.set === 'ForAllValues') {
    const ok = failing.length === 0;
    return result(operator, key, ok, list, shown, ok ? `every value of ${key} satisfies ${base.name} ${quotedShown}${note}` : `${quote(failing)} does not satisfy ${base.name} ${quotedShown}${note}`);
  }
  const ok = passing.length > 0;
  return result(operator, key, ok, list, shown, ok ? `${quote(passing)} satisfies ${base.name} ${quotedShown}${note}` : `no value of ${key} (${quote(list)}) satisfies ${base.name} ${quotedShown}${note}`);
}

function describe(name: string, negated: boolean, requestValue: string, quotedShown: string, matched: boolean, unresolved: string[]): string {
  const note = unresolved.length > 0 ? `; ${quote(unresolved)} cannot be resolved (variable missing from the request, no default) and matches nothing` : '';
  const v = JSON.stringify(requestValue);
  if (negated) return matched ? `${v} matches none of ${quotedShown} (${name})${note}` : `${v} matches one of ${quotedShown}, which ${name} forbids${note}`;
  return matched ? `${v} matches ${quotedShown} (${name})` : `${v} does not match ${quotedShown} (${name})${note}`;
}

/** Evaluates every operator and key of a Condition block, in the policy's order. */
export function evaluateConditionBlock(block: ConditionBlock, request: RequestContext, version: string | undefined): ConditionResult[] {
  return compileConditionBlock(block, version === POLICY_VARIABLES_VERSION).map((c) => explainCondition(c, request));
}
