// Every message between the extension host and the panels' pages, both directions, in one place
// (the Hex Editor's ToWebview/FromWebview pattern). Shared by src/vscode/panels (host) and
// src/webview (browser): types only, plus the view type ids.
// Secrets never travel in these shapes except `revealed`, sent on an explicit click only.
import type { LiveResolution } from '../aws/identity.ts';
import type { ConditionResult } from '../core/iam/types.ts';

export const TEST_USER_VIEW_TYPE = 'cognitoAccess.testUserResult';
export const PROBE_VIEW_TYPE = 'cognitoAccess.probe';
export const EXPLAIN_VIEW_TYPE = 'cognitoAccess.explainError';
export const MATRIX_VIEW_TYPE = 'cognitoAccess.accessMatrix';

// ---------------------------------------------------------------------------------------------
// Test-as-user result

export type SignatureStatus = 'verified' | 'failed' | 'unchecked';

export interface ClaimRow {
  key: string;
  /** Strings as they are; anything else as JSON. Always rendered as text. */
  value: string;
  /** `cognito:*` claims are highlighted. */
  cognito: boolean;
}

export interface TokenView {
  header: ClaimRow[];
  claims: ClaimRow[];
  /** ISO time, or null when the token has no `exp`. */
  expiresAt: string | null;
  issuedAt: string | null;
  tokenUse: string;
}

export type StepName = 'scan' | 'signIn' | 'challenge' | 'signature' | 'GetId' | 'GetCredentialsForIdentity' | 'GetOpenIdToken' | 'AssumeRoleWithWebIdentity' | 'GetCallerIdentity';

export interface StepView {
  step: StepName;
  label: string;
  status: 'done' | 'failed' | 'skipped';
  detail?: string;
}

export interface ResolutionView {
  outcome: 'credentials' | 'error';
  roleArn: string | null;
  /** For the prediction: custom-role-arn | preferred-role | rule | authenticated-role | unauthenticated-role. */
  source: string | null;
  error: { code: string; message: string } | null;
  steps: string[];
}

/** What the identity pool really answered (no keys or tokens in it). */
export type LiveView = LiveResolution;

export type SecretField = 'accessKeyId' | 'secretAccessKey' | 'sessionToken';

export interface CredentialsView {
  /** Masked; the clear value comes only as a `revealed` message after a click. */
  masked: Record<SecretField, string>;
  expiration: string | null;
  assumedRoleArn: string | null;
}

export interface TrustConditionView {
  operator: string;
  key: string;
  /** What the trust policy holds. */
  holds: string[];
  /** What Cognito's request carries, so what the policy must allow. */
  mustHold: string[] | null;
  reason: string;
}

/** The engine's diagnosis of a live error: which role, which trust condition, and the fix. */
export interface DiagnosisView {
  roleArn: string | null;
  summary: string;
  statement: string | null;
  conditions: TrustConditionView[];
  findings: { code: string; severity: string; message: string; fix: string }[];
  /** The role's trust policy with the Cognito statement corrected, as JSON; null when not a trust problem. */
  correctedTrustPolicy: string | null;
}

export interface TestUserView {
  title: string;
  /** The connection's label and id (the id lets a restored panel sign in again). */
  connection: string;
  connectionId: string;
  userPoolId: string;
  clientId: string;
  username: string;
  identityPoolId: string;
  signInFlow: string;
  challenges: string[];
  /** When this sign-in ran (ISO 8601): "Sign in again" updates the same panel. */
  signedInAt: string;
  steps: StepView[];
  signature: SignatureStatus;
  signatureReason: string | null;
  idToken: TokenView | null;
  hasAccessToken: boolean;
  predicted: ResolutionView;
  live: LiveView;
  agree: boolean;
  /** One line: "agree" or "differ", with the roles. */
  verdict: string;
  /** Why they differ, or what explains an error; "why this may be" candidates included. */
  reasons: string[];
  credentials: CredentialsView | null;
  diagnosis: DiagnosisView | null;
  /** Set when the session is no longer in memory (restored after a reload): actions need a new sign-in. */
  ended?: boolean;
  /** The Logins key of a provider that is not a user pool (an OIDC provider's host); null for a user pool's token. */
  provider?: string | null;
  /** enhanced: GetCredentialsForIdentity; basic: GetOpenIdToken, then STS AssumeRoleWithWebIdentity of `basicFlowRole`. */
  flow?: 'enhanced' | 'basic';
  basicFlowRole?: string | null;
  /** The session tags (principal tags): the engine's, from the token's claims and the pool's tag map; the live ones when known. */
  sessionTags?: SessionTagsView;
  /** What the prediction cannot see, e.g. the user pool's pre token generation trigger. */
  predictionNotes?: string[];
  /** The user pool's pre token generation trigger, when it has one. */
  trigger?: { lambdaArn: string; version: string } | null;
}

export interface SessionTagsView {
  /** null: no tag map applies for the provider (no tags are passed). */
  predicted: Record<string, string> | null;
  /** null: not known (AWS reports no session tags; the probe checks them). */
  live: Record<string, string> | null;
  /** How the engine got them (the tag map and the claims), from its reasoning. */
  how: string[];
}

// ---------------------------------------------------------------------------------------------
// Probe

export type LiveOutcome = 'allowed' | 'denied' | 'error';
export type SimulatedOutcome = 'allowed' | 'implicit-deny' | 'explicit-deny';
export type PartPart = 'Effect' | 'Principal' | 'Action' | 'Resource' | 'Condition';

export interface StatementPartView {
  part: PartPart | 'NotAction' | 'NotResource' | 'NotPrincipal' | 'Sid';
  /** The part as policy JSON, e.g. `"Action": ["dynamodb:GetItem"]`. */
  text: string;
  status: 'match' | 'fail' | 'none';
}

/** One condition of a statement, with both values (the engine's own result, JSON as it is). */
export type ConditionView = ConditionResult;

export interface StatementView {
  policy: string;
  label: string;
  effect: 'Allow' | 'Deny';
  applies: boolean;
  parts: StatementPartView[];
  conditions: ConditionView[];
  why: string[];
}

export interface ExplanationView {
  summary: string;
  deciding: StatementView[];
  closest: StatementView | null;
  suggestion: string | null;
  suggestedStatement: string | null;
  suggestedIn: string | null;
  error: string | null;
}

export interface ProbeCellView {
  id: string;
  rowId: string;
  action: string;
  live: LiveOutcome | null;
  simulated: SimulatedOutcome | null;
  /** null: not compared (simulated only, a live error, or skipped). */
  agree: boolean | null;
  awsMessage: string | null;
  skipped: string | null;
  count: number | null;
  explanation: ExplanationView | null;
}

export interface ProbeRowView {
  id: string;
  table: string;
  /** `tag`: the partition whose key is a principal tag's value (`tag`), e.g. the caller's department. */
  partition: 'own' | 'other' | 'tag' | null;
  tag?: { key: string; value: string };
  label: string;
}

export interface ProbeView {
  mode: 'live' | 'simulated';
  subject: string;
  /** The connection whose snapshot the engine used (a restored panel re-runs the simulation with it). */
  connectionId: string;
  tables: string[];
  roleArn: string;
  identityPoolId: string;
  identityId: string | null;
  actions: string[];
  rows: ProbeRowView[];
  cells: ProbeCellView[];
  disagreements: number;
  notes: string[];
  ranAt: string;
  /** Whether a live run is possible (a test user's credentials are in memory). */
  canRunLive: boolean;
  /** The session's principal tags the engine decided with (a test user's, predicted), when it has any. */
  sessionTags?: Record<string, string>;
  /** Simulated as the identity pool's guests (Cognito's guest session policy); a restored panel re-runs it so. */
  guest?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Explain an AWS error

export interface FindingView {
  code: string;
  severity: string;
  message: string;
  fix: string;
}

export interface ExplainRoleView {
  roleName: string;
  roleArn: string;
  identityKind: string;
  ways: string[];
  reachedBy: string[];
  reachedAs: 'users' | 'groups';
  /** assumable: Cognito can assume it; refused: STS refuses (findings say why); unknown: not checked (state says why). */
  status: 'assumable' | 'refused' | 'unknown';
  state: string | null;
  findings: FindingView[];
  failingStatement: string | null;
  correctedTrustPolicy: string | null;
  /** Whether the Explorer has a node for it (the page offers "Reveal in tree"). */
  revealable: boolean;
}

export interface ExplainView {
  kind: string;
  understood: boolean;
  code: string | null;
  title: string;
  /** The AWS message as the inspector read it (without the SDK's wrapping). */
  message: string;
  summary: string;
  /** The connection whose snapshot explained it; null when none was used. */
  connection: { id: string; label: string } | null;
  access: {
    roleName: string;
    roleArn: string;
    identityPoolId: string | null;
    handedOutBy: string[];
    action: string;
    resource: string;
    table: string | null;
    partitions: { own: SimulatedOutcome; other: SimulatedOutcome } | null;
    agrees: boolean;
    explanation: ExplanationView;
    revealable: boolean;
  } | null;
  pool: { identityPoolId: string; name: string | null; roles: ExplainRoleView[] } | null;
  causes: { cause: string; values: { label: string; value: string }[]; fix: string }[];
  findings: FindingView[];
  notes: string[];
  understoodForms: string[];
}

// ---------------------------------------------------------------------------------------------
// Who can do what (the access matrix)

export type MatrixOutcome = 'allowed' | 'own-partition' | 'denied' | 'no-credentials' | 'unknown';

export interface MatrixRowView {
  id: string;
  label: string;
  table: string;
  roleName: string;
  identityPool: string;
  /** false: no credentials this way (reason says why); null: the role is not in the snapshot. */
  credentials: boolean | null;
  reason: string | null;
}

export interface MatrixCellView {
  id: string;
  rowId: string;
  action: string;
  outcome: MatrixOutcome;
  summary: string;
}

export interface MatrixView {
  mode: 'who' | 'what';
  title: string;
  /** What the rows were chosen by (a restored panel computes them again from the connection). */
  filter: { table?: string; roleArn?: string; group?: string };
  connectionId: string;
  connection: string;
  actions: string[];
  rows: MatrixRowView[];
  cells: MatrixCellView[];
  notes: string[];
}

/** A cell explained as the probe explains one: the caller's own partition, and another's where it differs. */
export interface MatrixCellDetail {
  cellId: string;
  heading: string;
  outcome: MatrixOutcome;
  summary: string;
  own: ExplanationView | null;
  other: ExplanationView | null;
}

// ---------------------------------------------------------------------------------------------
// Messages

export type ToWebview =
  | { type: 'testUser'; view: TestUserView }
  | { type: 'revealed'; field: SecretField; value: string }
  | { type: 'accessToken'; token: TokenView | null; reason?: string }
  | { type: 'probe'; view: ProbeView }
  | { type: 'explain'; view: ExplainView }
  | { type: 'matrix'; view: MatrixView }
  | { type: 'matrixCell'; detail: MatrixCellDetail }
  | { type: 'busy'; message: string | null }
  | { type: 'notice'; text: string };

export type CopyWhat = 'env' | 'profile' | 'trustPolicy' | SecretField;

export type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; field: SecretField }
  | { type: 'copy'; what: CopyWhat }
  | { type: 'showAccessToken' }
  | { type: 'probe' }
  | { type: 'signInAgain' }
  | { type: 'runProbe'; mode: 'live' | 'simulated' }
  | { type: 'revealRole'; roleArn: string }
  | { type: 'explainCell'; cellId: string };

/** Non-secret state a page keeps with vscode.setState, to draw itself at once after a reload. */
export interface PageState {
  testUser?: TestUserView;
  probe?: ProbeView;
  explain?: ExplainView;
  matrix?: MatrixView;
  matrixCell?: MatrixCellDetail;
  selectedCell?: string;
  /** Sections the person opened or closed (id -> open). */
  sections?: Record<string, boolean>;
}

const FROM_WEBVIEW_TYPES = new Set(['ready', 'reveal', 'copy', 'showAccessToken', 'probe', 'signInAgain', 'runProbe', 'revealRole', 'explainCell']);
const SECRET_FIELDS = new Set(['accessKeyId', 'secretAccessKey', 'sessionToken']);
const COPY_WHATS = new Set(['env', 'profile', 'trustPolicy', ...SECRET_FIELDS]);

/** The host trusts nothing a page sends: anything not exactly one of FromWebview is dropped. */
export function parseFromWebview(data: unknown): FromWebview | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  if (typeof m.type !== 'string' || !FROM_WEBVIEW_TYPES.has(m.type)) return null;
  if (m.type === 'reveal') return typeof m.field === 'string' && SECRET_FIELDS.has(m.field) ? { type: 'reveal', field: m.field as SecretField } : null;
  if (m.type === 'copy') return typeof m.what === 'string' && COPY_WHATS.has(m.what) ? { type: 'copy', what: m.what as CopyWhat } : null;
  if (m.type === 'runProbe') return m.mode === 'live' || m.mode === 'simulated' ? { type: 'runProbe', mode: m.mode } : null;
  // A role ARN or a cell id: short strings; the host also checks them against its own view.
  if (m.type === 'revealRole') return typeof m.roleArn === 'string' && m.roleArn.length <= 2048 ? { type: 'revealRole', roleArn: m.roleArn } : null;
  if (m.type === 'explainCell') return typeof m.cellId === 'string' && m.cellId.length <= 4096 ? { type: 'explainCell', cellId: m.cellId } : null;
  return { type: m.type } as FromWebview;
}
