// Refusals in AWS's words, and the read-only user's policy.
// - resourceOf(): the resource an AccessDenied message names for a request (the pool, identity
//   pool or table ARN in the request's region; IAM's `role NAME` / `policy ARN`; `*` for lists,
//   DynamoDB's ListTables `table/*`).
// - accessDenied(): the service's own answer: JSON AccessDeniedException (400) for Cognito and
//   DynamoDB, Query XML AccessDenied (403) for IAM and STS, "User: <arn> is not authorized to
//   perform: <action> on resource: <resource> because no identity-based policy allows the
//   <action> action". Used by the `deny` fault and for the read-only user.
// - READONLY_ACTIONS: the sandbox's own copy of the scanner's least-privilege policy (one Allow
//   statement on Resource "*"). The profile `cognito-sandbox-readonly` is authorized against it
//   and nothing else. With one Allow statement on "*" and no Deny, IAM's decision is exactly
//   "does an Action pattern match the action" (case-insensitive, `*` and `?`), which
//   readonlyAllows() computes; sts:GetCallerIdentity needs no permission, as at AWS.

import { CLIENTS, TRIGGER_CLIENT, TRIGGER_USER_POOL_ID, USER_POOL_ID } from './seed.ts';
import { asJsonService, jsonError, queryError, type Reply } from './wire.ts';

/** The scanner's least-privilege actions (kept here: the sandbox never imports src/). */
export const READONLY_ACTIONS: readonly string[] = [
  'cognito-idp:ListUserPools',
  'cognito-idp:DescribeUserPool',
  'cognito-idp:ListUserPoolClients',
  'cognito-idp:DescribeUserPoolClient',
  'cognito-idp:ListGroups',
  'cognito-idp:ListUsers',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-identity:ListIdentityPools',
  'cognito-identity:DescribeIdentityPool',
  'cognito-identity:GetIdentityPoolRoles',
  // Read for each provider of each identity pool (principal tags); ResourceNotFound means "no map".
  'cognito-identity:GetPrincipalTagAttributeMap',
  'iam:GetAccountAuthorizationDetails',
  'iam:GetRole',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'dynamodb:ListTables',
  'dynamodb:DescribeTable',
  'dynamodb:GetResourcePolicy',
];

/** The read-only user's identity policy as a document (for README-style display and tests). */
export function readonlyPolicy(actions: readonly string[] = READONLY_ACTIONS): { Version: string; Statement: { Effect: 'Allow'; Action: string[]; Resource: string }[] } {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...actions], Resource: '*' }] };
}

/**
 * IAM's Action matching: case-insensitive, `*` any run of characters, `?` one character. No
 * regular expression: the greedy matcher that backtracks only to the last `*`.
 */
export function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const s = action.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < s.length) {
    if (i < p.length && (p[i] === '?' || p[i] === s[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (p[i] === '*') i++;
  return i === p.length;
}

/** Does the read-only policy (these actions on "*") allow `service:Operation`? */
export function readonlyAllows(actions: readonly string[], action: string): boolean {
  if (action.toLowerCase() === 'sts:getcalleridentity') return true;
  return actions.some((pattern) => actionMatches(pattern, action));
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function dynamoTable(body: Record<string, unknown>): string | undefined {
  const direct = text(body.TableName);
  if (direct) return direct;
  const batch = body.RequestItems;
  if (batch && typeof batch === 'object') return Object.keys(batch)[0];
  const items = Array.isArray(body.TransactItems) ? (body.TransactItems as Record<string, { TableName?: unknown }>[]) : [];
  const first = items[0] ? Object.values(items[0])[0] : undefined;
  return text(first?.TableName);
}

/** The resource an AccessDenied message names for this request, as AWS words it per service. */
export function resourceOf(service: string, operation: string, body: Record<string, unknown>, region: string, accountId: string): string {
  switch (service) {
    case 'cognito-idp': {
      const clientId = text(body.ClientId);
      const clientPool = clientId && Object.values(CLIENTS).some((c) => c.ClientId === clientId) ? USER_POOL_ID
        : (clientId === TRIGGER_CLIENT.ClientId ? TRIGGER_USER_POOL_ID : undefined);
      const pool = text(body.UserPoolId) ?? clientPool;
      return pool ? `arn:aws:cognito-idp:${region}:${accountId}:userpool/${pool}` : '*';
    }
    case 'cognito-identity': {
      const pool = text(body.IdentityPoolId);
      return pool ? `arn:aws:cognito-identity:${region}:${accountId}:identitypool/${pool}` : '*';
    }
    case 'dynamodb': {
      const arn = text(body.ResourceArn);
      if (arn) return arn;
      const table = dynamoTable(body);
      if (table) return `arn:aws:dynamodb:${region}:${accountId}:table/${table}`;
      return operation === 'ListTables' ? `arn:aws:dynamodb:${region}:${accountId}:table/*` : '*';
    }
    case 'iam': {
      // IAM names roles, users and groups by name, policies by ARN ("on resource: role X").
      if (text(body.RoleName)) return `role ${text(body.RoleName)}`;
      if (text(body.PolicyArn)) return `policy ${text(body.PolicyArn)}`;
      if (text(body.UserName)) return `user ${text(body.UserName)}`;
      if (text(body.GroupName)) return `group ${text(body.GroupName)}`;
      return '*';
    }
    default: return '*';
  }
}

/** The service's own AccessDenied answer for an action no identity-based policy allows. */
export function accessDenied(service: string, principalArn: string, action: string, resource: string): Reply {
  const message = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} `
    + `because no identity-based policy allows the ${action} action`;
  if (service === 'iam' || service === 'sts') return queryError(service, 'AccessDenied', message, 403);
  return jsonError(asJsonService(service), 'AccessDeniedException', message);
}
