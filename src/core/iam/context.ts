// Request-context look-ups. Condition keys are case-insensitive ("Condition key names are not
// case-sensitive", IAM User Guide, reference_policies_elements_condition.html), so every request
// gets a lower-cased index, built once per RequestContext object and cached.
import type { ContextValue, RequestContext } from './types.ts';

/** A context value as the evaluator sees it: absent, one string, or a set of strings (multivalued key). */
export type NormalizedValue = { kind: 'absent' } | { kind: 'single'; value: string } | { kind: 'multi'; values: string[] };

const ABSENT: NormalizedValue = { kind: 'absent' };
const EMPTY: RequestContext['context'] = {};
const indexCache = new WeakMap<RequestContext['context'], Map<string, NormalizedValue>>();

export function normalizeContextValue(value: ContextValue | undefined | null): NormalizedValue {
  if (value === undefined || value === null) return ABSENT;
  if (Array.isArray(value)) return { kind: 'multi', values: value.map((v) => String(v)) };
  return { kind: 'single', value: String(value) };
}

function indexFor(context: RequestContext['context']): Map<string, NormalizedValue> {
  let index = indexCache.get(context);
  if (!index) {
    index = new Map();
    for (const [key, value] of Object.entries(context ?? {})) {
      const normalized = normalizeContextValue(value);
      // First writer wins when two spellings of one key are given; absent values do not shadow.
      const lower = key.toLowerCase();
      if (normalized.kind !== 'absent' && !index.has(lower)) index.set(lower, normalized);
    }
    indexCache.set(context, index);
  }
  return index;
}

/** The request's value for a condition key (case-insensitive). */
export function lookupContext(request: RequestContext, key: string): NormalizedValue {
  return lookupLower(request, key.toLowerCase());
}

/** lookupContext for a key that is lower-cased already (compiled policies keep keys so). */
export function lookupLower(request: RequestContext, lowerKey: string): NormalizedValue {
  return indexFor(request.context ?? EMPTY).get(lowerKey) ?? ABSENT;
}

/**
 * Reads the request's context into its index now: later look-ups (a lazily built explanation)
 * see the context as it was when the decision was made, whatever the caller changes afterwards.
 */
export function pinContext(request: RequestContext): void {
  indexFor(request.context ?? EMPTY);
}

/** The request's values for a key as a list (null when absent), for explanations. */
export function contextValuesForDisplay(value: NormalizedValue): string[] | null {
  if (value.kind === 'absent') return null;
  return value.kind === 'single' ? [value.value] : value.values;
}
