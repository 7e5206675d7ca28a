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
import { contextValuesForDisplay, lookupContext } from './context.ts';
import { compareValue, parseOperator, templatesFor, type ParsedOperator } from './operators.ts';
import { displayResolved, parseTemplate, POLICY_VARIABLES_VERSION, variableUsesIn } from './patterns.ts';
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

/** Evaluates one operator + key against the request; a reason that reads a principal tag names its value. */
export function evaluateCondition(operator: string, key: string, values: string[], request: RequestContext, version: string | undefined): ConditionResult {
  const evaluated = evaluateConditionOnly(operator, key, values, request, version);
  if (version !== POLICY_VARIABLES_VERSION) return evaluated;
  const note = principalTagNote(values, request);
  if (note) evaluated.reason += note;
  return evaluated;
}

/**
 * `; aws:PrincipalTag/dept is "books"` for each principal-tag variable in the values (session tags
 * from the identity pool's tag map), or that the session has no such tag.
 */
function principalTagNote(values: string[], request: RequestContext): string {
  let note = '';
  const seen = new Set<string>();
  for (const value of values) {
    if (!value.includes('${')) continue;
    for (const { key } of variableUsesIn(value)) {
      const lower = key.toLowerCase();
      if (!lower.startsWith('aws:principaltag/') || seen.has(lower)) continue;
      seen.add(lower);
      const found = lookupContext(request, key);
      note += found.kind === 'single' ? `; ${key} is ${JSON.stringify(found.value)}` : `; the session has no principal tag ${JSON.stringify(key.slice('aws:PrincipalTag/'.length))}`;
    }
  }
  return note;
}

function evaluateConditionOnly(operator: string, key: string, values: string[], request: RequestContext, version: string | undefined): ConditionResult {
  const parsed: ParsedOperator = parseOperator(operator);
  const variables = version === POLICY_VARIABLES_VERSION;
  const value = lookupContext(request, key);
  const requestValues = contextValuesForDisplay(value);
  const templates = templatesFor(values, variables);
  // The policy values after substitution, for people; an unresolvable value is shown as written.
  const shown = templates.map((t) => (t.hasVariables ? resolvedForDisplay(t.raw, request, variables) : t.raw));
  const base = parsed.base;
  if (!base) return result(operator, key, false, requestValues, shown, `unknown condition operator "${operator}": the condition can never hold`);

  // An empty list is present but holds nothing: ForAllValues over it is true, ForAnyValue false
  // ("a null dataset", same page), and a plain operator has no value to compare.
  const present = value.kind !== 'absent';

  if (base.family === 'Null') {
    const goal = present ? 'false' : 'true';
    const ok = values.some((v) => v.toLowerCase() === goal);
    return result(operator, key, ok, requestValues, shown, present ? `key present; Null expects ${quote(values)}` : `key absent; Null expects ${quote(values)}`);
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
    const cmp = compareValue(base, list[0]!, templates, request);
    return result(operator, key, cmp.matched, list, shown, describe(base.name, base.negated, list[0]!, shown, cmp.matched, cmp.unresolved));
  }

  const failing: string[] = [];
  const passing: string[] = [];
  const unresolved = new Set<string>();
  for (const item of list) {
    const cmp = compareValue(base, item, templates, request);
    cmp.unresolved.forEach((u) => unresolved.add(u));
    (cmp.matched ? passing : failing).push(item);
  }
  const note = unresolved.size > 0 ? `; ${quote([...unresolved])} cannot be resolved (variable missing from the request, no default) and matches nothing` : '';
  if (parsed.set === 'ForAllValues') {
    const ok = failing.length === 0;
    return result(operator, key, ok, list, shown, ok ? `every value of ${key} satisfies ${base.name} ${quote(shown)}${note}` : `${quote(failing)} does not satisfy ${base.name} ${quote(shown)}${note}`);
  }
  const ok = passing.length > 0;
  return result(operator, key, ok, list, shown, ok ? `${quote(passing)} satisfies ${base.name} ${quote(shown)}${note}` : `no value of ${key} (${quote(list)}) satisfies ${base.name} ${quote(shown)}${note}`);
}

function describe(name: string, negated: boolean, requestValue: string, shown: string[], matched: boolean, unresolved: string[]): string {
  const note = unresolved.length > 0 ? `; ${quote(unresolved)} cannot be resolved (variable missing from the request, no default) and matches nothing` : '';
  const v = JSON.stringify(requestValue);
  if (negated) return matched ? `${v} matches none of ${quote(shown)} (${name})${note}` : `${v} matches one of ${quote(shown)}, which ${name} forbids${note}`;
  return matched ? `${v} matches ${quote(shown)} (${name})` : `${v} does not match ${quote(shown)} (${name})${note}`;
}

function resolvedForDisplay(raw: string, request: RequestContext, variables: boolean): string {
  return displayResolved(parseTemplate(raw, variables), request);
}

/** Evaluates every operator and key of a Condition block, in the policy's order. */
export function evaluateConditionBlock(block: ConditionBlock, request: RequestContext, version: string | undefined): ConditionResult[] {
  const results: ConditionResult[] = [];
  for (const [operator, keys] of Object.entries(block ?? {})) {
    for (const [key, values] of Object.entries(keys ?? {})) {
      results.push(evaluateCondition(operator, key, Array.isArray(values) ? values : [String(values)], request, version));
    }
  }
  return results;
}
