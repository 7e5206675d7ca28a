// The decision. IAM User Guide, reference_policies_evaluation-logic.html and
// reference_policies_evaluation-logic_policy-eval-basics.html (requests within one account):
// 1. An explicit Deny in any policy (identity, permissions boundary, resource, session) wins.
// 2. Same account: allowed when an identity-based policy allows and every limiting policy that
//    is present (permissions boundary, session policy) allows too; or when the resource-based
//    policy allows the caller.
//    - A resource-policy grant to the role-session ARN itself (or to "*") is not limited by an implicit deny
//      in the boundary or the session policy; a grant to the role ARN (or the account, or "*")
//      is ("Within an account, ... resource-based policies that grant permissions to an IAM role
//      ARN are limited by an implicit deny in a permissions boundary or session policy",
//      access_policies_boundaries.html; "The resource-based policy permissions [for a session
//      ARN principal] are not limited by the session policy", access_policies.html#policies_session).
// 3. Cross-account (the resource's account is not the caller's): both the identity side and
//    the resource-based policy must allow (reference_policies_evaluation-logic-cross-account.html).
// 4. Otherwise: implicit deny.
//
// The decision comes from decide.ts (compiled statements, no text); the explanation (every
// statement's result, the closest statement, the fix) is built from the same compiled statements
// the first time `decision.explanation` is read, and kept.
import { snapshotRequest } from './context.ts';
import { decide, decideTrust, resourceAccount } from './decide.ts';
import { closestStatement, explainClosest, newStatementFor, problemsOf, statementLabel } from './explain.ts';
import { evaluateStatement } from './statement.ts';
import type { Decision, DecisionKind, Explanation, Policy, PolicySet, RequestContext, StatementResult } from './types.ts';

function evaluatePolicy(policy: Policy | undefined, request: RequestContext): StatementResult[] {
  if (!policy) return [];
  return policy.Statement.map((s) => evaluateStatement(s, policy, request));
}

const allowing = (results: StatementResult[]): StatementResult[] => results.filter((r) => r.applies && r.effect === 'Allow');

/** Where a lazily explained decision keeps its builder and, once built, its explanation. */
const LAZY = Symbol('lazy explanation');
interface LazyState {
  build: (() => Explanation) | null;
  explanation?: Explanation;
}

/** One getter and setter for every lazy decision (functions shared, so the objects share a shape). */
const EXPLANATION: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: { [LAZY]: LazyState }): Explanation {
    const state = this[LAZY];
    if (state.build) {
      state.explanation = state.build();
      state.build = null;
    }
    return state.explanation!;
  },
  set(this: { [LAZY]: LazyState }, value: Explanation) {
    this[LAZY].build = null;
    this[LAZY].explanation = value;
  },
};

/**
 * A decision whose `explanation` is built on first read (then kept; assigning replaces it). It is an
 * own enumerable property, so JSON.stringify, spreading and structured cloning see it as data; the
 * builder sits under a symbol that none of them copies.
 */
function withLazyExplanation(decision: DecisionKind, request: RequestContext, build: () => Explanation): Decision {
  const result = { decision, action: request.action, resource: request.resource } as Decision;
  Object.defineProperty(result, LAZY, { value: { build } satisfies LazyState });
  Object.defineProperty(result, 'explanation', EXPLANATION);
  return result;
}

/**
 * Authorizes the request against the policies: the decision now, its explanation when read. The
 * request (with its context) and the policy list are copied, so the explanation is that of this
 * decision whatever the caller changes afterwards (policies are not copied, and parsed statements
 * are frozen: treat a policy as immutable once evaluated).
 */
export function authorize(set: PolicySet, request: RequestContext): Decision {
  const pinned = snapshotRequest(request);
  const policies: PolicySet = { ...set, identity: [...set.identity] };
  return withLazyExplanation(decide(set, request), pinned, () => explainAuthorization(policies, pinned).explanation);
}

/** authorize() with the explanation built at once: the reference the decision-only path is tested against. */
export function explainAuthorization(set: PolicySet, request: RequestContext): Decision {
  const identity = set.identity.flatMap((p) => evaluatePolicy(p, request));
  const boundary = evaluatePolicy(set.boundary, request);
  const resource = evaluatePolicy(set.resource, request);
  const session = evaluatePolicy(set.session, request);
  const all = [...identity, ...boundary, ...resource, ...session];
  const notMatched = all.filter((r) => !r.applies);
  const policies = [...set.identity, ...[set.boundary, set.resource, set.session].filter((p): p is Policy => p !== undefined)];
  const base = { action: request.action, resource: request.resource };
  const finish = (decision: Decision['decision'], explanation: Explanation): Decision => {
    const problems = problemsOf(policies);
    if (problems) explanation.problems = problems;
    return { decision, ...base, explanation };
  };

  const denies = all.filter((r) => r.applies && r.effect === 'Deny');
  if (denies.length > 0) {
    return finish('explicit-deny', {
      summary: `Explicitly denied: ${statementLabel(denies[0]!)} denies ${request.action} on ${request.resource}${denies.length > 1 ? ` (and ${denies.length - 1} more deny statement${denies.length > 2 ? 's' : ''})` : ''}. An explicit deny overrides every allow.`,
      deciding: denies,
      notMatched,
    });
  }

  const identityAllows = allowing(identity);
  const boundaryAllows = allowing(boundary);
  const sessionAllows = allowing(session);
  const resourceAllows = allowing(resource);
  const boundaryOk = !set.boundary || boundaryAllows.length > 0;
  const sessionOk = !set.session || sessionAllows.length > 0;
  const targetAccount = resourceAccount(request.resource);
  const sameAccount = !set.accountId || !targetAccount || targetAccount === set.accountId;
  const limits = [...boundaryAllows, ...sessionAllows];
  // An account principal (`ACCT` or `arn:aws:iam::ACCT:root`) delegates to the account's own IAM
  // policies and grants nothing by itself (reference_policies_elements_principal.html, "AWS
  // account principals"); it still counts as the resource side of a cross-account grant.
  const resourceGrants = resourceAllows.filter((r) => r.principalMatchedAs !== 'account');

  if (sameAccount) {
    if (identityAllows.length > 0 && boundaryOk && sessionOk) {
      return finish('allowed', {
        summary: `Allowed: ${statementLabel(identityAllows[0]!)} allows ${request.action} on ${request.resource}${set.boundary ? ', and the permissions boundary allows it too' : ''}${set.session ? ', and the session policy allows it too' : ''}.`,
        deciding: [...identityAllows, ...limits],
        notMatched,
      });
    }
    // "*" names every principal, the session included: treated like a grant to the session ARN
    // (iam-simulate agrees; AWS documents only the role-ARN and session-ARN cases).
    const sessionGrants = resourceAllows.filter((r) => r.principalMatchedAs === 'session' || r.principalMatchedAs === 'any');
    if (sessionGrants.length > 0) {
      return finish('allowed', {
        summary: `Allowed: ${statementLabel(sessionGrants[0]!)} grants ${request.action} to ${sessionGrants[0]!.principalMatchedAs === 'any' ? 'every principal ("*"), this role session included' : 'this role session directly'}; such a grant is not limited by a permissions boundary or session policy.`,
        deciding: sessionGrants,
        notMatched,
      });
    }
    if (resourceGrants.length > 0 && boundaryOk && sessionOk) {
      return finish('allowed', {
        summary: `Allowed: ${statementLabel(resourceGrants[0]!)} allows ${request.action} for this caller (same account: the resource-based policy alone can allow).`,
        deciding: [...resourceGrants, ...limits],
        notMatched,
      });
    }
  } else if (identityAllows.length > 0 && boundaryOk && sessionOk && resourceAllows.length > 0) {
    return finish('allowed', {
      summary: `Allowed: cross-account request allowed by ${statementLabel(identityAllows[0]!)} and ${statementLabel(resourceAllows[0]!)}.`,
      deciding: [...identityAllows, ...resourceAllows, ...limits],
      notMatched,
    });
  }

  // Implicit deny: find the policy type that lacks an allow, and the statement closest to one.
  const explanation: Explanation = { summary: '', deciding: [], notMatched };
  let candidates: StatementResult[];
  let target: Policy | undefined;
  if ((identityAllows.length === 0 && resourceGrants.length === 0) || (!sameAccount && identityAllows.length === 0)) {
    explanation.missingAllowIn = 'identity-based';
    candidates = identity;
    target = set.identity[0];
  } else if (!sameAccount && resourceAllows.length === 0) {
    explanation.missingAllowIn = 'identity-based';
    candidates = resource;
    target = set.resource;
  } else if (!boundaryOk) {
    explanation.missingAllowIn = 'permissions boundary';
    candidates = boundary;
    target = set.boundary;
  } else {
    explanation.missingAllowIn = 'session';
    candidates = session;
    target = set.session;
  }
  const missing = !sameAccount && identityAllows.length > 0 ? 'resource-based' : explanation.missingAllowIn;
  explanation.summary = `Implicitly denied: no ${missing} policy allows ${request.action} on ${request.resource}.`;
  const closest = closestStatement(candidates);
  if (closest) {
    explainClosest(explanation, closest, request);
  } else if (target) {
    explanation.suggestion = `No Allow statement in ${target.kind === 'identity' ? 'the identity-based policies' : `"${target.name}"`} mentions ${request.action}; add one to "${target.name}".`;
    explanation.suggestedStatement = newStatementFor(request);
    explanation.suggestedIn = { policyName: target.name, policyKind: target.kind };
    if (target.arn) explanation.suggestedIn.policyArn = target.arn;
  } else {
    explanation.suggestion = `The role has no identity-based policy; attach one with an Allow statement for ${request.action}.`;
    explanation.suggestedStatement = newStatementFor(request);
  }
  return finish('implicit-deny', explanation);
}

/**
 * A trust policy decides alone: allowed when some Allow statement applies (principal, action,
 * conditions) and no Deny statement does. The explanation is built when read, as for authorize().
 */
export function evaluateTrust(policy: Policy, request: RequestContext): Decision {
  const pinned = snapshotRequest(request);
  return withLazyExplanation(decideTrust(policy, request), pinned, () => explainTrust(policy, pinned).explanation);
}

/** evaluateTrust() with the explanation built at once. */
export function explainTrust(policy: Policy, request: RequestContext): Decision {
  const results = evaluatePolicy(policy, request);
  const base = { action: request.action, resource: request.resource };
  const notMatched = results.filter((r) => !r.applies);
  const problems = problemsOf([policy]);
  const withProblems = (e: Explanation): Explanation => (problems ? { ...e, problems } : e);
  const denies = results.filter((r) => r.applies && r.effect === 'Deny');
  if (denies.length > 0) {
    return { decision: 'explicit-deny', ...base, explanation: withProblems({ summary: `Explicitly denied: ${statementLabel(denies[0]!)} denies ${request.action}.`, deciding: denies, notMatched }) };
  }
  const allows = allowing(results);
  if (allows.length > 0) {
    return { decision: 'allowed', ...base, explanation: withProblems({ summary: `Allowed: ${statementLabel(allows[0]!)} lets the caller ${request.action}.`, deciding: allows, notMatched }) };
  }
  const explanation: Explanation = { summary: `Implicitly denied: no statement of the trust policy "${policy.name}" allows ${request.action} for this caller.`, deciding: [], notMatched };
  const closest = closestStatement(results);
  if (closest) explainClosest(explanation, closest, request);
  return { decision: 'implicit-deny', ...base, explanation: withProblems(explanation) };
}
