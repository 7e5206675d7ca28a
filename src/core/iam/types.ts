// The IAM policy model and the shapes of an evaluation and its explanation.
// One evaluator serves trust policies (may Cognito assume this role?) and permission policies
// (may these credentials call this DynamoDB action?). These types are the contract between
// src/core/iam/ and its callers (trust.ts, the CLI, later the probe panel): add fields freely,
// never rename one.

export type Effect = 'Allow' | 'Deny';

/** `Principal` / `NotPrincipal`: "*" or a map of principal type (Federated, AWS, Service, CanonicalUser) to values. */
export type PrincipalSpec = '*' | Record<string, string[]>;

/** Operator (e.g. `ForAnyValue:StringLike`) -> condition key (as written) -> values (always an array of strings). */
export type ConditionBlock = Record<string, Record<string, string[]>>;

/** One statement, normalized: every single value became an array, booleans and numbers became strings. */
export interface Statement {
  /** Position in the policy's Statement list, from 0. */
  index: number;
  Sid?: string;
  Effect: Effect;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: PrincipalSpec;
  NotPrincipal?: PrincipalSpec;
  Condition?: ConditionBlock;
}

/** Where a policy comes from; decides how it takes part in the decision. */
export type PolicyKind = 'identity' | 'boundary' | 'resource' | 'session' | 'trust';

/** Something wrong with a policy document, found while parsing. */
export interface PolicyProblem {
  /** JSON path inside the document, e.g. `Statement[1].Condition.StringEquals`. */
  path: string;
  message: string;
}

export interface Policy {
  /** A name for people: the managed policy's name, the inline policy's name, "trust policy", ... */
  name: string;
  kind: PolicyKind;
  /** The managed policy's ARN, or the role's ARN for inline/trust policies, when known. */
  arn?: string;
  /** The document's Version, as written (absent when missing). */
  Version?: string;
  Statement: Statement[];
  /** Parse problems; a statement that could not be understood is left out of Statement and listed here. */
  problems: PolicyProblem[];
}

export type ContextValue = string | number | boolean | string[];

/** The request being authorized. */
export interface RequestContext {
  /** `service:Action`, e.g. `dynamodb:Query` or `sts:AssumeRoleWithWebIdentity`. */
  action: string;
  /** The resource ARN (a role ARN for trust policies, a table ARN for DynamoDB). */
  resource: string;
  /** Who calls: needed by trust and resource policies. */
  principal?: {
    type: 'Federated' | 'AWS' | 'Service' | 'CanonicalUser';
    id: string;
    /** For a role session (`arn:aws:sts::ACCT:assumed-role/NAME/SESSION`): the role's ARN, path included. */
    sessionOf?: string;
  };
  /**
   * Condition context keys. Key lookup is case-insensitive. A missing key is `undefined` or absent;
   * multivalued keys (amr, dynamodb:LeadingKeys, dynamodb:Attributes) are arrays.
   */
  context: Record<string, ContextValue | undefined>;
}

/** How one condition (operator + key) of a statement turned out. */
export interface ConditionResult {
  /** The operator as written, e.g. `ForAnyValue:StringLike`. */
  operator: string;
  /** The key as written in the policy. */
  key: string;
  matched: boolean;
  /** The request's values for the key, or null when the key is absent from the request. */
  requestValues: string[] | null;
  /** The policy's values after policy-variable substitution. */
  policyValues: string[];
  /** A short sentence for people, e.g. `key absent` or `"eu-central-1_X" is not one of "eu-central-1:abc"`. */
  reason: string;
}

export type StatementPart = 'principal' | 'action' | 'resource' | 'condition';

/** How one statement turned out for the request. */
export interface StatementResult {
  policyName: string;
  policyKind: PolicyKind;
  policyArn?: string;
  sid?: string;
  index: number;
  effect: Effect;
  /** True when every part matched: the statement applies to the request. */
  applies: boolean;
  principalMatched: boolean;
  actionMatched: boolean;
  resourceMatched: boolean;
  conditionsMatched: boolean;
  /** Every condition, in the policy's order. */
  conditions: ConditionResult[];
  /** The parts that did not match (empty when it applies). */
  failed: StatementPart[];
  /** The statement itself, for showing it with the failing part marked. */
  statement: Statement;
  /** One sentence per failed part, for people (e.g. `Action "dynamodb:GetItem" does not cover "dynamodb:PutItem"`). */
  why?: string[];
  /**
   * How the principal matched in a resource or trust policy: `session` = the exact role-session ARN,
   * `role` = the role's ARN, `account` = the account id or `:root`, `any` = `*`, `exact` = another
   * exact id (Federated, Service). Absent when the principal is not checked or did not match.
   */
  principalMatchedAs?: 'session' | 'role' | 'account' | 'any' | 'exact' | 'not-principal';
}

export type DecisionKind = 'allowed' | 'implicit-deny' | 'explicit-deny';

/** The policies that take part in one authorization. */
export interface PolicySet {
  identity: Policy[];
  boundary?: Policy;
  resource?: Policy;
  session?: Policy;
  /** The account of the caller, for deciding whether a resource policy alone can allow (same account). */
  accountId?: string;
}

export interface Explanation {
  /** One or two sentences for people. */
  summary: string;
  /** The statements that decided: the explicit denies, or the allows that granted access. */
  deciding: StatementResult[];
  /** Every statement that did not apply, with the part that failed. */
  notMatched: StatementResult[];
  /** For an implicit deny: the statement that came closest to allowing. */
  closest?: StatementResult;
  /** For an implicit deny: the smallest change that would allow the request, for people. */
  suggestion?: string;
  /** For an implicit deny: the policy type that is missing an allow (identity-based, permissions boundary, session). */
  missingAllowIn?: 'identity-based' | 'permissions boundary' | 'session';
  /** For an implicit deny: the corrected (or new) statement that would allow the request, as policy JSON. */
  suggestedStatement?: Record<string, unknown>;
  /** Which policy the suggested statement belongs in (and which statement it replaces, when it edits one). */
  suggestedIn?: { policyName: string; policyKind: PolicyKind; policyArn?: string; sid?: string; index?: number };
  /** Parse problems of the policies that took part: a malformed statement was left out of the evaluation. */
  problems?: { policyName: string; path: string; message: string }[];
}

export interface Decision {
  decision: DecisionKind;
  action: string;
  resource: string;
  /**
   * Built the first time it is read (authorize, evaluateTrust), then kept; an own enumerable
   * property like the others, so JSON and structured cloning see plain data. For the decision
   * alone, decide() and decideTrust() build none.
   */
  explanation: Explanation;
}
