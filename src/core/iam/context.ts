// Request-context look-ups. Condition keys are case-insensitive ("Condition key names are not
// case-sensitive", IAM User Guide, reference_policies_elements_condition.html), so every request
// gets a lower-cased index. The indexes of recent context objects are kept (the last one first: one
// request meets many statements in a row), in a bounded map rather than a WeakMap: a WeakMap entry
// per request made garbage collection the largest cost of evaluating many fresh requests.
import type { ContextValue, RequestContext } from './types.ts';

/** A context value as the evaluator sees it: absent, one string, or a set of strings (multivalued key). */
export type NormalizedValue = { kind: 'absent' } | { kind: 'single'; value: string } | { kind: 'multi'; values: string[] };

type Context = RequestContext['context'];
type Index = Map<string, NormalizedValue>;

const ABSENT: NormalizedValue = { kind: 'absent' };
const EMPTY: Context = {};
/** Context objects whose index is kept (a ring: the oldest is dropped first). */
const RECENT_CONTEXTS = 512;
const recent = new Map<Context, Index>();
const ring: (Context | undefined)[] = new Array<Context | undefined>(RECENT_CONTEXTS).fill(undefined);
let ringNext = 0;
let lastContext: Context | undefined;
let lastIndex: Index | undefined;

export function normalizeContextValue(value: ContextValue | undefined | null): NormalizedValue {
  if (value === undefined || value === null) return ABSENT;
  if (Array.isArray(value)) return { kind: 'multi', values: value.map((v) => String(v)) };
  return { kind: 'single', value: String(value) };
}

/** Lower-cased keys: the same few key names come with every request. */
const lowerKeys = new Map<string, string>();
function lowerOf(key: string): string {
  let lower = lowerKeys.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (lowerKeys.size >= 10_000) lowerKeys.clear();
    lowerKeys.set(key, lower);
  }
  return lower;
}

function buildIndex(context: Context): Index {
  const index: Index = new Map();
  for (const key of Object.keys(context)) {
    const normalized = normalizeContextValue(context[key]);
    // First writer wins when two spellings of one key are given; absent values do not shadow.
    const lower = lowerOf(key);
    if (normalized.kind !== 'absent' && !index.has(lower)) index.set(lower, normalized);
  }
  return index;
}

function indexFor(context: Context): Index {
  if (context === lastContext) return lastIndex!;
  let index = recent.get(context);
  if (!index) {
    index = buildIndex(context);
    const oldest = ring[ringNext];
    if (oldest !== undefined) recent.delete(oldest);
    ring[ringNext] = context;
    ringNext = (ringNext + 1) % RECENT_CONTEXTS;
    recent.set(context, index);
  }
  lastContext = context;
  lastIndex = index;
  return index;
}

/** The request's value for a condition key (case-insensitive). */
export function lookupContext(request: RequestContext, key: string): NormalizedValue {
  return lookupLower(request, lowerOf(key));
}

/** lookupContext for a key that is lower-cased already (compiled policies keep keys so). */
export function lookupLower(request: RequestContext, lowerKey: string): NormalizedValue {
  return indexFor(request.context ?? EMPTY).get(lowerKey) ?? ABSENT;
}

/**
 * A copy of the request whose context (and its lists) the caller cannot change any more: what an
 * explanation built later reads, so that it explains the decision that was made.
 */
export function snapshotRequest(request: RequestContext): RequestContext {
  // Spreading copies own keys as data, `__proto__` included; then every list is copied too.
  const context: Context = { ...(request.context ?? EMPTY) };
  for (const key of Object.keys(context)) {
    const value = context[key];
    if (Array.isArray(value)) context[key] = [...value];
  }
  return { ...request, context };
}

/** The request's values for a key as a list (null when absent), for explanations. */
export function contextValuesForDisplay(value: NormalizedValue): string[] | null {
  if (value.kind === 'absent') return null;
  return value.kind === 'single' ? [value.value] : value.values;
}
