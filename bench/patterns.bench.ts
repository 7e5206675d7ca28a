// Wildcard matching benchmark (issue 11): a 1,000-character pattern with 200 stars against a
// 10,000-character value, in several shapes (plain runs, `?` runs, case-insensitive, ARN stars
// that stay inside their segment, "********X"), matching and not. Reports milliseconds per
// decision and the ratio to a baseline measured in this same run: one String.prototype.indexOf
// scan of the same value for a text it does not contain (its first 7 characters and `#`, so the
// scan really compares along the value; 1.0 = as fast as one native search through the value).
// Run: node --import tsx bench/patterns.bench.ts   (no assertions: numbers only)
// BENCH_SMOKE=1 (the unit tests' smoke run): a 20-character pattern, a 200-character value and a
// few milliseconds of timing per case.
import { matches, type MatchMode } from '../src/core/iam/patterns.ts';

const SMOKE = Boolean(process.env.BENCH_SMOKE) && process.env.BENCH_SMOKE !== '0';
const PATTERN_LENGTH = SMOKE ? 20 : 1_000;
const STARS = SMOKE ? 4 : 200;
const VALUE_LENGTH = SMOKE ? 200 : 10_000;
const MIN_MS = SMOKE ? 5 : 400;

/** `first`, then STARS times `*` and `run`, with the last run padded by `pad` to PATTERN_LENGTH. */
function starPattern(run: string, pad = 'z', first = run): string {
  return (first + `*${run}`.repeat(STARS)).padEnd(PATTERN_LENGTH, pad);
}
/** `unit` repeated, ending with `tail`, exactly VALUE_LENGTH long. */
function valueLike(unit: string, tail: string): string {
  return unit.repeat(Math.ceil(VALUE_LENGTH / unit.length)).slice(0, VALUE_LENGTH - tail.length) + tail;
}

let sink = 0;
/** Milliseconds per call, over at least MIN_MS of calls (after one warm-up call). */
function measure(run: () => boolean | number): number {
  sink += Number(run());
  let n = 0;
  const start = performance.now();
  let elapsed: number;
  do {
    for (let i = 0; i < 10; i++) sink += Number(run());
    n += 10;
    elapsed = performance.now() - start;
  } while (elapsed < MIN_MS);
  return elapsed / n;
}

const plain = starPattern('abc');
const questions = starPattern('a?c');
const arn = starPattern('a', 'a', 'arn');
const lastRun = (pattern: string): string => pattern.slice(pattern.lastIndexOf('*') + 1);
const cases: { label: string; pattern: string; value: string; mode: MatchMode }[] = [
  { label: 'plain runs, match', pattern: plain, value: valueLike('abc', lastRun(plain)), mode: 'glob' },
  { label: 'plain runs, no match (last run)', pattern: plain, value: valueLike('abc', `${lastRun(plain)}y`), mode: 'glob' },
  { label: 'plain runs, no match (middle)', pattern: plain, value: valueLike('abd', lastRun(plain)), mode: 'glob' },
  { label: 'plain runs, case-insensitive', pattern: plain.toUpperCase(), value: valueLike('abc', lastRun(plain)), mode: 'glob-ci' },
  { label: '? runs, match', pattern: questions, value: valueLike('abcd', lastRun(plain)), mode: 'glob' },
  { label: '? runs, no match', pattern: questions, value: valueLike('abab', lastRun(plain)), mode: 'glob' },
  { label: 'ARN, stars inside a segment', pattern: arn, value: `arn${valueLike('a', '').slice(3)}`, mode: 'arn' },
  { label: 'ARN, a colon stops them', pattern: arn, value: `arn${valueLike('a:', 'a').slice(3)}`, mode: 'arn' },
  { label: '"********X", no match', pattern: '********X', value: valueLike('a', 'Y'), mode: 'glob' },
];

const rows = cases.map((c) => {
  const first = performance.now();
  const answer = matches(c.pattern, c.value, c.mode, false);
  const firstMs = performance.now() - first;
  const ms = measure(() => matches(c.pattern, c.value, c.mode, false));
  const missing = `${c.value.slice(0, 7)}#`;
  const baseline = measure(() => c.value.indexOf(missing));
  return { ...c, answer, firstMs, ms, baseline };
});

const stars = (p: string): number => p.split('*').length - 1;
console.log(`Wildcard matching: ${PATTERN_LENGTH}-character patterns with ${STARS} stars against ${VALUE_LENGTH.toLocaleString('en-US')}-character values${SMOKE ? ' (BENCH_SMOKE sizes)' : ''}`);
console.log('first call: parse and compile the pattern, then decide; baseline: one indexOf scan of the same value');
console.log('| case                              | pattern | stars | answer | first call (ms) | ms per decision | baseline (ms) | ratio to baseline |');
console.log('|-----------------------------------|--------:|------:|:------:|----------------:|----------------:|--------------:|------------------:|');
for (const r of rows) {
  console.log(
    `| ${r.label.padEnd(33)} | ${String(r.pattern.length).padStart(7)} | ${String(stars(r.pattern)).padStart(5)} | ${String(r.answer).padEnd(6)} | ${r.firstMs.toFixed(3).padStart(15)} | ${r.ms.toFixed(4).padStart(15)} | ${r.baseline.toFixed(5).padStart(13)} | ${(r.ms / r.baseline).toFixed(1).padStart(17)} |`,
  );
}
if (sink === -1) console.log(sink); // keeps the measured calls from being optimized away
