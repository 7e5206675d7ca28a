// Wildcard matching without regular expressions (issue 11): the same answers as the regex
// implementation it replaced (kept below only as a test oracle, on short inputs), and
// adversarial patterns decided quickly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { couldMatch, matches, parseTemplate, resolveTemplate, templateMatcher, type MatchMode, type Resolution } from '../../../src/core/iam/patterns.ts';
import type { RequestContext } from '../../../src/core/iam/types.ts';
import { canonicalCode } from '../../../src/core/iam/wildcardMatch.ts';

// ---- The oracle: the former regex implementation, verbatim apart from names. ----

type Pieces = Resolution['pieces'];
const STAR = 0;
const QMARK = 1;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function regexSource(pieces: Pieces, mode: MatchMode): string {
  let source = '';
  let segment = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece === STAR || piece === QMARK) {
      if (mode !== 'arn' || segment >= 5) {
        source += piece === STAR ? '.*' : '.';
        continue;
      }
      if (piece === QMARK) {
        source += '[^:]';
        continue;
      }
      const next = pieces[i + 1];
      const endsSegment = next === undefined || (typeof next === 'object' && !next.substituted && next.text.startsWith(':'));
      source += endsSegment ? '.*' : '[^:]*';
      continue;
    }
    if (mode === 'arn' && !piece.substituted) {
      for (const ch of piece.text) {
        if (ch === ':') segment++;
        source += escapeRegex(ch);
      }
    } else {
      source += escapeRegex(piece.text);
    }
  }
  return `^${source}$`;
}

function oracleMatcher(pieces: Pieces, mode: MatchMode): (value: string) => boolean {
  if (mode === 'literal' || mode === 'literal-ci') {
    const text = pieces.map((p) => (p === STAR ? '*' : p === QMARK ? '?' : p.text)).join('');
    if (mode === 'literal') return (value) => value === text;
    const lower = text.toLowerCase();
    return (value) => value.toLowerCase() === lower;
  }
  if (pieces.every((p) => typeof p === 'object')) {
    const text = (pieces as { text: string }[]).map((p) => p.text).join('');
    if (mode !== 'glob-ci') return (value) => value === text;
    const lower = text.toLowerCase();
    return (value) => value.length === lower.length && value.toLowerCase() === lower;
  }
  if ((mode === 'glob' || mode === 'glob-ci') && pieces.length === 1 && pieces[0] === STAR) return () => true;
  const regex = new RegExp(regexSource(pieces, mode), mode === 'glob-ci' ? 'is' : 's');
  return (value) => regex.test(value);
}

/** The former variable-body parser (its regex is quadratic on long bodies, fine on short ones). */
const VARIABLE_BODY = /^\s*([^,'\s][^,']*?)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;
function oracleTokens(raw: string): unknown[] {
  const tokens: unknown[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal) tokens.push(literal);
    literal = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '*' || ch === '?') {
      flush();
      tokens.push(ch === '*' ? STAR : QMARK);
    } else if (ch === '$' && raw[i + 1] === '{') {
      const end = raw.indexOf('}', i + 2);
      if (end < 0) {
        literal += ch;
        continue;
      }
      const body = raw.slice(i + 2, end);
      if (body === '*' || body === '?' || body === '$') literal += body;
      else {
        const match = VARIABLE_BODY.exec(body);
        if (!match) literal += raw.slice(i, end + 1);
        else {
          flush();
          const token: { key: string; def?: string } = { key: match[1]! };
          if (match[2] !== undefined) token.def = match[2].replace(/''/g, "'");
          tokens.push(token);
        }
      }
      i = end;
    } else literal += ch;
  }
  flush();
  return tokens;
}

// ---- Arbitraries ----

/** Characters where case folding, colons, line breaks and surrogates matter. */
const CHARS = ['a', 'b', 'A', 'B', ':', ':', '/', '-', '.', '\n', 'é', 'É', 'ı', 'I', 'i', 'ſ', 's', 'S', '\u212a', 'k', 'K', 'ß', '\ud83d', '\ude00', '$', '{', '}', "'", ' '];
const VARIABLES = ['${v}', '${w}', '${absent}', "${absent, 'a:b'}", "${ v , 'x''y' }", "${absent,'*'}", '${*}', '${?}', '${$}', '${', '}', '${ }', "${a'b}"];
const MODES: MatchMode[] = ['literal', 'literal-ci', 'glob', 'glob-ci', 'arn'];

const part = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...CHARS) }, { weight: 4, arbitrary: fc.constantFrom('*', '?') }, { weight: 1, arbitrary: fc.constantFrom(...VARIABLES) });
const shortPattern = fc.array(part, { maxLength: 14 }).map((a) => a.join(''));
/** ARN-like: up to seven colon-separated segments, so the sixth part (where `*` crosses `:`) is reached. */
const arnPattern = fc.array(fc.array(part, { maxLength: 4 }).map((a) => a.join('')), { minLength: 1, maxLength: 7 }).map((s) => s.join(':'));
const pattern = fc.oneof(shortPattern, arnPattern);
const filler = fc.array(fc.constantFrom(...CHARS), { maxLength: 4 }).map((a) => a.join(''));

/** A value: random, or the pattern with its wildcards filled in (so matches are common), maybe re-cased. */
function valueFor(p: fc.Arbitrary<string>): fc.Arbitrary<[string, string]> {
  return fc.tuple(p, fc.array(filler, { minLength: 24, maxLength: 24 }), fc.constantFrom('same', 'upper', 'lower', 'random'), filler).map(([raw, fills, cased, random]) => {
    if (cased === 'random') return [raw, random + fills[0]!];
    let k = 0;
    const filled = raw.replace(/[*?]/g, (m) => (m === '*' ? fills[k++ % fills.length]! : (fills[k++ % fills.length]! + 'x').slice(0, 1)));
    return [raw, cased === 'upper' ? filled.toUpperCase() : cased === 'lower' ? filled.toLowerCase() : filled];
  });
}

const request = fc
  .record({ v: fc.oneof(filler, fc.constantFrom('a:b', '*', '?', ':')), w: fc.array(filler, { minLength: 2, maxLength: 2 }) })
  .map(({ v, w }): RequestContext => ({ action: 'dynamodb:GetItem', resource: '*', context: { v, w } }));

function sameAsOracle(raw: string, value: string, mode: MatchMode, variables: boolean, req: RequestContext): void {
  const template = parseTemplate(raw, variables);
  const resolved = resolveTemplate(template, req);
  const matcher = templateMatcher(template, mode, req);
  if (resolved.unresolved.length > 0) assert.equal(matcher, null);
  else assert.equal(matcher!(value), oracleMatcher(resolved.pieces, mode)(value), `${JSON.stringify(raw)} ${mode} ${JSON.stringify(value)}`);
  const widened = mode === 'literal' ? 'glob' : mode === 'literal-ci' ? 'glob-ci' : mode;
  assert.equal(couldMatch(template, mode, req, value), oracleMatcher(resolveTemplate(template, req, true).pieces, widened)(value), `couldMatch ${JSON.stringify(raw)} ${mode} ${JSON.stringify(value)}`);
}

describe('wildcard patterns: the same answers as the former regex implementation', () => {
  it('every mode, with and without policy variables (short inputs)', () => {
    fc.assert(
      fc.property(valueFor(pattern), fc.constantFrom(...MODES), fc.boolean(), request, ([raw, value], mode, variables, req) => sameAsOracle(raw, value, mode, variables, req)),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('long runs with `?` (several 32-bit words per state set) and few stars', () => {
    const longRun = fc.array(fc.constantFrom('a', 'a', 'b', '?', ':', 'A'), { minLength: 20, maxLength: 70 }).map((a) => a.join(''));
    const longPattern = fc.tuple(fc.array(longRun, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean()).map(([runs, lead, trail]) => `${lead ? '*' : ''}${runs.join('*')}${trail ? '*' : ''}`);
    fc.assert(
      fc.property(valueFor(longPattern), fc.constantFrom<MatchMode>('glob', 'glob-ci', 'arn'), ([raw, value], mode) => sameAsOracle(raw, value, mode, false, { action: 'x', resource: '*', context: {} })),
      { numRuns: 600, seed: 12 },
    );
  });

  it('policy-variable parsing: the same tokens as the former regex parser', () => {
    const body = fc.array(fc.constantFrom('a', ' ', ',', "'", "''", 'k:x', '\t', '\n', '}', '$', '{'), { maxLength: 8 }).map((a) => a.join(''));
    const raw = fc.array(fc.oneof(fc.constantFrom(...CHARS), body.map((b) => `\${${b}}`), fc.constantFrom('${', '}')), { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(raw, (text) => assert.deepEqual(parseTemplate(text, true).tokens, oracleTokens(text))),
      { numRuns: 4000, seed: 13 },
    );
  });
});

describe('wildcard patterns: concrete cases', () => {
  it('ARN segments: a star inside a segment stays in it, one ending a segment crosses colons', () => {
    assert.equal(matches('x*:a*b', 'x:a:ab', 'arn', false), true, 'the leftmost ":a" is not the one that works');
    assert.equal(matches('x*:a*b', 'x:a:a:b', 'arn', false), false);
    assert.equal(matches('arn:aws:dynamodb:eu*012:table/t', 'arn:aws:dynamodb:eu-central-1:123456789012:table/t', 'arn', false), false);
    assert.equal(matches('arn:aws:dynamodb:eu*:123456789012:table/t', 'arn:aws:dynamodb:eu-central-1:123456789012:table/t', 'arn', false), true);
    assert.equal(matches('arn:aws:s3:::b/*x', 'arn:aws:s3:::b/a:b/x', 'arn', false), true, 'the sixth part: * crosses : and /');
    assert.equal(matches('a?c', 'a:c', 'arn', false), false);
    assert.equal(matches('a?c', 'a:c', 'glob', false), true);
  });

  it('case-insensitive globs fold like RegExp /i without u (no ASCII from non-ASCII)', () => {
    assert.equal(matches('*ABC?', 'xabcd', 'glob-ci', false), true);
    assert.equal(matches('*é*', 'xÉy', 'glob-ci', false), true);
    assert.equal(matches('*i*', 'xıy', 'glob-ci', false), false, 'dotless i does not fold to I');
    assert.equal(matches('*k', 'x\u212a', 'glob-ci', false), false, 'the Kelvin sign is not K');
    assert.equal(matches('a*', 'A\nB', 'glob-ci', false), true, '* crosses line breaks');
  });

  it('canonical code units are the ones RegExp /i compares (every unit of the cased blocks)', () => {
    const ranges = [[0, 0x3000], [0xa640, 0xa800], [0xab70, 0xabc0], [0xff00, 0x10000]] as const;
    for (const [from, to] of ranges) {
      for (let c = from; c < to; c++) {
        const ch = String.fromCharCode(c);
        const regex = new RegExp(`^[${ch.replace(/[\\\]^-]/g, '\\$&')}]$`, 'i');
        const lower = ch.toLowerCase();
        const upper = ch.toUpperCase();
        for (const other of [canonicalCode(c), lower.length === 1 ? lower.charCodeAt(0) : c, upper.length === 1 ? upper.charCodeAt(0) : c]) {
          assert.equal(canonicalCode(c) === canonicalCode(other), regex.test(String.fromCharCode(other)), `U+${c.toString(16)} / U+${other.toString(16)}`);
        }
      }
    }
  });

  it('an unresolvable variable matches nothing; a default or a value is literal text', () => {
    const req: RequestContext = { action: 'x', resource: '*', context: { v: 'a*b' } };
    assert.equal(matches('${absent}*', 'anything', 'glob', true, req), false);
    assert.equal(matches("${absent, 'x:y'}*", 'x:y:z', 'arn', true, req), true);
    assert.equal(matches('${v}', 'a*b', 'glob', true, req), true);
    assert.equal(matches('${v}', 'aXb', 'glob', true, req), false, 'a substituted * is literal');
  });
});

describe('wildcard patterns: adversarial inputs decide quickly', () => {
  const BOUND_MS = 200;
  function timed<T>(label: string, run: () => T, bound = BOUND_MS): T {
    const start = performance.now();
    const result = run();
    const ms = performance.now() - start;
    assert.ok(ms < bound, `${label}: ${ms.toFixed(1)} ms`);
    return result;
  }
  const star200 = (run: string): string => Array.from({ length: 200 }, () => run).join('*').padEnd(1000, 'z');
  const many = 'a'.repeat(10_000);

  it('"********X" and a thousand stars against long values', () => {
    assert.equal(timed('********X', () => matches('********X', `${'a'.repeat(100_000)}Y`, 'glob', false)), false);
    assert.equal(timed('********X ci', () => matches('********X', `${'a'.repeat(100_000)}Y`, 'glob-ci', false)), false);
    assert.equal(timed('1000 stars', () => matches(`${'*'.repeat(1000)}X`, `${many}X`, 'glob', false)), true);
    assert.equal(timed('*a*a*... arn', () => matches(`*${'a*'.repeat(500)}X`, `${many}Y`, 'arn', false)), false);
  });

  it('a 1,000-character pattern with 200 stars against 10,000 characters, several shapes', () => {
    const plain = star200('abcd');
    const matching = `${'abcd'.repeat(2498)}xxxabcdz`;
    assert.equal(matching.length, 10_000);
    assert.equal(plain.length, 1000);
    assert.equal(timed('plain, no match', () => matches(plain, many, 'glob', false)), false);
    assert.equal(timed('plain, match', () => matches(plain, matching, 'glob', false)), true);
    assert.equal(timed('plain ci, match', () => matches(plain.toUpperCase(), matching, 'glob-ci', false)), true);
    const questions = star200('a?c?');
    assert.equal(timed('with ?, no match', () => matches(questions, 'abab'.repeat(2500), 'glob', false)), false);
    assert.equal(timed('with ?, match', () => matches(questions, matching, 'glob', false)), true);
    // ARN: stars inside the first segment stay in it (the bit-parallel path).
    const arn = `arn${star200('a').slice(3)}`;
    assert.equal(timed('arn mid-segment stars, all a', () => matches(arn.replace(/z+$/, ''), `arn${many}`, 'arn', false)), true);
    assert.equal(timed('arn mid-segment stars, colon', () => matches(arn, `arn${'a'.repeat(5000)}:${'a'.repeat(5000)}`, 'arn', false)), false);
    assert.equal(timed('arn, x:y values', () => matches(arn, 'a:'.repeat(5000), 'arn', false)), false);
  });

  it('huge patterns work (the regex version failed: "Regular expression too large") and variable bodies parse linearly', () => {
    // Twice the largest IAM policy document: parsing and compiling dominate, hence a looser bound.
    const HUGE_MS = 1_000;
    assert.equal(timed('10,000 stars inside an ARN segment', () => matches(`arn${'*a'.repeat(10_000)}`, `arn${'a'.repeat(20_000)}`, 'arn', false), HUGE_MS), true);
    assert.equal(timed('20,000-char pattern of ?', () => matches(`${'a?'.repeat(10_000)}*`, `${'ab'.repeat(10_000)}tail`, 'glob', false), HUGE_MS), true);
    assert.equal(timed('20,000-char ARN pattern, long run after a star', () => matches(`b*${'a?'.repeat(10_000)}`, `b${'ab'.repeat(10_000)}`, 'arn', false), HUGE_MS), true);
    assert.equal(timed('long variable body', () => matches(`\${a${' '.repeat(30_000)}'}`, 'x', 'glob', true)), false);
    assert.equal(timed('many unclosed variables', () => matches('${'.repeat(50_000), '${'.repeat(50_000), 'glob', true)), true);
  });
});
