// Wildcard matching without regular expressions. Policy text never becomes a RegExp: a pattern
// such as "********X" made the backtracking regex engine take seconds, and long patterns failed
// with "Regular expression too large".
//
// A pattern is a list of elements: a UTF-16 code unit, ANY (`?`), NOT_COLON (`?` inside an ARN
// segment), STAR (`*`, any run) or STAR_NOT_COLON (`*` inside an ARN segment: a run without `:`).
// Two strategies, both one pass over the value:
// - Every star matches anything: the pattern is fixed-length runs between stars. The first run
//   is anchored at the start, the last at the end, and each middle run is taken at its leftmost
//   occurrence (indexOf for plain text, a bit-parallel search when it holds `?`). Leftmost is
//   always safe: the runs after it then have the most room.
// - Some star refuses `:`. Leftmost is then not safe (`x*:a*b` in an ARN, that is
//   `x.*:a[^:]*b`, against `x:a:ab`), so a bit-parallel automaton (Shift-And with self-loops for
//   the stars) reads the value once, touching only the words that hold live states.
// Case-insensitive matching compares code units the way a RegExp with the `i` flag (and no `u`)
// does: both sides mapped through `canonicalCode`.

export const ANY = -1;
export const NOT_COLON = -2;
export const STAR = -3;
export const STAR_NOT_COLON = -4;

const COLON = 58;

export type Matcher = (value: string) => boolean;

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
const canonicalCache = new Map<number, number>();

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
 * Shift-And over fixed-length elements with optional self-loops: state j means "the first j
 * elements are matched"; a star between elements j and j+1 is a self-loop on state j. Bit j of
 * word j >>> 5 holds state j.
 */
class BitAutomaton {
  private readonly words: number;
  private readonly final: number;
  private readonly anyChar: Uint32Array;
  private readonly notColon: Uint32Array;
  private readonly loopAny: Uint32Array;
  private readonly loopNotColon: Uint32Array;
  /** Per code unit: the elements it satisfies, as a mask (frequent units) or as a list (rare ones). */
  private readonly dense = new Map<number, Uint32Array>();
  private readonly sparse = new Map<number, number[]>();
  private readonly state: Uint32Array;
  private readonly hits: Int32Array;

  /** `loops[j]`: the self-loop of state j (0..elements.length), if any. */
  constructor(elements: readonly number[], loops: readonly (number | null)[]) {
    this.final = elements.length;
    this.words = (elements.length >>> 5) + 1;
    const mask = (): Uint32Array => new Uint32Array(this.words);
    this.anyChar = mask();
    this.notColon = mask();
    this.loopAny = mask();
    this.loopNotColon = mask();
    this.state = mask();
    const positions = new Map<number, number[]>();
    elements.forEach((element, i) => {
      const j = i + 1;
      if (element === ANY) this.anyChar[j >>> 5]! |= 1 << (j & 31);
      else if (element === NOT_COLON) this.notColon[j >>> 5]! |= 1 << (j & 31);
      else {
        let list = positions.get(element);
        if (!list) positions.set(element, (list = []));
        list.push(j);
      }
    });
    loops.forEach((loop, j) => {
      if (loop === STAR) this.loopAny[j >>> 5]! |= 1 << (j & 31);
      else if (loop === STAR_NOT_COLON) this.loopNotColon[j >>> 5]! |= 1 << (j & 31);
    });
    // A dense mask costs `words` words, so only units that occur at least that often get one:
    // memory stays linear in the pattern, and each step handles at most `words` list entries.
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
  }

  /**
   * Reads `value` from `from`. Whole: does the automaton end in the final state (returns
   * value.length, else -1)? Search: the index just after the first point where the final state
   * is reached (-1 when never).
   */
  run(value: string, from: number, whole: boolean): number {
    const { words, anyChar, notColon, loopAny, loopNotColon, dense, sparse, hits } = this;
    const D = this.state;
    D.fill(0);
    D[0] = 1;
    let lo = 0;
    let hi = 0;
    const fw = this.final >>> 5;
    const fb = 1 << (this.final & 31);
    const finalLoopsOnAnything = (loopAny[fw]! & fb) !== 0;
    const n = value.length;
    if ((D[fw]! & fb) !== 0 && (!whole || finalLoopsOnAnything || n === from)) return whole ? n : from;
    for (let t = from; t < n; t++) {
      const c = value.charCodeAt(t);
      const colon = c === COLON;
      const own = dense.get(c);
      const rare = own ? undefined : sparse.get(c);
      let hitCount = 0;
      if (rare) {
        for (const j of rare) {
          const p = j - 1;
          if ((D[p >>> 5]! & (1 << (p & 31))) !== 0) hits[hitCount++] = j;
        }
      }
      const top = hi + 1 < words ? hi + 1 : hi;
      for (let w = top; w >= lo; w--) {
        const d = D[w]!;
        const shifted = (d << 1) | (w > 0 ? D[w - 1]! >>> 31 : 0);
        let accept = anyChar[w]!;
        let loop = loopAny[w]!;
        if (!colon) {
          accept |= notColon[w]!;
          loop |= loopNotColon[w]!;
        }
        if (own) accept |= own[w]!;
        D[w] = (shifted & accept) | (d & loop);
      }
      for (let h = 0; h < hitCount; h++) {
        const j = hits[h]!;
        D[j >>> 5]! |= 1 << (j & 31);
      }
      hi = top;
      while (hi >= lo && D[hi] === 0) hi--;
      if (hi < lo) return -1;
      while (D[lo] === 0) lo++;
      if ((D[fw]! & fb) !== 0) {
        if (!whole) return t + 1;
        if (finalLoopsOnAnything) return n;
      }
    }
    return whole && (D[fw]! & fb) !== 0 ? n : -1;
  }
}

/** A fixed-length stretch between stars. */
interface Run {
  codes: number[];
  /** The run as text when it holds no `?`, for indexOf. */
  text: string | null;
  /** Finds the run in a value (only for middle runs with `?`). */
  search: BitAutomaton | null;
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

/** Leftmost start of `run` in `value` at or after `from`, or -1. */
function findRun(run: Run, value: string, from: number): number {
  if (run.text !== null) return value.indexOf(run.text, from);
  const end = run.search!.run(value, from, false);
  return end < 0 ? -1 : end - run.codes.length;
}

function makeRun(codes: number[], middle: boolean): Run {
  const plain = codes.every((c) => c >= 0);
  const text = plain ? fromCodes(codes) : null;
  const search = middle && !plain ? new BitAutomaton(codes, [STAR]) : null;
  return { codes, text, search };
}

/**
 * Compiles elements into a matcher for whole values. With `ignoreCase`, code units compare as a
 * RegExp with the `i` flag compares them.
 */
export function compileWildcard(elements: readonly number[], ignoreCase: boolean): Matcher {
  // Runs between stars; neighbouring stars merge (`[^:]*.*` is `.*`).
  const runs: number[][] = [[]];
  const stars: number[] = [];
  for (const element of elements) {
    if (element === STAR || element === STAR_NOT_COLON) {
      const last = runs.length - 1;
      if (stars.length > 0 && runs[last]!.length === 0) {
        if (element === STAR) stars[stars.length - 1] = STAR;
      } else {
        stars.push(element);
        runs.push([]);
      }
    } else {
      runs[runs.length - 1]!.push(ignoreCase && element >= 0 ? canonicalCode(element) : element);
    }
  }
  const prepare = ignoreCase ? canonicalText : (value: string): string => value;
  if (stars.includes(STAR_NOT_COLON)) {
    const fixed = runs.flat();
    const loops: (number | null)[] = new Array<number | null>(fixed.length + 1).fill(null);
    let state = 0;
    runs.forEach((run, i) => {
      state += run.length;
      if (i < stars.length) loops[state] = stars[i]!;
    });
    const automaton = new BitAutomaton(fixed, loops);
    return (value) => value.length >= fixed.length && automaton.run(prepare(value), 0, true) >= 0;
  }
  const compiled = runs.map((codes, i) => makeRun(codes, i > 0 && i < runs.length - 1));
  const minLength = runs.reduce((n, r) => n + r.length, 0);
  const first = compiled[0]!;
  if (compiled.length === 1) return (value) => value.length === minLength && runAt(first, prepare(value), 0);
  const last = compiled[compiled.length - 1]!;
  return (raw) => {
    if (raw.length < minLength) return false;
    const value = prepare(raw);
    const end = value.length - last.codes.length;
    if (!runAt(first, value, 0) || !runAt(last, value, end)) return false;
    let pos = first.codes.length;
    for (let i = 1; i < compiled.length - 1; i++) {
      const run = compiled[i]!;
      if (run.codes.length === 0) continue;
      const at = findRun(run, value, pos);
      if (at < 0 || at + run.codes.length > end) return false;
      pos = at + run.codes.length;
    }
    return true;
  };
}
