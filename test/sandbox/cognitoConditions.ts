// Conditions on Cognito's own keys (cognito-identity.amazonaws.com:aud / :sub / :amr), decided
// here before iam-simulate sees a document. Two gaps of the simulator make this necessary:
// - its data types :amr as a single String, so of an identity's amr ["authenticated",
//   "login.sandbox.test", ...] only the first value is ever compared, and a trust that admits a
//   provider name (`ForAnyValue:StringLike` amr "login.sandbox.test") never matches; IAM treats amr
//   as multivalued (IAM user guide, reference_policies_iam-condition-keys; cognito-semantics.md
//   section 3: "amr is multivalued ... Use ForAnyValue");
// - its validated mode drops the keys for actions they do not belong to (sts:TagSession,
//   dynamodb:*), so a condition on them would always fail there.
// Each condition block on one of these keys is decided with IAM's string operators (Equals,
// NotEquals, EqualsIgnoreCase, NotEqualsIgnoreCase, Like, NotLike; ForAnyValue: / ForAllValues:
// set qualifiers; IfExists; Null): met, it is removed; not met, the statement cannot apply and is
// removed. Blocks on other keys, or with other operators, stay for iam-simulate.

import type { PolicyDocument } from './seed.ts';

export type CognitoKeyValues = Record<string, string[]>;

/** Values of the three keys for an identity (amr multivalued), keyed in lower case. */
export const cognitoKeyValues = (identityId: string, identityPoolId: string, amr: string[]): CognitoKeyValues => ({
  'cognito-identity.amazonaws.com:aud': [identityPoolId],
  'cognito-identity.amazonaws.com:sub': [identityId],
  'cognito-identity.amazonaws.com:amr': amr,
});

/** IAM's wildcard match of StringLike: `*` any run, `?` one character (linear, no regular expression). */
function like(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

const MATCHERS: Record<string, { match: (expected: string, actual: string) => boolean; negated: boolean }> = {
  stringequals: { match: (e, a) => e === a, negated: false },
  stringnotequals: { match: (e, a) => e === a, negated: true },
  stringequalsignorecase: { match: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: false },
  stringnotequalsignorecase: { match: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: true },
  stringlike: { match: (e, a) => like(e, a), negated: false },
  stringnotlike: { match: (e, a) => like(e, a), negated: true },
};

/** Is one condition (operator, expected values) met by the key's values? undefined: not an operator decided here. */
function decide(operator: string, expected: unknown, actual: string[]): boolean | undefined {
  const wanted = (Array.isArray(expected) ? expected : [expected]).map(String);
  let op = operator.toLowerCase();
  if (op === 'null') return wanted.some((w) => (w === 'true') === (actual.length === 0));
  let set: 'any' | 'all' | undefined;
  if (op.startsWith('foranyvalue:')) [set, op] = ['any', op.slice('foranyvalue:'.length)];
  else if (op.startsWith('forallvalues:')) [set, op] = ['all', op.slice('forallvalues:'.length)];
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -'ifexists'.length);
  const m = MATCHERS[op];
  if (!m) return undefined;
  if (actual.length === 0) return ifExists || set === 'all';
  const one = (value: string): boolean => {
    const hit = wanted.some((w) => m.match(w, value));
    return m.negated ? !hit : hit;
  };
  if (set === 'all') return actual.every(one);
  // ForAnyValue, and a plain operator on a multivalued key: any value; a plain negated operator: none may match.
  return set === 'any' || !m.negated ? actual.some(one) : actual.every(one);
}

// A statement that applies to nothing, for a document whose every statement was decided away.
const NOTHING = { Effect: 'Deny', NotAction: '*', Resource: '*' };

/** The document with its conditions on Cognito's keys decided for these values. */
export function resolveCognitoConditions(doc: PolicyDocument, values: CognitoKeyValues): PolicyDocument {
  const statements = doc.Statement.flatMap((st) => {
    const condition = st.Condition as Record<string, Record<string, unknown>> | undefined;
    if (!condition || typeof condition !== 'object') return [st];
    const kept: Record<string, Record<string, unknown>> = {};
    let applies = true;
    for (const [operator, block] of Object.entries(condition)) {
      const rest: Record<string, unknown> = {};
      for (const [key, expected] of Object.entries(block ?? {})) {
        const actual = Object.hasOwn(values, key.toLowerCase()) ? values[key.toLowerCase()] : undefined;
        const decided = actual ? decide(operator, expected, actual) : undefined;
        if (decided === undefined) rest[key] = expected;
        else if (!decided) applies = false;
      }
      if (Object.keys(rest).length > 0) kept[operator] = rest;
    }
    if (!applies) return [];
    const { Condition: _decided, ...out } = st;
    return [Object.keys(kept).length > 0 ? { ...out, Condition: kept } : out];
  });
  return { ...doc, Statement: statements.length > 0 ? statements : [NOTHING] };
}
