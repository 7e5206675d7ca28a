// "Explain an AWS Error": a pasted error text, explained against an account snapshot. Same answer
// in the CLI (`cognito-access explain`) and the extension. AccessDenied is evaluated with the
// engine (the role of the assumed-role ARN, with the Cognito context of the identity pool that
// hands it out): the deciding statements, the closest one and the smallest change that would
// allow it. InvalidIdentityPoolConfiguration: explainPoolError.ts. NotAuthorized, basic flow,
// ExpiredToken and ConditionalCheckFailed: explainCauses.ts.
import { rolePolicies, simulateAccess } from './access.ts';
import { diagnose } from './diagnose.ts';
import { parseAwsError, UNDERSTOOD_FORMS, type ErrorKind, type ParsedError } from './errorMessages.ts';
import { explainCauses, type Cause } from './explainCauses.ts';
import { explainPoolError, type PoolExplanation } from './explainPoolError.ts';
import type { Finding } from './findings.ts';
import { authorize } from './iam/authorize.ts';
import { cognitoGuestSessionPolicy } from './iam/cognitoSessionPolicy.ts';
import { actionHasLeadingKeys, cognitoSessionArn, COGNITO_IDENTITY, defaultIdentityId } from './iam/dynamodbContext.ts';
import type { Decision, DecisionKind, PolicySet, RequestContext } from './iam/types.ts';
import type { Role, Snapshot, Table } from './snapshot.ts';
import { describeWay, waysIn } from './waysIn.ts';

export interface ExplainOptions {
  /** The identity pool to explain against (its Cognito context, or the pool of an InvalidIdentityPoolConfiguration). */
  identityPoolId?: string;
}

export interface AccessDeniedExplanation {
  roleArn: string;
  roleName: string;
  /** The identity pool whose Cognito context (aud, amr) the evaluation used; null when none hands the role out. */
  identityPoolId: string | null;
  /** Every way the snapshot's identity pools hand the role out, for people. */
  handedOutBy: string[];
  /** Guest credentials (the pool's unauthenticated role): Cognito's session policy applies. */
  guest: boolean;
  action: string;
  resource: string;
  /** The DynamoDB table (and index) of the resource, when the snapshot holds it. */
  table: string | null;
  index: string | null;
  /** The decision explained: the denied one (with a LeadingKeys rule, another partition's). */
  decision: Decision;
  /** DynamoDB calls with keys: the decision for the caller's own partition and for another's. */
  partitions: { own: DecisionKind; other: DecisionKind } | null;
  /** The engine denies too (false: the snapshot allows it; something it cannot hold denies). */
  agrees: boolean;
}

export interface ErrorExplanation {
  kind: ErrorKind;
  /** False: the text is none of UNDERSTOOD_FORMS (the CLI exits 2). */
  understood: boolean;
  code: string | null;
  /** One line: what failed, for a heading. */
  title: string;
  /** What happened and why, in a few sentences. */
  summary: string;
  /** False for errors that are not a permissions or configuration fault (an expired token, a false condition). */
  permissionsProblem: boolean;
  parsed: ParsedError;
  access: AccessDeniedExplanation | null;
  /** AccessDenied whose role the snapshot does not hold: the role to look for elsewhere. */
  roleNotFound: { roleName: string; accountId: string | null } | null;
  pool: PoolExplanation | null;
  /** Several identity pools could be meant: pass one (the CLI's --identity-pool; the extension asks). */
  needsIdentityPool: string[] | null;
  causes: Cause[];
  /** The error-level findings that explain the error (the CLI exits 1 when there is one). */
  findings: Finding[];
  notes: string[];
  /** When not understood: what is. */
  understoodForms: string[] | null;
}

/** Explains an error text (or an already parsed one) against a snapshot. */
export function explainError(snapshot: Snapshot, input: string | ParsedError, options: ExplainOptions = {}): ErrorExplanation {
  const parsed = typeof input === 'string' ? parseAwsError(input) : input;
  const base: ErrorExplanation = {
    kind: parsed.kind, understood: true, code: parsed.code, title: '', summary: '', permissionsProblem: true, parsed,
    access: null, roleNotFound: null, pool: null, needsIdentityPool: null, causes: [], findings: [], notes: [], understoodForms: null,
  };
  switch (parsed.kind) {
    case 'access-denied':
      return explainAccessDenied(snapshot, parsed, options, base);
    case 'invalid-identity-pool-configuration': {
      const result = explainPoolError(snapshot, options.identityPoolId);
      return { ...base, ...result, permissionsProblem: true };
    }
    case 'unknown':
      return {
        ...base, understood: false, title: 'Not an error this inspector understands',
        summary: 'The text is none of the AWS errors the inspector explains. It understands these (the wording of the message matters, not the SDK around it):',
        permissionsProblem: false, understoodForms: UNDERSTOOD_FORMS.map((f) => f.form),
      };
    default:
      return { ...base, ...explainCauses(snapshot, parsed) };
  }
}

/** `arn:aws:dynamodb:REGION:ACCT:table/NAME[/index/INDEX]`, taken apart. */
function dynamoResource(resource: string): { name: string; index: string | null } | null {
  const m = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)(?:\/index\/([^/]+))?/.exec(resource);
  return m ? { name: m[1]!, index: m[2] ?? null } : null;
}

/** The snapshot's role for a role-session ARN's role name (and account, when the ARN has one). */
export function roleOfSession(snapshot: Snapshot, roleName: string, accountId: string | null): Role | undefined {
  return snapshot.roles.find((r) => r.RoleName === roleName && (!accountId || r.Arn.split(':')[4] === accountId));
}

function explainAccessDenied(snapshot: Snapshot, parsed: ParsedError, options: ExplainOptions, base: ErrorExplanation): ErrorExplanation {
  const ad = parsed.accessDenied!;
  const caller = ad.caller;
  const what = `${ad.action} on ${dynamoResource(ad.resource)?.name ?? ad.resource}`;
  if (caller.kind !== 'assumed-role' || !caller.roleName) {
    return {
      ...base, title: `AccessDenied: ${caller.arn} may not ${what}`,
      summary: `The caller ${caller.arn} is not a role session: identity-pool credentials are sessions of a role (arn:aws:sts::ACCOUNT:assumed-role/ROLE/CognitoIdentityCredentials). The inspector evaluates roles that identity pools hand out; this caller's policies are not in a snapshot.`,
      notes: denialNotes(ad, null),
    };
  }
  const role = roleOfSession(snapshot, caller.roleName, caller.accountId);
  if (!role || role.Missing || role.Unreadable) {
    const state = !role ? 'is not in this snapshot' : role.Missing ? 'does not exist (IAM said NoSuchEntity when the snapshot was taken)' : `could not be read by the scanner (${role.Unreadable})`;
    return {
      ...base, title: `AccessDenied: ${caller.roleName} may not ${what}`,
      summary: `Role ${caller.roleName}${caller.accountId ? ` of account ${caller.accountId}` : ''} ${state} (snapshot of account ${snapshot.accountId}, ${snapshot.region}): nothing can be said about its permissions. Explain it against a snapshot or connection of the account that holds the role.`,
      roleNotFound: { roleName: caller.roleName, accountId: caller.accountId },
      notes: denialNotes(ad, null),
    };
  }

  const ways = waysIn(snapshot).filter((w) => w.roleArn === role.Arn);
  const pools = [...new Set(ways.map((w) => w.identityPoolId))];
  const notes: string[] = [];
  let identityPoolId: string | null = options.identityPoolId ?? pools[0] ?? null;
  if (options.identityPoolId && !snapshot.identityPools.some((p) => p.IdentityPoolId === options.identityPoolId)) {
    notes.push(`Identity pool ${options.identityPoolId} is not in the snapshot: evaluated without its context.`);
    identityPoolId = null;
  } else if (!options.identityPoolId && pools.length > 1) {
    notes.push(`Identity pools ${pools.join(', ')} all hand out ${role.RoleName}; evaluated with the context of ${pools[0]} (the answer differs only where a policy tests cognito-identity.amazonaws.com:aud).`);
  }
  const waysHere = ways.filter((w) => w.identityPoolId === identityPoolId);
  const guest = waysHere.length > 0 && waysHere.every((w) => w.identityKind === 'unauthenticated');
  const cognitoSession = caller.sessionName === 'CognitoIdentityCredentials';
  if (!cognitoSession) notes.push(`The session name is ${caller.sessionName}, not CognitoIdentityCredentials: these credentials may not come from an identity pool, so the Cognito context (aud, amr, sub) may not apply.`);
  if (ways.length === 0) notes.push(`No identity pool of the snapshot hands out ${role.RoleName}: evaluated without a Cognito context.`);

  const dynamo = dynamoResource(ad.resource);
  const table = dynamo ? (snapshot.tables.find((t) => t.TableArn === `${ad.resource.split('/index/')[0]}`) ?? snapshot.tables.find((t) => t.TableName === dynamo.name)) : undefined;
  if (dynamo && table && table.TableArn !== ad.resource.split('/index/')[0]) notes.push(`The message names ${ad.resource.split('/index/')[0]}; the snapshot's table of that name is ${table.TableArn}.`);
  let decision: Decision;
  let partitions: AccessDeniedExplanation['partitions'] = null;
  if (table) {
    const request = { action: ad.action, table: table.TableName, identityPoolId: identityPoolId ?? '', guest, ...(dynamo?.index ? { index: dynamo.index } : {}) };
    const own = simulateAccess(snapshot, role.Arn, { ...request, partition: 'own' });
    if ('error' in own) throw new Error(own.error);
    decision = own;
    const keyed = actionHasLeadingKeys(ad.action) && hashKeyIsString(table);
    if (keyed) {
      const other = simulateAccess(snapshot, role.Arn, { ...request, partition: 'other' });
      if ('error' in other) throw new Error(other.error);
      partitions = { own: own.decision, other: other.decision };
      // The explained decision is a denied one: the other partition's when only that is denied.
      if (own.decision === 'allowed' && other.decision !== 'allowed') decision = other;
    }
  } else {
    decision = simulateRoleRequest(snapshot, role, { action: ad.action, resource: ad.resource, identityPoolId, guest, sessionArn: caller.arn });
    if (dynamo) notes.push(`Table ${dynamo.name} is not in the snapshot: evaluated without its resource policy and key schema.`);
  }
  const agrees = decision.decision !== 'allowed';
  const handedOutBy = ways.map(describeWay);
  const ownOnly = partitions?.own === 'allowed' && partitions.other !== 'allowed';
  const lead = `${role.RoleName}${handedOutBy.length ? ` (${handedOutBy.slice(0, 2).join('; ')}${handedOutBy.length > 2 ? `; and ${handedOutBy.length - 2} more` : ''})` : ''} may not ${ad.action} on ${table?.TableName ?? ad.resource}.`;
  const summary = [
    lead,
    ownOnly
      ? `It may on the caller's own partition only (a dynamodb:LeadingKeys condition with \${${COGNITO_IDENTITY}:sub}): the request's partition key was not the caller's identity id. For another partition: ${decision.explanation.summary}`
      : decision.explanation.summary,
    agrees ? '' : 'The snapshot allows it, yet AWS denied it: something the snapshot does not hold denies (a service control or resource control policy, a VPC endpoint policy), or the role changed since the snapshot: refresh it.',
  ].filter(Boolean).join(' ');
  const findings = diagnose(snapshot).findings.filter((f) => f.severity === 'error' && f.subject.kind === 'role' && f.subject.id === role.Arn && !f.code.startsWith('TRUST_') && !f.symptom);
  return {
    ...base, title: `AccessDenied: ${role.RoleName} may not ${ad.action} on ${table?.TableName ?? ad.resource}`, summary,
    access: { roleArn: role.Arn, roleName: role.RoleName, identityPoolId, handedOutBy, guest, action: ad.action, resource: ad.resource, table: table?.TableName ?? null, index: dynamo?.index ?? null, decision, partitions, agrees },
    findings, notes: [...notes, ...denialNotes(ad, decision)],
  };
}

function hashKeyIsString(table: Table): boolean {
  const hash = table.KeySchema.find((k) => k.KeyType === 'HASH');
  return (table.AttributeDefinitions?.find((a) => a.AttributeName === hash?.AttributeName)?.AttributeType ?? 'S') === 'S';
}

/** What the message's own reason adds, and where it and the engine part. */
function denialNotes(ad: NonNullable<ParsedError['accessDenied']>, decision: Decision | null): string[] {
  const notes: string[] = [];
  const type = ad.policyType?.toLowerCase() ?? null;
  if (ad.denial === 'unknown') notes.push('The message has no "because ..." part (an older form): AWS does not say which policy type denied.');
  if (type && /service control|resource control|vpc endpoint/.test(type)) {
    notes.push(`AWS names a ${ad.policyType} policy: the snapshot holds no such policy (they belong to AWS Organizations or the VPC), so the change is needed there${ad.policyArn ? `: ${ad.policyArn}` : ''}.`);
  }
  if (!decision) return notes;
  if (ad.denial === 'explicit' && decision.decision !== 'explicit-deny' && !(type && /service control|resource control|vpc endpoint/.test(type))) {
    notes.push(`AWS reports an explicit deny${ad.policyType ? ` in a ${ad.policyType} policy` : ''}; the role's policies in the snapshot have no Deny that applies: the deny is elsewhere or newer than the snapshot.`);
  }
  const missing = decision.explanation.missingAllowIn;
  if (ad.denial === 'implicit' && type && missing && decision.decision === 'implicit-deny' && !type.startsWith(missing) && !(type === 'identity-based' && missing === 'identity-based')) {
    notes.push(`AWS says no ${ad.policyType} policy allows it; the engine finds the allow missing in the ${missing} policy.`);
  }
  return notes;
}

/**
 * Any service's request by a role session (the engine's one evaluator): the role's identity
 * policies, its boundary and, for guests, Cognito's session policy; the Cognito context when an
 * identity pool hands the role out. Service-specific condition keys are absent.
 */
function simulateRoleRequest(snapshot: Snapshot, role: Role, request: { action: string; resource: string; identityPoolId: string | null; guest: boolean; sessionArn: string }): Decision {
  const { identity, boundary } = rolePolicies(role);
  const set: PolicySet = { identity, accountId: snapshot.accountId };
  if (boundary) set.boundary = boundary;
  if (request.guest) set.session = cognitoGuestSessionPolicy();
  const account = role.Arn.split(':')[4] ?? snapshot.accountId;
  const context: RequestContext['context'] = { 'aws:PrincipalArn': role.Arn, 'aws:PrincipalAccount': account, 'aws:PrincipalType': 'AssumedRole', 'aws:SecureTransport': 'true' };
  if (request.identityPoolId) {
    const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === request.identityPoolId);
    context[`${COGNITO_IDENTITY}:aud`] = request.identityPoolId;
    context[`${COGNITO_IDENTITY}:sub`] = defaultIdentityId(snapshot.region, 'own');
    context[`${COGNITO_IDENTITY}:amr`] = request.guest ? ['unauthenticated'] : ['authenticated', ...(pool?.CognitoIdentityProviders ?? []).slice(0, 1).map((p) => p.ProviderName)];
    context['aws:FederatedProvider'] = COGNITO_IDENTITY;
  }
  const sessionArn = request.sessionArn.includes(':assumed-role/') ? request.sessionArn : cognitoSessionArn(role.Arn);
  return authorize(set, { action: request.action, resource: request.resource, principal: { type: 'AWS', id: sessionArn, sessionOf: role.Arn }, context });
}
