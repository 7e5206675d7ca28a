// Findings: one fault or risk each, with a stable code (shared/spec/findings.md).

export type Severity = 'error' | 'warning' | 'info';

/** `account` (added by this project): the scanned account and region as a whole, `<accountId>/<region>`,
 *  for what is about no one resource (a list call the scanner could not make). */
export type SubjectKind = 'userPool' | 'group' | 'identityPool' | 'roleMapping' | 'role' | 'table' | 'user' | 'account';

export interface FindingSubject {
  kind: SubjectKind;
  /** ARN for roles and tables; `<userPoolId>/<GroupName>` for groups; `<userPoolId>/<Username>` for users;
   *  `<identityPoolId>/<provider>:<clientId>` for role mappings; the id otherwise. */
  id: string;
}

export const FINDING_CODES = {
  GROUP_ROLE_MISSING: 'error',
  GROUP_PRECEDENCE_TIE: 'warning',
  GROUP_ROLE_WITHOUT_PRECEDENCE: 'warning',
  GROUP_ROLES_IGNORED: 'warning',
  GROUP_ROLE_NOT_ASSUMABLE: 'error',
  POOL_NO_AUTHENTICATED_ROLE: 'error',
  POOL_UNAUTH_NO_ROLE: 'error',
  POOL_AMBIGUOUS_DENY: 'warning',
  POOL_NO_PROVIDERS: 'info',
  TRUST_NO_COGNITO_PRINCIPAL: 'error',
  TRUST_WRONG_ACTION: 'error',
  TRUST_AUD_IS_USER_POOL_ID: 'error',
  TRUST_AUD_OTHER_POOL: 'error',
  TRUST_AUD_MISSING: 'warning',
  TRUST_KEY_MISSPELLED: 'error',
  TRUST_AMR_MISMATCH: 'error',
  TRUST_AMR_SINGLE_VALUE_OPERATOR: 'warning',
  TRUST_EXPLICIT_DENY: 'error',
  POLICY_VARIABLES_WITHOUT_VERSION: 'error',
  FGAC_WRONG_VARIABLE: 'error',
  FGAC_LEADINGKEYS_NOT_FORALLVALUES: 'warning',
  FGAC_SCAN_BYPASS: 'warning',
  ROLE_NOT_CAPTURED: 'info',
  ROLE_UNREADABLE: 'warning',
  USER_NO_PREFERRED_ROLE: 'warning',
  USER_SIGN_IN_FAILS: 'error',
  // Added by this project (findings.md allows new codes):
  /** A policy document in the snapshot could not be understood (bad statement, unknown operator, ...). */
  POLICY_MALFORMED: 'error',
  /** A role mapping's key names a provider and client that the identity pool does not list: the mapping is never used. */
  MAPPING_UNKNOWN_PROVIDER: 'warning',
  /** The identity pool's authenticated or unauthenticated role, or a rule's role, does not exist (`Missing: true`). */
  POOL_ROLE_MISSING: 'error',
  // Beyond the article (findings.md):
  /** The scanner could not read something (one finding per scan gap). */
  SCAN_INCOMPLETE: 'warning',
  /** Principal tags apply for a provider, and a role its users can get does not allow sts:TagSession to the Cognito principal. */
  TRUST_NO_TAG_SESSION: 'error',
  /** A policy of a role reachable through a pool uses aws:PrincipalTag/<key> that no mapping of that pool and provider sets. */
  PRINCIPAL_TAG_NOT_MAPPED: 'error',
  /** A tag map whose keys, count or claim values (known or possible) break the STS session-tag limits. */
  PRINCIPAL_TAG_VALUE_INVALID: 'warning',
  /** The user pool has a pre token generation trigger: token groups and roles may differ from the prediction. */
  USER_POOL_TOKEN_TRIGGER: 'info',
  /** Basic (classic) flow is on: clients may assume any role whose trust admits the pool. */
  POOL_BASIC_FLOW_ENABLED: 'warning',
  /** An amr condition requires a provider name that none of the pool's providers puts in amr. */
  TRUST_AMR_PROVIDER_MISMATCH: 'error',
  /** A Token mapping for a provider whose tokens carry no role claims. */
  MAPPING_TOKEN_UNSUPPORTED_PROVIDER: 'warning',
  // Found in real definitions (findings.md; src/core/diagnoseDefinitions.ts, diagnoseActions.ts):
  /** A Rules mapping tests a claim users set themselves (WriteAttributes, self sign-up); a warning when only possibly writable. */
  MAPPING_RULE_ON_WRITABLE_CLAIM: 'error',
  /** A rule tests a claim that no ID token of that user pool and app client carries: it never matches. */
  MAPPING_RULE_CLAIM_NEVER_PRESENT: 'warning',
  /** An Allow names an action whose service prefix or name does not exist in AWS's service reference: it grants nothing. */
  POLICY_UNKNOWN_ACTION: 'warning',
  /** A role an identity pool hands out allows nothing (no Allow, only unknown actions, or a boundary that allows nothing). */
  ROLE_GRANTS_NOTHING: 'info',
  /** An app client registered as an identity-pool provider cannot sign a user in, so it issues no ID token. */
  PROVIDER_CLIENT_NO_ID_TOKEN: 'warning',
  // Definitions only (diagnose --template, src/core/iac/):
  /** Two role attachments target the same identity pool: the last one applied wins. */
  POOL_DUPLICATE_ROLE_ATTACHMENT: 'warning',
  /** Role mappings or roles are set by a custom resource or a script, so the definition cannot show them. */
  MAPPING_SET_OUTSIDE_DEFINITION: 'info',
  /** A value a check needs is not known before deploy (a parameter without default, an import, an unknown function): nothing is claimed about it. */
  TEMPLATE_VALUE_UNKNOWN: 'info',
  /** Something in the definition that the reader does not read (a resource type, a construct): named, never silently dropped. */
  TEMPLATE_UNSUPPORTED: 'info',
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_CODES;

/** Where in a definition file the offending value is (diagnose --template): 1-based lines and
 *  columns in UTF-16 code units; `endColumn` is one past the last character (as SARIF). */
export interface FindingLocation {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  subject: FindingSubject;
  related?: FindingSubject[];
  message: string;
  symptom?: string;
  fix: string;
  /** Set for findings about a definition (template) file only. */
  location?: FindingLocation;
  /**
   * Further places the fault sits, beyond the subject and related (an app client, a rule, the role
   * a rule hands out), for the editor's tree. Not enumerable: the JSON of findings.md stays as the
   * spec draws it (its subject kinds have no client or rule). Read it with `placesOf`.
   */
  readonly places?: FindingPlace[];
}

/** Where in a configuration a finding also belongs, for the tree's badges. */
export type FindingPlace =
  | { kind: 'client'; userPoolId: string; clientId: string }
  | { kind: 'rule'; identityPoolId: string; mappingKey: string; index: number }
  | { kind: 'role'; roleArn: string };

/** Adds places to a finding (not enumerable: no JSON output shows them). */
export function placeFinding(f: Finding, places: FindingPlace[]): Finding {
  Object.defineProperty(f, 'places', { value: places, enumerable: false, writable: false, configurable: true });
  return f;
}

export function placesOf(f: Finding): FindingPlace[] {
  return f.places ?? [];
}

/** The key of a place in the tree's finding index (`client|<pool>/<client>`, `rule|<pool>/<key>#<n>`, `role|<arn>` as a role subject's). */
export function placeKey(place: FindingPlace): string {
  switch (place.kind) {
    case 'client':
      return `client|${place.userPoolId}/${place.clientId}`;
    case 'rule':
      return `rule|${place.identityPoolId}/${place.mappingKey}#${place.index}`;
    case 'role':
      return `role|${place.roleArn}`;
  }
}

export function finding(
  code: FindingCode,
  subject: FindingSubject,
  message: string,
  fix: string,
  extra: { related?: FindingSubject[]; symptom?: string } = {},
): Finding {
  const result: Finding = { code, severity: FINDING_CODES[code], subject, message, fix };
  if (extra.related && extra.related.length > 0) result.related = extra.related;
  if (extra.symptom) result.symptom = extra.symptom;
  return result;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then infos; stable within a severity. Drops exact duplicates. */
export function sortFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.code}|${f.subject.kind}|${f.subject.id}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

export function summarize(findings: Finding[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}
