// SARIF 2.1.0 for `diagnose --template --format sarif` (code-scanning services): one run, every
// finding code as a rule with its severity as the default level, each result located at the file,
// line and column of the offending value (URIs relative to the working folder through the
// SRCROOT base id), with the quick fix as a SARIF fix where there is one.
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FindingCode, Severity } from '../core/findings.ts';
import { FINDING_CODES } from '../core/findings.ts';
import type { TemplateDiagnosis, TemplateFinding } from '../core/iac/index.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** One line per code (shared/spec/findings.md); a code added later without one gets its name. */
const DESCRIPTIONS: Partial<Record<FindingCode, string>> = {
  GROUP_ROLE_MISSING: "A group's RoleArn names a role that does not exist.",
  GROUP_PRECEDENCE_TIE: 'Groups with the same precedence and different roles: a user in both gets no preferred role.',
  GROUP_ROLE_WITHOUT_PRECEDENCE: 'A group with a role and no precedence loses to every numbered group.',
  GROUP_ROLES_IGNORED: 'Group roles are never used: the identity pool does not map this user pool with Type Token.',
  GROUP_ROLE_NOT_ASSUMABLE: "A group role the identity pool selects from the token refuses that pool in its trust policy.",
  POOL_NO_AUTHENTICATED_ROLE: 'Sign-ins fall back to the authenticated role, and the identity pool has none.',
  POOL_UNAUTH_NO_ROLE: 'Guests are allowed but there is no unauthenticated role.',
  POOL_AMBIGUOUS_DENY: 'AmbiguousRoleResolution Deny that some users hit: NotAuthorizedException.',
  POOL_NO_PROVIDERS: 'The identity pool trusts no Cognito user pool.',
  TRUST_NO_COGNITO_PRINCIPAL: 'The trust policy has no Allow for the cognito-identity.amazonaws.com federated principal.',
  TRUST_WRONG_ACTION: 'The Cognito statement does not allow sts:AssumeRoleWithWebIdentity.',
  TRUST_AUD_IS_USER_POOL_ID: 'The aud condition holds a user pool id instead of the identity pool id.',
  TRUST_AUD_OTHER_POOL: 'The aud condition names identity pools, but not the one that hands out the role.',
  TRUST_AUD_MISSING: 'No aud condition: any identity pool, in any account, can obtain this role.',
  TRUST_KEY_MISSPELLED: 'A condition key that looks like a Cognito key but is not one: the condition never holds.',
  TRUST_AMR_MISMATCH: 'The amr condition excludes the kind of identity the role is used for.',
  TRUST_AMR_SINGLE_VALUE_OPERATOR: 'amr is tested without ForAnyValue: although it is multivalued.',
  TRUST_EXPLICIT_DENY: 'A Deny statement matches the Cognito web-identity request.',
  POLICY_VARIABLES_WITHOUT_VERSION: 'Policy variables in a policy whose Version is not 2012-10-17 never match.',
  FGAC_WRONG_VARIABLE: 'dynamodb:LeadingKeys compared with a variable a Cognito identity never has.',
  FGAC_LEADINGKEYS_NOT_FORALLVALUES: 'dynamodb:LeadingKeys tested without ForAllValues:.',
  FGAC_SCAN_BYPASS: 'A role limited to its own partition may also Scan the table, which reads every partition.',
  ROLE_NOT_CAPTURED: 'A referenced role is not defined here: nothing is claimed about it.',
  ROLE_UNREADABLE: 'The scanner could not read a referenced role.',
  USER_NO_PREFERRED_ROLE: "The user's groups tie, so the token carries no preferred role.",
  USER_SIGN_IN_FAILS: 'Simulating the user through an identity pool ends in an error.',
  POLICY_MALFORMED: 'A policy document could not be understood.',
  MAPPING_UNKNOWN_PROVIDER: 'A role mapping for a provider and client the identity pool does not list.',
  POOL_ROLE_MISSING: "The identity pool's role, or a rule's role, does not exist.",
  SCAN_INCOMPLETE: 'The scanner could not read something.',
  POOL_DUPLICATE_ROLE_ATTACHMENT: 'Two role attachments target the same identity pool: the last one applied wins.',
  MAPPING_SET_OUTSIDE_DEFINITION: 'Role mappings or roles are set by a custom resource or script the definition cannot show.',
  TEMPLATE_VALUE_UNKNOWN: 'A value a check needs is not known before deploy: nothing is claimed about it.',
  TEMPLATE_UNSUPPORTED: 'Something in the definition that the reader does not read.',
};

function uriOf(file: string, base: string): { uri: string; uriBaseId?: string } {
  const rel = relative(base, file);
  if (rel && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel)) return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
  return { uri: pathToFileURL(file).href };
}

function region(l: TemplateFinding['location']): Record<string, number> {
  return { startLine: l.startLine, startColumn: l.startColumn, endLine: l.endLine, endColumn: l.endColumn };
}

/** The SARIF log of a template diagnosis; `base` is the folder relative URIs start from (the working folder). */
export function toSarif(diagnosis: TemplateDiagnosis, base: string, version: string): Record<string, unknown> {
  const codes = Object.keys(FINDING_CODES) as FindingCode[];
  const rules = codes.map((code) => ({
    id: code,
    name: code.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase()),
    shortDescription: { text: DESCRIPTIONS[code] ?? code.replace(/_/g, ' ').toLowerCase() },
    defaultConfiguration: { level: LEVEL[FINDING_CODES[code]] },
  }));
  const results = diagnosis.findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: uriOf(f.location.file, base), region: region(f.location) } }],
      properties: { fix: f.fix, subject: f.subject, ...(f.symptom ? { symptom: f.symptom } : {}), ...(f.resource ? { resource: f.resource } : {}) },
    };
    if (f.quickFix) {
      result['fixes'] = [{
        description: { text: f.quickFix.title },
        artifactChanges: f.quickFix.edits.map((e) => ({
          artifactLocation: uriOf(e.location.file, base),
          replacements: [{ deletedRegion: region(e.location), insertedContent: { text: e.newText } }],
        })),
      }];
    }
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cognito-access', fullName: 'Cognito Access Inspector', version, semanticVersion: version, rules } },
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(base.endsWith(sep) ? base : `${base}${sep}`).href } },
      artifacts: diagnosis.files.map((file) => ({ location: uriOf(file, base) })),
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}
