// Condition operators: names, families and the comparison of one request value with the
// policy's values. IAM User Guide, reference_policies_elements_condition_operators.html.
import { cidrContains, parseCidr } from './ip.ts';
import { parseTemplate, resolveTemplate, templateMatcher, type MatchMode, type Template } from './patterns.ts';
import type { RequestContext } from './types.ts';

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

export interface BaseOperator {
  name: string;
  family: OperatorFamily;
  /** Negated operators (StringNotEquals, ArnNotLike, NotIpAddress, ...) are true when no policy value matches. */
  negated: boolean;
  /** The positive comparison of one request value with one resolved policy value. */
  compare?: (requestValue: string, policyValue: string) => boolean;
  /** For string and ARN families: how the template is matched. */
  mode?: MatchMode;
}

export interface ParsedOperator {
  raw: string;
  set?: 'ForAnyValue' | 'ForAllValues';
  base?: BaseOperator;
  ifExists: boolean;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
function toNumber(text: string): number | null {
  return NUMBER.test(text.trim()) ? Number(text) : null;
}

const dates = new Map<string, number | null>();

/** Dates are ISO 8601 or epoch seconds ("Date condition operators", same page); parsed once per text. */
function toDate(text: string): number | null {
  let date = dates.get(text);
  if (date === undefined) {
    date = readDate(text);
    if (dates.size >= 10_000) dates.clear();
    dates.set(text, date);
  }
  return date;
}

function readDate(text: string): number | null {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

function numeric(op: (a: number, b: number) => boolean): (r: string, p: string) => boolean {
  return (r, p) => {
    const a = toNumber(r);
    const b = toNumber(p);
    return a !== null && b !== null && op(a, b);
  };
}
function date(op: (a: number, b: number) => boolean): (r: string, p: string) => boolean {
  return (r, p) => {
    const a = toDate(r);
    const b = toDate(p);
    return a !== null && b !== null && op(a, b);
  };
}

const eq = (a: number, b: number): boolean => a === b;
const lt = (a: number, b: number): boolean => a < b;
const le = (a: number, b: number): boolean => a <= b;
const gt = (a: number, b: number): boolean => a > b;
const ge = (a: number, b: number): boolean => a >= b;

const BASES: BaseOperator[] = [
  { name: 'StringEquals', family: 'String', negated: false, mode: 'literal' },
  { name: 'StringNotEquals', family: 'String', negated: true, mode: 'literal' },
  { name: 'StringEqualsIgnoreCase', family: 'String', negated: false, mode: 'literal-ci' },
  { name: 'StringNotEqualsIgnoreCase', family: 'String', negated: true, mode: 'literal-ci' },
  { name: 'StringLike', family: 'String', negated: false, mode: 'glob' },
  { name: 'StringNotLike', family: 'String', negated: true, mode: 'glob' },
  { name: 'NumericEquals', family: 'Numeric', negated: false, compare: numeric(eq) },
  { name: 'NumericNotEquals', family: 'Numeric', negated: true, compare: numeric(eq) },
  { name: 'NumericLessThan', family: 'Numeric', negated: false, compare: numeric(lt) },
  { name: 'NumericLessThanEquals', family: 'Numeric', negated: false, compare: numeric(le) },
  { name: 'NumericGreaterThan', family: 'Numeric', negated: false, compare: numeric(gt) },
  { name: 'NumericGreaterThanEquals', family: 'Numeric', negated: false, compare: numeric(ge) },
  { name: 'DateEquals', family: 'Date', negated: false, compare: date(eq) },
  { name: 'DateNotEquals', family: 'Date', negated: true, compare: date(eq) },
  { name: 'DateLessThan', family: 'Date', negated: false, compare: date(lt) },
  { name: 'DateLessThanEquals', family: 'Date', negated: false, compare: date(le) },
  { name: 'DateGreaterThan', family: 'Date', negated: false, compare: date(gt) },
  { name: 'DateGreaterThanEquals', family: 'Date', negated: false, compare: date(ge) },
  {
    name: 'Bool',
    family: 'Bool',
    negated: false,
    // Boolean values are compared without regard to case ("true" / "True"); anything else never matches.
    compare: (r, p) => {
      const a = r.toLowerCase();
      return (a === 'true' || a === 'false') && a === p.toLowerCase();
    },
  },
  // BinaryEquals compares the base-64 text byte for byte.
  { name: 'BinaryEquals', family: 'Binary', negated: false, compare: (r, p) => r === p },
  { name: 'IpAddress', family: 'IpAddress', negated: false, compare: ipCompare },
  { name: 'NotIpAddress', family: 'IpAddress', negated: true, compare: ipCompare },
  // ArnEquals and ArnLike behave the same: both honour wildcards per ARN segment.
  { name: 'ArnEquals', family: 'Arn', negated: false, mode: 'arn' },
  { name: 'ArnLike', family: 'Arn', negated: false, mode: 'arn' },
  { name: 'ArnNotEquals', family: 'Arn', negated: true, mode: 'arn' },
  { name: 'ArnNotLike', family: 'Arn', negated: true, mode: 'arn' },
  { name: 'Null', family: 'Null', negated: false },
];

function ipCompare(requestValue: string, policyValue: string): boolean {
  const block = parseCidr(policyValue);
  const address = parseCidr(requestValue);
  return block !== null && address !== null && cidrContains(block, address);
}

const BASE_BY_LOWER = new Map(BASES.map((b) => [b.name.toLowerCase(), b]));
const OPERATOR_SYNTAX = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/i;
const operatorCache = new Map<string, ParsedOperator>();

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; `base` is undefined for an unknown operator. */
export function parseOperator(raw: string): ParsedOperator {
  let parsed = operatorCache.get(raw);
  if (parsed) return parsed;
  const match = OPERATOR_SYNTAX.exec(raw);
  parsed = { raw, ifExists: false };
  if (match) {
    const base = BASE_BY_LOWER.get(match[2]!.toLowerCase());
    const ifExists = match[3] !== undefined;
    // "NullIfExists" is not an operator: Null already tests presence.
    if (base && !(base.family === 'Null' && ifExists)) {
      parsed.base = base;
      parsed.ifExists = ifExists;
      if (match[1]) parsed.set = match[1].toLowerCase() === 'foranyvalue' ? 'ForAnyValue' : 'ForAllValues';
    }
  }
  operatorCache.set(raw, parsed);
  return parsed;
}

/** Policy values of one condition, as templates (variables only under 2012-10-17). */
export function templatesFor(values: string[], variables: boolean): Template[] {
  return values.map((v) => parseTemplate(v, variables));
}

export interface ValueComparison {
  matched: boolean;
  /** Policy values whose variables could not be resolved (they match nothing). */
  unresolved: string[];
}

/**
 * Compares one request value with all policy values: positive operators match when any value
 * matches ("multiple values for one key = OR"); negated operators match when none does. A value
 * with an unresolvable variable is neither equal nor unequal to anything, so it can make a
 * positive operator match nothing and a negated operator fail.
 */
export function compareValue(base: BaseOperator, requestValue: string, templates: Template[], request: RequestContext): ValueComparison {
  let any = false;
  const unresolved: string[] = [];
  for (const template of templates) {
    let hit: boolean;
    if (base.mode) {
      const matcher = templateMatcher(template, base.mode, request);
      if (!matcher) {
        unresolved.push(template.raw);
        continue;
      }
      hit = matcher(requestValue);
    } else {
      const text = resolvedText(template, request);
      if (text === null) {
        unresolved.push(template.raw);
        continue;
      }
      hit = base.compare!(requestValue, text);
    }
    if (hit) {
      any = true;
      if (!base.negated) break;
    }
  }
  if (base.negated) return { matched: !any && unresolved.length === 0, unresolved };
  return { matched: any, unresolved };
}

/** `compareValue(...).matched`, without collecting the unresolved values (the decision-only path). */
export function valueMatches(base: BaseOperator, requestValue: string, templates: Template[], request: RequestContext): boolean {
  let unresolved = false;
  for (const template of templates) {
    let hit: boolean;
    if (base.mode) {
      const matcher = templateMatcher(template, base.mode, request);
      if (!matcher) {
        unresolved = true;
        continue;
      }
      hit = matcher(requestValue);
    } else {
      const text = resolvedText(template, request);
      if (text === null) {
        unresolved = true;
        continue;
      }
      hit = base.compare!(requestValue, text);
    }
    // One match decides: a positive operator holds, a negated one fails.
    if (hit) return !base.negated;
  }
  return base.negated && !unresolved;
}

/** The template's text with variables substituted and wildcards as written; null when unresolvable. */
export function resolvedText(template: Template, request: RequestContext | undefined): string | null {
  if (!template.hasVariables) return template.raw;
  const { pieces, unresolved } = resolveTemplate(template, request);
  if (unresolved.length > 0) return null;
  return pieces.map((p) => (p === 0 ? '*' : p === 1 ? '?' : p.text)).join('');
}
