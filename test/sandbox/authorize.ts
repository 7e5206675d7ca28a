// IAM decisions for the sandbox, made by @cloud-copilot/iam-simulate (a second opinion,
// independent of the project's own evaluator in src/). Two jobs: may Cognito assume a role
// (the trust policy), and may issued credentials call an action (identity policies, boundary,
// resource policy) with AWS's AccessDeniedException wording.
//
// iam-simulate's validated runSimulation drops context keys that are not condition keys of the
// action (cognito-identity.amazonaws.com:sub is not a DynamoDB key), and its unsafe variant
// crashes on resource policies. So Cognito's policy variables are substituted into the
// documents first, as IAM does, conditions on Cognito's keys are decided (cognitoConditions.ts:
// iam-simulate also takes the multivalued amr for a single value), and the validated simulation
// runs on the result. Session tags are passed as aws:PrincipalTag/<key>, whose conditions and
// ${aws:PrincipalTag/<key>} variables iam-simulate evaluates itself.

import { getDenialReasons, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { actionMatches } from './access.ts';
import { cognitoKeyValues, resolveCognitoConditions } from './cognitoConditions.ts';
import type { IssuedSession } from './credentials.ts';
import type { IamStore, StoredRole } from './iamStore.ts';
import type { PolicyDocument } from './seed.ts';

export type Decision =
  | { allowed: true }
  | { allowed: false; explicit: boolean; policyType: string; message: string };

const POLICY_TYPE_WORDS: Record<string, string> = {
  identity: 'identity-based policy', pb: 'permissions boundary', resource: 'resource-based policy',
  scp: 'service control policy', rcp: 'resource control policy', vpce: 'VPC endpoint policy', session: 'session policy',
};

/** Replace `${key}` policy variables; only Version 2012-10-17 documents know variables. */
export function substituteVariables(doc: PolicyDocument, values: Record<string, string>): PolicyDocument {
  if (doc.Version !== '2012-10-17') return doc;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(/\$\{([^}]+)\}/g, (whole, key: string) => values[key.toLowerCase()] ?? whole);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc) as PolicyDocument;
}

function cognitoVariables(identityId: string, identityPoolId: string, amr: string[]): Record<string, string> {
  return {
    'cognito-identity.amazonaws.com:sub': identityId,
    'cognito-identity.amazonaws.com:aud': identityPoolId,
    // A multivalued key has no single value; IAM substitutes the first, which is 'authenticated'.
    'cognito-identity.amazonaws.com:amr': amr[0] ?? '',
  };
}

/** A document as IAM sees it for this identity: Cognito variables substituted, conditions on Cognito's keys decided. */
function prepare(doc: PolicyDocument, identityId: string, identityPoolId: string, amr: string[]): PolicyDocument {
  return resolveCognitoConditions(substituteVariables(doc, cognitoVariables(identityId, identityPoolId, amr)), cognitoKeyValues(identityId, identityPoolId, amr));
}

/** The request context of Cognito's AssumeRoleWithWebIdentity call; with session tags, aws:RequestTag/<key> and aws:TagKeys too. */
function webIdentityContext(identityId: string, identityPoolId: string, amr: string[], tags?: Record<string, string>): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {
    'cognito-identity.amazonaws.com:aud': identityPoolId,
    'cognito-identity.amazonaws.com:sub': identityId,
    'cognito-identity.amazonaws.com:amr': amr,
    'aws:FederatedProvider': 'cognito-identity.amazonaws.com',
  };
  if (tags && Object.keys(tags).length > 0) {
    for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
    context['aws:TagKeys'] = Object.keys(tags);
  }
  return context;
}

async function trustDecision(trust: PolicyDocument, role: StoredRole, accountId: string, context: Record<string, string | string[]>): Promise<boolean> {
  // Every statement decided away (cognitoConditions.ts leaves one that applies to nothing): no principal may assume the role.
  if (trust.Statement.every((st) => st.NotAction === '*' && st.Principal === undefined)) return false;
  const result = await runSimulation({
    request: {
      principal: 'cognito-identity.amazonaws.com',
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: role.Arn, accountId },
      contextVariables: context,
    },
    identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: trust,
  }, { simulationMode: 'Strict' });
  if (result.resultType === 'error') throw new Error(`iam-simulate: ${result.errors.message}`);
  return result.overallResult === 'Allowed';
}

/** Does the role's trust policy let Cognito (the identity pool) assume it for this identity (with these session tags)? */
export async function trustAllows(role: StoredRole, accountId: string, identityId: string, identityPoolId: string, amr: string[],
  tags?: Record<string, string>): Promise<boolean> {
  const trust = prepare(role.AssumeRolePolicyDocument, identityId, identityPoolId, amr);
  return trustDecision(trust, role, accountId, webIdentityContext(identityId, identityPoolId, amr, tags));
}

/**
 * Does the trust policy also allow sts:TagSession, which STS authorizes whenever the call passes
 * session tags (IAM user guide, id_session-tags: "sts:TagSession" in the role's trust policy)?
 * It is decided in the same request context as the web-identity call. iam-simulate's validated
 * mode drops the cognito-identity.amazonaws.com keys for sts:TagSession (they are not keys of
 * that action in its data), so the statements that apply to sts:TagSession (Action matches it, or
 * NotAction does not) are evaluated as if they named sts:AssumeRoleWithWebIdentity, whose keys it
 * keeps; statements that do not apply to sts:TagSession are left out.
 */
export async function tagSessionAllowed(role: StoredRole, accountId: string, identityId: string, identityPoolId: string, amr: string[],
  tags: Record<string, string>): Promise<boolean> {
  const trust = prepare(role.AssumeRolePolicyDocument, identityId, identityPoolId, amr);
  const list = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));
  const statements = (Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement as unknown as Record<string, unknown>]).flatMap((st) => {
    const covers = st.Action !== undefined
      ? list(st.Action).some((p) => actionMatches(p, 'sts:TagSession'))
      : !list(st.NotAction).some((p) => actionMatches(p, 'sts:TagSession'));
    if (!covers) return [];
    const { NotAction: _drop, ...rest } = st;
    return [{ ...rest, Action: 'sts:AssumeRoleWithWebIdentity' }];
  });
  if (statements.length === 0) return false;
  return trustDecision({ ...trust, Statement: statements }, role, accountId, webIdentityContext(identityId, identityPoolId, amr, tags));
}

export interface ActionRequest {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  resourcePolicy?: PolicyDocument | null;
  /** How the message names the resource when not by ARN (IAM says `role NAME`). */
  resourceLabel?: string;
}

/** Decide a request of issued credentials; the message is AWS's, word for word. */
export async function authorizeSession(iam: IamStore, session: IssuedSession, accountId: string, req: ActionRequest): Promise<Decision> {
  const role = iam.roleByArn(session.roleArn);
  const ready = (doc: PolicyDocument): PolicyDocument => prepare(doc, session.identityId, session.identityPoolId, session.amr);
  const identityPolicies = role ? iam.identityPolicies(role).map((p) => ({ name: p.name, policy: ready(p.policy) })) : [];
  const boundary = role ? iam.boundary(role) : undefined;
  const simulation: Simulation = {
    request: {
      principal: session.arn,
      action: req.action,
      resource: { resource: req.resource, accountId },
      contextVariables: {
        ...req.context,
        // Session tags: policies read them as aws:PrincipalTag/<key> conditions and as
        // ${aws:PrincipalTag/<key>} variables, which iam-simulate resolves from this context (an
        // absent tag makes such a variable match nothing, as IAM does).
        ...Object.fromEntries(Object.entries(session.tags ?? {}).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
        'aws:PrincipalArn': session.roleArn,
        'aws:PrincipalAccount': accountId,
        'aws:userid': session.userId,
        'aws:FederatedProvider': 'cognito-identity.amazonaws.com',
      },
    },
    identityPolicies, serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: req.resourcePolicy ? ready(req.resourcePolicy) : undefined,
    // Guests: Cognito's scope-down session policy (guestSessionPolicy.ts) intersects with the role's.
    sessionPolicy: session.sessionPolicy?.policy,
    permissionBoundaryPolicies: boundary ? [{ name: boundary.name, policy: ready(boundary.policy) }] : undefined,
  };
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType === 'error') throw new Error(`iam-simulate: ${result.errors.message}`);
  if (result.overallResult === 'Allowed') return { allowed: true };
  const reasons = result.resultType === 'single' ? getDenialReasons(result.result.analysis) : [];
  const explicit = reasons.find((r) => r.denialType === 'Explicit');
  // getDenialReasons names no session policy: when the role allowed and the session policy did
  // not (a guest's scope-down policy), the session policy is what stopped the request.
  const analysis = result.resultType === 'single' ? result.result.analysis : undefined;
  const sessionBlocked = !explicit && analysis?.sessionAnalysis !== undefined && analysis.sessionAnalysis.result !== 'Allowed'
    && analysis.identityAnalysis?.result === 'Allowed';
  // A "blocking" reason is the one that stopped an otherwise allowed request (e.g. the boundary).
  const reason = sessionBlocked ? { policyType: 'session' }
    : explicit ?? reasons.find((r) => r.blocking) ?? reasons.find((r) => r.policyType === 'identity') ?? reasons[0];
  const policyType = POLICY_TYPE_WORDS[reason?.policyType ?? 'identity'] ?? 'identity-based policy';
  const head = `User: ${session.arn} is not authorized to perform: ${req.action} on resource: ${req.resourceLabel ?? req.resource}`;
  const message = explicit
    ? `${head} with an explicit deny in ${/^[aeiou]/i.test(policyType) ? 'an' : 'a'} ${policyType}`
    : `${head} because no ${policyType} allows the ${req.action} action`;
  return { allowed: false, explicit: Boolean(explicit), policyType, message };
}
