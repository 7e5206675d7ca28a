// The decision alone: the same rules as authorize.ts (see its header for the IAM User Guide
// sources), over compiled statements, without building a word of explanation. Deny statements
// are read first (one that applies ends it), then each kind of policy until one Allow applies.
// authorize() and evaluateTrust() take their decision from here and build the explanation only
// when it is read; an access matrix or a trust check that needs only the verdict calls these.
import { appliesBeyondAction, checksPrincipal, compilePolicy, principalMatchOf, sliceFor, type CompiledStatement } from './compile.ts';
import type { DecisionKind, Policy, PolicySet, RequestContext } from './types.ts';

function applies(statement: CompiledStatement, policy: Policy, request: RequestContext): boolean {
  if (!appliesBeyondAction(statement, request)) return false;
  return !checksPrincipal(policy.kind) || principalMatchOf(statement, request) !== null;
}

function anyApplies(statements: CompiledStatement[], policy: Policy, request: RequestContext): boolean {
  for (const statement of statements) if (applies(statement, policy, request)) return true;
  return false;
}

/** Some Deny statement of the policy applies. */
function denies(policy: Policy | undefined, request: RequestContext): boolean {
  return policy !== undefined && anyApplies(sliceFor(compilePolicy(policy), request.action).denies, policy, request);
}

/** Some Allow statement of the policy applies. */
function allows(policy: Policy, request: RequestContext): boolean {
  return anyApplies(sliceFor(compilePolicy(policy), request.action).allows, policy, request);
}

const accounts = new Map<string, string | null>();

/** The account of a resource ARN (its fifth field), when it is an account id; kept for the ARNs seen. */
export function resourceAccount(arn: string): string | undefined {
  let account = accounts.get(arn);
  if (account === undefined) {
    const field = arn.split(':')[4];
    account = field && /^\d{12}$/.test(field) ? field : null;
    if (accounts.size >= 10_000) accounts.clear();
    accounts.set(arn, account);
  }
  return account ?? undefined;
}

/** What the resource-based policy's applying Allow statements grant, by how they name the caller. */
interface ResourceGrants {
  /** Some Allow applies (any principal form). */
  any: boolean;
  /** Some Allow names the caller other than through its account (an account principal delegates to the account's own policies). */
  caller: boolean;
  /** Some Allow names the role session itself or "*": not limited by a boundary or session policy. */
  session: boolean;
}

function resourceGrants(policy: Policy | undefined, request: RequestContext): ResourceGrants {
  const grants: ResourceGrants = { any: false, caller: false, session: false };
  if (!policy) return grants;
  for (const statement of sliceFor(compilePolicy(policy), request.action).allows) {
    if (!appliesBeyondAction(statement, request)) continue;
    const match = checksPrincipal(policy.kind) ? principalMatchOf(statement, request) : 'not-principal';
    if (match === null) continue;
    grants.any = true;
    if (match !== 'account') grants.caller = true;
    if (match === 'session' || match === 'any') grants.session = true;
    if (grants.caller && grants.session) break;
  }
  return grants;
}

/**
 * The decision of `authorize(set, request)` without its explanation: `allowed`, `implicit-deny`
 * or `explicit-deny`. For many evaluations (an access matrix, a diagnosis); call authorize() for
 * the one whose reasons are shown.
 */
export function decide(set: PolicySet, request: RequestContext): DecisionKind {
  for (const policy of set.identity) if (denies(policy, request)) return 'explicit-deny';
  if (denies(set.boundary, request) || denies(set.resource, request) || denies(set.session, request)) return 'explicit-deny';

  let identityAllows = false;
  for (const policy of set.identity) {
    if (allows(policy, request)) {
      identityAllows = true;
      break;
    }
  }
  const boundaryOk = !set.boundary || allows(set.boundary, request);
  const sessionOk = !set.session || allows(set.session, request);
  const targetAccount = resourceAccount(request.resource);
  const sameAccount = !set.accountId || !targetAccount || targetAccount === set.accountId;
  if (identityAllows && boundaryOk && sessionOk && sameAccount) return 'allowed';
  const resource = resourceGrants(set.resource, request);
  if (sameAccount) {
    if (resource.session) return 'allowed';
    if (resource.caller && boundaryOk && sessionOk) return 'allowed';
  } else if (identityAllows && boundaryOk && sessionOk && resource.any) return 'allowed';
  return 'implicit-deny';
}

/** The decision of `evaluateTrust(policy, request)` without its explanation. */
export function decideTrust(policy: Policy, request: RequestContext): DecisionKind {
  const slice = sliceFor(compilePolicy(policy), request.action);
  if (anyApplies(slice.denies, policy, request)) return 'explicit-deny';
  return anyApplies(slice.allows, policy, request) ? 'allowed' : 'implicit-deny';
}
