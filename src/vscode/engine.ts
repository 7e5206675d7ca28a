// The engine, bundled on its own (dist/engine.js) and loaded on first use, so activation does not
// pay for it. Everything the extension needs from src/core goes through here.
import '../pipeline/iamActions.ts'; // the IAM service reference (POLICY_UNKNOWN_ACTION), bundled by esbuild.mjs
export { diagnose } from '../core/diagnose.ts';
export type { Diagnosis } from '../core/diagnose.ts';
export { placesOf, placeKey } from '../core/findings.ts';
export { parseSnapshot, SnapshotError, decodePolicyDocument, roleNameFromArn, providerNameFor, parseProviderName } from '../core/snapshot.ts';
export { predictClaims, comparePrecedence, formatPrecedence } from '../core/groups.ts';
export { simulate, SimulationInputError, trustedClients } from '../core/simulate.ts';
export { readTrustPolicy } from '../core/trust.ts';
export { parsePolicy } from '../core/iam/index.ts';
export { matches } from '../core/iam/patterns.ts';
// Scan gaps: the policy the Explorer's "Copy IAM Policy Statement" copies, and each gap's finding.
export { gapPolicyDocument, gapFindings } from '../core/gaps.ts';
// For the Test-as-user and probe panels:
export { simulateAccess, listDynamoActions } from '../core/access.ts';
export { checkTrust, recommendedTrustStatement } from '../core/trust.ts';
export { correctedTrustPolicy } from '../core/trustFix.ts';
export { decodeToken } from '../core/tokens.ts';
export { mask } from '../core/redact.ts';
// Explain an AWS error, and who can do what (the access matrix):
export { parseAwsError, UNDERSTOOD_FORMS } from '../core/errorMessages.ts';
export { explainError, roleOfSession } from '../core/explainError.ts';
export { accessMatrix, decideCell, rowLabel, MATRIX_ACTIONS } from '../core/accessMatrix.ts';
export { waysIn, describeWay } from '../core/waysIn.ts';
// The probe matrix's shape (no SDK in probePlan.ts), so the simulated probe matches the live one.
export { PROBE_OPERATIONS, IAM_ACTION, probeRequestContext, tagPartitions } from '../aws/probePlan.ts';
export { leadingKeyTags } from '../core/access.ts';
// Beyond the article, for the tree and Test as user: providers, principal-tag maps, the trigger.
export { providersOf, describeProvider, findProvider, oidcProviderName } from '../core/providers.ts';
export { tagMapFor, tagClaimsOf, mapApplies, formatTags } from '../core/sessionTags.ts';
export { tokenTriggerOf, describeTrigger } from '../core/trigger.ts';
// Diagnose before deploy (templates, cdk.out, Terraform): located findings and quick-fix edits.
export { parseTemplate, parseTemplateText, diagnoseTemplate, TemplateInputError, TemplateSyntaxError } from '../core/iac/index.ts';
export type { TemplateModel, TemplateDiagnosis, TemplateFinding, QuickFix, TextEdit, SourceLocation } from '../core/iac/index.ts';
