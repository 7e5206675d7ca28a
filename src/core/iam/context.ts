// Request-context look-ups. Condition keys are case-insensitive ("Condition key names are not
// case-sensitive", IAM User Guide, reference_policies_elements_condition.html), so every request
// gets a lower-cased index. Only the indexes of the last few context objects are kept, compared
// by identity: a request meets all its statements in a row, and a cache keyed by every request
// (a WeakMap entry each, as before) cost more in hashing and garbage collection than rebuilding
// the index of a request that comes back later.
import type { ContextValue, RequestContext } from './types.ts';

/** A context value as the evaluator sees it: absent, one string, or a set of strings (multivalued key). */
export type NormalizedValue = { kind: 'absent' } | { kind: 'single'; value: string } | { kind: 'multi'; values: string[] };

type Context = RequestContext['context'];
type Index = Map<string, NormalizedValue>;

const ABSENT: NormalizedValue = { kind: 'absent' };
const EMPTY: Context = {};
/** The last few context objects read and their indexes (a ring: the oldest is replaced first). */
const RECENT_CONTEXTS = 4;
const recentContexts: (Context | undefined)[] = new Array<Context | undefined>(RECENT_CONTEXTS).fill(undefined);
const recentIndexes: (Index | undefined)[] = new Array<Index | undefined>(RECENT_CONTEXTS).fill(undefined);
let ringNext = 0;

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
  for (let i = 0; i < RECENT_CONTEXTS; i++) if (recentContexts[i] === context) return recentIndexes[i]!;
  const index = buildIndex(context);
  recentContexts[ringNext] = context;
  recentIndexes[ringNext] = index;
  ringNext = (ringNext + 1) % RECENT_CONTEXTS;
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
