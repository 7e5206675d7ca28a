// Wildcard patterns and policy variables, compiled once and cached.
//
// One template language serves Action, Resource and condition values:
// - `*` and `?` are wildcards where the element allows them (Action, Resource, StringLike, ArnLike);
//   elsewhere (StringEquals, ...) they are ordinary characters.
// - `${key}` and `${key, 'default'}` are policy variables, and `${*}`, `${?}`, `${$}` are the
//   escapes for literal `*`, `?`, `$`. Both exist only under "Version": "2012-10-17"; with any
//   other Version (or none) the text is literal. IAM User Guide, reference_policies_variables.html
//   ("Using variables in policies", "Special characters", "Specifying default values").
// - A variable whose key is absent from the request (or multivalued, which "cannot be used as a
//   policy variable") and has no default leaves the value "effectively null. There is no equal or
//   like value" (same page, #policy-vars-no-value): that policy value matches nothing.
import { lookupLower } from './context.ts';
import type { RequestContext } from './types.ts';
import { ANY, compileWildcard, NOT_COLON, STAR as STAR_ANY, STAR_NOT_COLON, type Matcher } from './wildcardMatch.ts';

export const POLICY_VARIABLES_VERSION = '2012-10-17';
const COLON = 58; // ':'

const STAR = 0;
const QMARK = 1;
interface VarToken {
  key: string;
  def?: string;
}
/** A literal run, a wildcard, or a variable. */
type Token = string | typeof STAR | typeof QMARK | VarToken;

export interface Template {
  raw: string;
  tokens: Token[];
  hasVariables: boolean;
  /** The variables' keys lower-cased (context keys are case-insensitive), in token order. */
  lowerKeys: string[];
  /** Cached matchers for templates without variables, by mode. */
  compiled: Map<string, Matcher>;
  /** For templates with variables: matchers by mode, then by the variables' values (null: unresolvable). */
  resolved?: Map<MatchMode, ResolvedMatchers>;
}

/**
 * The body of `${key}` or `${key, 'default'}`: the key is trimmed (keys are case-insensitive) and
 * holds no `,` or `'`; in the default, `''` stands for `'`. Null when the body is neither. (A
 * hand parser: the equivalent regex backtracks quadratically on a long run of spaces.)
 */
function parseVariableBody(body: string): VarToken | null {
  const comma = body.indexOf(',');
  const keyPart = comma < 0 ? body : body.slice(0, comma);
  const key = keyPart.trim();
  if (key.length === 0 || keyPart.includes("'")) return null;
  if (comma < 0) return { key };
  const rest = body.slice(comma + 1).trimStart();
  if (!rest.startsWith("'")) return null;
  let def = '';
  for (let i = 1; i < rest.length; i++) {
    if (rest[i] !== "'") {
      def += rest[i];
    } else if (rest[i + 1] === "'") {
      def += "'";
      i++;
    } else {
      return rest.slice(i + 1).trim().length === 0 ? { key, def } : null;
    }
  }
  return null;
}

const templateCache = new Map<string, Template>();
const matcherCache = new Map<string, Matcher>();

/** Parses a policy string into tokens; cached by text and whether variables are enabled. */
export function parseTemplate(raw: string, variables: boolean): Template {
  const cacheKey = (variables ? 'v' : 'l') + raw;
  const cached = templateCache.get(cacheKey);
  if (cached) return cached;
  const tokens: Token[] = [];
  let literal = '';
  let hasVariables = false;
  const flush = (): void => {
    if (literal) tokens.push(literal);
    literal = '';
  };
  // Once no `}` follows, no later `${` can close either: stop searching (keeps parsing linear).
  let closing = true;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '*' || ch === '?') {
      flush();
      tokens.push(ch === '*' ? STAR : QMARK);
    } else if (variables && closing && ch === '$' && raw[i + 1] === '{') {
      const end = raw.indexOf('}', i + 2);
      if (end < 0) {
        closing = false;
        literal += ch;
        continue;
      }
      const body = raw.slice(i + 2, end);
      if (body === '*' || body === '?' || body === '$') {
        literal += body;
      } else {
        const token = parseVariableBody(body);
        if (!token) {
          literal += raw.slice(i, end + 1);
        } else {
          flush();
          tokens.push(token);
          hasVariables = true;
        }
      }
      i = end;
    } else {
      literal += ch;
    }
  }
  flush();
  const lowerKeys = tokens.filter((t): t is VarToken => typeof t === 'object').map((t) => t.key.toLowerCase());
  const template: Template = { raw, tokens, hasVariables, lowerKeys, compiled: new Map() };
  if (templateCache.size > 50_000) templateCache.clear();
  templateCache.set(cacheKey, template);
  return template;
}

/** Resolved pieces: literal text (policy text or substituted value) and wildcards. */
type Piece = { text: string; substituted: boolean } | typeof STAR | typeof QMARK;

export interface Resolution {
  pieces: Piece[];
  /** Keys of variables that could not be resolved (absent or multivalued, no default). */
  unresolved: string[];
}

export function resolveTemplate(template: Template, request: RequestContext | undefined, unresolvedAsWildcard = false): Resolution {
  const pieces: Piece[] = [];
  const unresolved: string[] = [];
  let variable = 0;
  for (const token of template.tokens) {
    if (typeof token === 'string') pieces.push({ text: token, substituted: false });
    else if (token === STAR || token === QMARK) pieces.push(token);
    else {
      const lower = template.lowerKeys[variable++]!;
      const value = request ? lookupLower(request, lower) : { kind: 'absent' as const };
      if (value.kind === 'single') pieces.push({ text: value.value, substituted: true });
      else if (token.def !== undefined) pieces.push({ text: token.def, substituted: true });
      else {
        unresolved.push(token.key);
        if (unresolvedAsWildcard) pieces.push(STAR);
      }
    }
  }
  return { pieces, unresolved };
}

/** The template's text after substitution, wildcards shown as written, for explanations. */
export function displayResolved(template: Template, request: RequestContext | undefined): string {
  if (!template.hasVariables) return template.raw;
  const { pieces, unresolved } = resolveTemplate(template, request);
  if (unresolved.length > 0) return template.raw;
  return pieces.map((p) => (p === STAR ? '*' : p === QMARK ? '?' : p.text)).join('');
}

export type MatchMode = 'literal' | 'literal-ci' | 'glob' | 'glob-ci' | 'arn';

/**
 * The pieces as wildcard elements (wildcardMatch.ts), never as a regex built from policy text.
 * - glob: `*` any run, `?` one character.
 * - arn: "You can use wildcard characters (* and ?) within the individual segments of an ARN (the
 *   parts separated by colons) ... If the * wildcard is the last character of a resource ARN
 *   segment, it can expand to match beyond the colon boundaries." (IAM User Guide,
 *   reference_policies_elements_resource.html, "Using wildcards in resource ARNs"). So in the
 *   first five parts `?` is one character other than `:`, and `*` is a run without `:` unless the
 *   policy text (not a substituted value) goes on with `:` or ends there. In the sixth part (the
 *   resource id, which may itself hold colons) `*` matches anything, including `/`. Segments are
 *   counted on the policy text; colons in substituted values do not count.
 */
function wildcardElements(pieces: Piece[], mode: MatchMode): number[] {
  const elements: number[] = [];
  let segment = 0; // colon-separated segment index of the policy text, for 'arn'
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece === STAR || piece === QMARK) {
      if (mode !== 'arn' || segment >= 5) {
        elements.push(piece === STAR ? STAR_ANY : ANY);
        continue;
      }
      if (piece === QMARK) {
        elements.push(NOT_COLON);
        continue;
      }
      const next = pieces[i + 1];
      const endsSegment = next === undefined || (typeof next === 'object' && !next.substituted && next.text.startsWith(':'));
      elements.push(endsSegment ? STAR_ANY : STAR_NOT_COLON);
      continue;
    }
    const countSegments = mode === 'arn' && !piece.substituted;
    for (let j = 0; j < piece.text.length; j++) {
      const code = piece.text.charCodeAt(j);
      if (countSegments && code === COLON) segment++;
      elements.push(code);
    }
  }
  return elements;
}

/** A cache key for resolved pieces: each piece's kind, then for text its length and the text. */
function piecesKey(pieces: Piece[], mode: MatchMode): string {
  let key = mode;
  for (const p of pieces) key += p === STAR ? '|*' : p === QMARK ? '|?' : `|${p.substituted ? 's' : 't'}${p.text.length}:${p.text}`;
  return key;
}

function matcherFor(pieces: Piece[], mode: MatchMode): Matcher {
  if (mode === 'literal' || mode === 'literal-ci') {
    const text = pieces.map((p) => (p === STAR ? '*' : p === QMARK ? '?' : p.text)).join('');
    if (mode === 'literal') return (value) => value === text;
    const lower = text.toLowerCase();
    return (value) => value.toLowerCase() === lower;
  }
  // A glob without wildcards is an equality test.
  if (pieces.every((p) => typeof p === 'object')) {
    const text = (pieces as { text: string }[]).map((p) => p.text).join('');
    if (mode !== 'glob-ci') return (value) => value === text;
    const lower = text.toLowerCase();
    return (value) => value.length === lower.length && value.toLowerCase() === lower;
  }
  if ((mode === 'glob' || mode === 'glob-ci') && pieces.length === 1 && pieces[0] === STAR) return () => true;
  const key = piecesKey(pieces, mode);
  let matcher = matcherCache.get(key);
  if (!matcher) {
    matcher = compileWildcard(wildcardElements(pieces, mode), mode === 'glob-ci');
    if (matcherCache.size > 50_000) matcherCache.clear();
    matcherCache.set(key, matcher);
  }
  return matcher;
}

const NOTHING: Matcher = () => false;

/** Matchers of one template with variables kept per mode and variable values; a few per template. */
const RESOLVED_PER_TEMPLATE = 64;

/**
 * A template's matchers for one mode, by the values its variables take: with one variable the
 * value itself is the key (`missing`: the variable has no single value); with several, a key
 * built from all of them.
 */
interface ResolvedMatchers {
  byValue: Map<string, Matcher | null>;
  missing?: Matcher | null;
}

/**
 * A matcher for one policy value against request values. Returns `null` when a variable could not
 * be resolved: the value matches nothing (see the header comment).
 */
export function templateMatcher(template: Template, mode: MatchMode, request: RequestContext | undefined): Matcher | null {
  if (!template.hasVariables) {
    let matcher = template.compiled.get(mode);
    if (!matcher) {
      matcher = matcherFor(resolveTemplate(template, undefined).pieces, mode);
      template.compiled.set(mode, matcher);
    }
    return matcher;
  }
  // Requests repeat the same few values (one identity id, one tag): the matcher is kept by the
  // variables' values, so a request that repeats them builds nothing.
  const byMode = (template.resolved ??= new Map());
  let cache = byMode.get(mode);
  if (!cache) byMode.set(mode, (cache = { byValue: new Map() }));
  let key: string | null;
  if (template.lowerKeys.length === 1) {
    const value = request ? lookupLower(request, template.lowerKeys[0]!) : undefined;
    key = value?.kind === 'single' ? value.value : null;
  } else {
    key = variableValuesKey(template, request);
  }
  const cached = key === null ? cache.missing : cache.byValue.get(key);
  if (cached !== undefined) return cached;
  const { pieces, unresolved } = resolveTemplate(template, request);
  const matcher = unresolved.length > 0 ? null : matcherFor(pieces, mode);
  if (key === null) cache.missing = matcher;
  else {
    if (cache.byValue.size >= RESOLVED_PER_TEMPLATE) cache.byValue.clear();
    cache.byValue.set(key, matcher);
  }
  return matcher;
}

/** What the resolution of a template with several variables depends on: each one's value, or that it has none. */
function variableValuesKey(template: Template, request: RequestContext | undefined): string {
  let key = '';
  for (const lower of template.lowerKeys) {
    const value = request ? lookupLower(request, lower) : undefined;
    // A value's length first, so that no value can imitate a boundary.
    key += value?.kind === 'single' ? `|${value.value.length}:${value.value}` : '|-';
  }
  return key;
}

/** The text a literal comparison (StringEquals, ...) uses for a template without variables: escapes undone, wildcards as written. */
export function literalText(template: Template): string {
  return resolveTemplate(template, undefined).pieces.map((p) => (p === STAR ? '*' : p === QMARK ? '?' : p.text)).join('');
}

/**
 * Could any value of the unresolved variables make the template match? (Each unresolved variable
 * is read as `*`.) Used to tell "cannot match whatever the variable is" from "unknown".
 */
export function couldMatch(template: Template, mode: MatchMode, request: RequestContext | undefined, value: string): boolean {
  return matcherFor(resolveTemplate(template, request, true).pieces, mode === 'literal' ? 'glob' : mode === 'literal-ci' ? 'glob-ci' : mode)(value);
}

/** Convenience: does `value` match the policy string? Unresolvable variables never match. */
export function matches(raw: string, value: string, mode: MatchMode, variables: boolean, request?: RequestContext): boolean {
  return (templateMatcher(parseTemplate(raw, variables), mode, request) ?? NOTHING)(value);
}

/** The variable keys a policy string refers to (empty when variables are disabled). */
export function variablesIn(raw: string): string[] {
  return parseTemplate(raw, true)
    .tokens.filter((t): t is VarToken => typeof t === 'object')
    .map((t) => t.key);
}

/** The variables of a policy string with whether each has a default (`${key, 'default'}`). */
export function variableUsesIn(raw: string): { key: string; hasDefault: boolean }[] {
  return parseTemplate(raw, true)
    .tokens.filter((t): t is VarToken => typeof t === 'object')
    .map((t) => ({ key: t.key, hasDefault: t.def !== undefined }));
}
