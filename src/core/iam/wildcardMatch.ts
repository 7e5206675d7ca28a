// Wildcard matching without regular expressions. Policy text never becomes a RegExp: a pattern
// such as "********X" made the backtracking regex engine take seconds, and long patterns failed
// with "Regular expression too large".
//
// A pattern is a list of elements: a UTF-16 code unit, ANY (`?`), NOT_COLON (`?` inside an ARN
// segment), STAR (`*`, any run) or STAR_NOT_COLON (`*` inside an ARN segment: a run without `:`).
//
// The pattern is fixed-length runs between stars: the first run is anchored at the start, the
// last at the end, and the middle runs are found left to right (indexOf for plain text, a
// bit-parallel Shift-And search when the run holds `?`), each search starting where the previous
// one stopped, so the value is read about once.
// - After a star that matches anything, the leftmost occurrence of the run before it is the only
//   one worth keeping: every later choice leaves the rest less room.
// - A star that refuses `:` spans at most up to the next colon, so leftmost is not enough
//   (`x*:a*b` in an ARN, that is `x.*:a[^:]*b`, against `x:a:ab`: the first ":a" is the wrong
//   one). The feasible starts of the next run are then a list of intervals, one per stretch of the
//   value between colons: [earliest end of the run in that stretch, the colon that closes it].
//   A run without colons stays inside its stretch, so one occurrence per interval suffices.
// Case-insensitive matching compares code units the way a RegExp with the `i` flag (and no `u`)
// does: both sides mapped through `canonicalCode`.

export const ANY = -1;
export const NOT_COLON = -2;
export const STAR = -3;
export const STAR_NOT_COLON = -4;

const COLON = 58; // ':'

export type Matcher = (value: string) => boolean;

const canonicalCache = new Map<number, number>();

/** A code unit as RegExp `i` (without `u`) compares it: upper case, unless that leaves ASCII or one unit. */
export function canonicalCode(code: number): number {
  if (code < 128) return code >= 97 && code <= 122 ? code - 32 : code;
  let canonical = canonicalCache.get(code);
  if (canonical === undefined) {
    const upper = String.fromCharCode(code).toUpperCase();
    canonical = upper.length === 1 && upper.charCodeAt(0) >= 128 ? upper.charCodeAt(0) : code;
    canonicalCache.set(code, canonical);
  }
  return canonical;
}

/** The text with every code unit canonicalized (see canonicalCode); same length as the input. */
export function canonicalText(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 128;
  if (ascii) return text.toUpperCase();
  const codes: number[] = [];
  for (let i = 0; i < text.length; i++) codes.push(canonicalCode(text.charCodeAt(i)));
  return fromCodes(codes);
}

/** String.fromCharCode over a list of any length (a spread of a long list overflows the stack). */
function fromCodes(codes: readonly number[]): string {
  const CHUNK = 4096;
  if (codes.length <= CHUNK) return String.fromCharCode(...codes);
  const parts: string[] = [];
  for (let start = 0; start < codes.length; start += CHUNK) parts.push(String.fromCharCode(...codes.slice(start, start + CHUNK)));
  return parts.join('');
}

/**
 * Bit-parallel (Shift-And) search for a run holding `?`: bit j of the state says "the first j+1
 * elements match, ending here". Multi-word for long runs; each step touches only the words up to
 * the highest live one.
 */
class RunSearch {
  private readonly length: number;
  private readonly words: number;
  private readonly anyChar: Uint32Array;
  private readonly notColon: Uint32Array;
  /** Per code unit: the elements it satisfies, as a mask (frequent units) or as a list (rare ones). */
  private readonly dense = new Map<number, Uint32Array>();
  private readonly sparse = new Map<number, number[]>();
  private readonly state: Uint32Array;
  private readonly hits: Int32Array;
  /** The first element when it is a plain character: lets a dead search skip ahead with indexOf. */
  private readonly lead: string | null;

  constructor(codes: readonly number[]) {
    this.length = codes.length;
    this.words = ((codes.length - 1) >>> 5) + 1;
    const mask = (): Uint32Array => new Uint32Array(this.words);
    this.anyChar = mask();
    this.notColon = mask();
    this.state = mask();
    const positions = new Map<number, number[]>();
    codes.forEach((code, j) => {
      if (code === ANY) this.anyChar[j >>> 5]! |= 1 << (j & 31);
      else if (code === NOT_COLON) this.notColon[j >>> 5]! |= 1 << (j & 31);
      else {
        let list = positions.get(code);
        if (!list) positions.set(code, (list = []));
        list.push(j);
      }
    });
    // A dense mask costs `words` words, so only units that occur at least that often get one:
    // memory stays linear in the run, and a step handles at most `words` list entries.
    let longestList = 0;
    for (const [code, list] of positions) {
      if (list.length >= this.words) {
        const m = mask();
        for (const j of list) m[j >>> 5]! |= 1 << (j & 31);
        this.dense.set(code, m);
      } else {
        this.sparse.set(code, list);
        longestList = Math.max(longestList, list.length);
      }
    }
    this.hits = new Int32Array(longestList);
    this.lead = codes[0]! >= 0 ? String.fromCharCode(codes[0]!) : null;
  }

  /** Leftmost start of the run in `value` at or after `from`, or -1. */
  find(value: string, from: number): number {
    const { words, anyChar, notColon, dense, sparse, hits, lead, length } = this;
    const D = this.state;
    D.fill(0);
    let hi = 0;
    const fw = (length - 1) >>> 5;
    const fb = 1 << ((length - 1) & 31);
    const n = value.length;
    for (let t = from; t < n; t++) {
      if (lead !== null && hi === 0 && D[0] === 0) {
        // Nothing in progress: jump to the next place the run can begin.
        t = value.indexOf(lead, t);
        if (t < 0) return -1;
      }
      const c = value.charCodeAt(t);
      const colon = c === COLON;
      const own = dense.get(c);
      const rare = own ? undefined : sparse.get(c);
      let hitCount = 0;
      if (rare) {
        for (const j of rare) {
          if (j === 0 || (D[(j - 1) >>> 5]! & (1 << ((j - 1) & 31))) !== 0) hits[hitCount++] = j;
        }
      }
      const top = hi + 1 < words ? hi + 1 : hi;
      for (let w = top; w >= 0; w--) {
        const shifted = (D[w]! << 1) | (w > 0 ? D[w - 1]! >>> 31 : 1);
        let accept = anyChar[w]!;
        if (!colon) accept |= notColon[w]!;
        if (own) accept |= own[w]!;
        D[w] = shifted & accept;
      }
      for (let h = 0; h < hitCount; h++) {
        const j = hits[h]!;
        D[j >>> 5]! |= 1 << (j & 31);
      }
      hi = top;
      while (hi > 0 && D[hi] === 0) hi--;
      if ((D[fw]! & fb) !== 0) return t - length + 1;
    }
    return -1;
  }
}

/** A fixed-length stretch between stars. */
interface Run {
  length: number;
  codes: number[];
  /** The run as text when it holds no `?`, for startsWith and indexOf. */
  text: string | null;
  /** Some element can match `:` (a literal colon or ANY). */
  acceptsColon: boolean;
  search: RunSearch | null;
}

function makeRun(codes: number[], middle: boolean): Run {
  const plain = codes.every((c) => c >= 0);
  return {
    length: codes.length,
    codes,
    text: plain ? fromCodes(codes) : null,
    acceptsColon: codes.some((c) => c === COLON || c === ANY),
    search: middle && !plain && codes.length > 0 ? new RunSearch(codes) : null,
  };
}

function runAt(run: Run, value: string, at: number): boolean {
  if (run.text !== null) return value.startsWith(run.text, at);
  const { codes } = run;
  for (let i = 0; i < codes.length; i++) {
    const want = codes[i]!;
    if (want === ANY) continue;
    const c = value.charCodeAt(at + i);
    if (want === NOT_COLON ? c === COLON : c !== want) return false;
  }
  return true;
}

/** Leftmost start of a middle run in `value` at or after `from`, or -1. */
function findRun(run: Run, value: string, from: number): number {
  if (run.length === 0) return from <= value.length ? from : -1;
  return run.text !== null ? value.indexOf(run.text, from) : run.search!.find(value, from);
}

/**
 * Ends of the occurrences of `run` that start inside the intervals (flat [a0, b0, a1, b1, ...],
 * sorted, disjoint), ascending. `all`: every occurrence that may matter for a following star that
 * refuses `:` (the earliest per interval, or each one when the run can span a colon); otherwise
 * only the earliest overall.
 */
function occurrences(run: Run, value: string, intervals: number[], all: boolean): number[] {
  const ends: number[] = [];
  // One search answers every interval up to the occurrence it found.
  let searchedFrom = -1;
  let found = -1;
  for (let k = 0; k < intervals.length; k += 2) {
    let from = intervals[k]!;
    const to = intervals[k + 1]!;
    for (;;) {
      if (searchedFrom < 0 || from < searchedFrom || (found >= 0 && found < from)) {
        found = findRun(run, value, from);
        searchedFrom = from;
      }
      if (found < 0) return ends;
      if (found > to) break;
      ends.push(found + run.length);
      if (!all) return ends;
      if (!run.acceptsColon) break;
      from = found + 1;
    }
  }
  return ends;
}

/**
 * Compiles elements into a matcher for whole values. With `ignoreCase`, code units compare as a
 * RegExp with the `i` flag compares them.
 */
export function compileWildcard(elements: readonly number[], ignoreCase: boolean): Matcher {
  // Runs between stars; neighbouring stars merge (`[^:]*.*` is `.*`).
  const codes: number[][] = [[]];
  const stars: number[] = [];
  for (const element of elements) {
    if (element === STAR || element === STAR_NOT_COLON) {
      if (stars.length > 0 && codes[codes.length - 1]!.length === 0) {
        if (element === STAR) stars[stars.length - 1] = STAR;
      } else {
        stars.push(element);
        codes.push([]);
      }
    } else {
      codes[codes.length - 1]!.push(ignoreCase && element >= 0 ? canonicalCode(element) : element);
    }
  }
  const prepare = ignoreCase ? canonicalText : (value: string): string => value;
  const runs = codes.map((c, i) => makeRun(c, i > 0 && i < codes.length - 1));
  const minLength = runs.reduce((n, r) => n + r.length, 0);
  const first = runs[0]!;
  if (runs.length === 1) return (value) => value.length === minLength && runAt(first, prepare(value), 0);
  const last = runs[runs.length - 1]!;
  return (raw) => {
    if (raw.length < minLength) return false;
    const value = prepare(raw);
    const n = value.length;
    const lastStart = n - last.length;
    if (!runAt(first, value, 0) || !runAt(last, value, lastStart)) return false;
    let ends = [first.length];
    for (let i = 1; ; i++) {
      if (ends[0]! > lastStart) return false;
      // Where run i may start: after any star, from the earliest end on; after a star that
      // refuses `:`, from each kept end up to the colon that closes its stretch.
      const intervals: number[] = [];
      if (stars[i - 1] === STAR) intervals.push(ends[0]!, n);
      else {
        for (const end of ends) {
          if (intervals.length > 0 && end <= intervals[intervals.length - 1]!) continue; // same stretch, later
          const colon = value.indexOf(':', end);
          intervals.push(end, colon < 0 ? n : colon);
        }
      }
      if (i === runs.length - 1) {
        for (let k = 0; k < intervals.length; k += 2) if (intervals[k]! <= lastStart && lastStart <= intervals[k + 1]!) return true;
        return false;
      }
      ends = occurrences(runs[i]!, value, intervals, stars[i] === STAR_NOT_COLON);
      if (ends.length === 0) return false;
    }
  };
}
