// IAM decisions for the sandbox, made by @cloud-copilot/iam-simulate (a second opinion,
// independent of the project's own evaluator in src/). Two jobs: may Cognito assume a role
// (the trust policy), and may issued credentials call an action (identity policies, boundary,
// resource policy) with AWS's AccessDeniedException wording.
//
// iam-simulate's validated runSimulation drops context keys that are not condition keys of the
// action (cognito-identity.amazonaws.com:sub is not a DynamoDB key), and its unsafe variant
// crashes on resource policies. So Cognito's policy variables are substituted into the
// documents first, as IAM does, and the validated simulation runs on the result.

import { getDenialReasons, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
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

/** Does the role's trust policy let Cognito (the identity pool) assume it for this identity? */
export async function trustAllows(role: StoredRole, accountId: string, identityId: string, identityPoolId: string, amr: string[]): Promise<boolean> {
  const trust = substituteVariables(role.AssumeRolePolicyDocument, cognitoVariables(identityId, identityPoolId, amr));
  const result = await runSimulation({
    request: {
      principal: 'cognito-identity.amazonaws.com',
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: role.Arn, accountId },
      contextVariables: {
        'cognito-identity.amazonaws.com:aud': identityPoolId,
        'cognito-identity.amazonaws.com:sub': identityId,
        'cognito-identity.amazonaws.com:amr': amr,
        'aws:FederatedProvider': 'cognito-identity.amazonaws.com',
      },
    },
    identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: trust,
  }, { simulationMode: 'Strict' });
  if (result.resultType === 'error') throw new Error(`iam-simulate: ${result.errors.message}`);
  return result.overallResult === 'Allowed';
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
  const vars = cognitoVariables(session.identityId, session.identityPoolId, session.amr);
  const identityPolicies = role ? iam.identityPolicies(role).map((p) => ({ name: p.name, policy: substituteVariables(p.policy, vars) })) : [];
  const boundary = role ? iam.boundary(role) : undefined;
  const simulation: Simulation = {
    request: {
      principal: session.arn,
      action: req.action,
      resource: { resource: req.resource, accountId },
      contextVariables: {
        ...req.context,
        'aws:PrincipalArn': session.roleArn,
        'aws:PrincipalAccount': accountId,
        'aws:userid': session.userId,
        'aws:FederatedProvider': 'cognito-identity.amazonaws.com',
      },
    },
    identityPolicies, serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: req.resourcePolicy ? substituteVariables(req.resourcePolicy, vars) : undefined,
    // Guests: Cognito's scope-down session policy (guestSessionPolicy.ts) intersects with the role's.
    sessionPolicy: session.sessionPolicy?.policy,
    permissionBoundaryPolicies: boundary ? [{ name: boundary.name, policy: substituteVariables(boundary.policy, vars) }] : undefined,
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
