// The request context of a DynamoDB call made with Cognito identity-pool credentials.
//
// - Cognito keys (IAM User Guide, reference_policies_iam-condition-keys.html, "Available keys for
//   web identity federation"; cognito-semantics.md section 4): `cognito-identity.amazonaws.com:sub`
//   is the identity id (region:guid, not the user pool `sub`), `:aud` the identity pool id,
//   `:amr` multivalued ("authenticated" plus provider entries, or "unauthenticated").
// - DynamoDB keys (DynamoDB Developer Guide, specifying-conditions.html): `dynamodb:LeadingKeys`
//   holds the partition key values the request touches (multivalued; absent for Scan and for
//   calls without keys), `dynamodb:Attributes` the attribute names (multivalued),
//   `dynamodb:Select` and `dynamodb:ReturnValues` the request parameters.
// - Session tags (IAMUG/reference_policies_condition-keys, aws:PrincipalTag/tag-key): the tags
//   Cognito passed for the identity pool's principal-tag map; `${aws:PrincipalTag/k}` reads them.
// - Resources: the table ARN, `<table ARN>/index/<name>` for an index, `<table ARN>/stream/<label>` for a stream.
import { setOwn } from '../records.ts';
import type { Table } from '../snapshot.ts';
import type { RequestContext } from './types.ts';

export const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';

/**
 * Identity ids used when a simulation names none: "own" requests use the first, "other" the
 * second. Both are syntactically valid identity ids (region:UUID v4) that no real identity has.
 */
export function defaultIdentityId(region: string, which: 'own' | 'other' = 'own'): string {
  return which === 'own' ? `${region}:00000000-0000-4000-8000-000000000000` : `${region}:ffffffff-ffff-4fff-bfff-ffffffffffff`;
}

/** DynamoDB actions whose requests carry partition keys (so `dynamodb:LeadingKeys` is set). */
const KEYED_ACTIONS = new Set(
  ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems', 'ConditionCheckItem'].map((a) => `dynamodb:${a}`.toLowerCase()),
);

export function actionHasLeadingKeys(action: string): boolean {
  return KEYED_ACTIONS.has(action.toLowerCase());
}

export interface DynamoRequestInput {
  action: string;
  table: Table;
  index?: string;
  identityId: string;
  identityPoolId: string;
  amr: string[];
  /** `own`: the caller's identity id; `other`: somebody else's; anything else: that literal value. */
  partition: 'own' | 'other' | string;
  attributes?: string[];
  select?: string;
  returnValues?: string;
  /** The role whose session makes the call (for the principal and aws:PrincipalArn). */
  roleArn?: string;
  /** The session's tags (principal tags from the identity pool's tag map): `aws:PrincipalTag/<key>`. */
  principalTags?: Record<string, string> | null;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Parsed ARNs: the same table and role ARNs come back with every simulated request. */
const parsedArns = new Map<string, Readonly<ParsedArn> | null>();

export function parseArn(arn: string): ParsedArn | undefined {
  const parsed = arnParts(arn);
  return parsed ? { ...parsed } : undefined;
}

/** parseArn without the copy, for reading. */
function arnParts(arn: string): Readonly<ParsedArn> | undefined {
  let parsed = parsedArns.get(arn);
  if (parsed === undefined) {
    const parts = arn.split(':');
    parsed = parts.length < 6 || parts[0] !== 'arn' ? null : Object.freeze({ partition: parts[1]!, service: parts[2]!, region: parts[3]!, account: parts[4]!, resource: parts.slice(5).join(':') });
    if (parsedArns.size >= 10_000) parsedArns.clear();
    parsedArns.set(arn, parsed);
  }
  return parsed ?? undefined;
}

export function indexArn(table: Table, index: string): string {
  return `${table.TableArn}/index/${index}`;
}

export function streamArn(table: Table, label = '*'): string {
  return `${table.TableArn}/stream/${label}`;
}

/** The role session a Cognito identity gets: `arn:aws:sts::ACCT:assumed-role/NAME/CognitoIdentityCredentials`. */
export function cognitoSessionArn(roleArn: string): string {
  const arn = arnParts(roleArn);
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  return `arn:${arn?.partition ?? 'aws'}:sts::${arn?.account ?? ''}:assumed-role/${name}/CognitoIdentityCredentials`;
}

export function buildDynamoRequest(input: DynamoRequestInput): RequestContext {
  const tableArn = arnParts(input.table.TableArn);
  const region = tableArn?.region ?? input.identityId.split(':')[0] ?? '';
  const partitionValue =
    input.partition === 'own' ? input.identityId : input.partition === 'other' ? defaultIdentityId(region, input.identityId === defaultIdentityId(region, 'other') ? 'own' : 'other') : input.partition;
  // Literal keys (`${COGNITO_IDENTITY}:sub`, ...): computed ones make every context a slow object.
  const context: RequestContext['context'] = {
    'cognito-identity.amazonaws.com:sub': input.identityId,
    'cognito-identity.amazonaws.com:aud': input.identityPoolId,
    'cognito-identity.amazonaws.com:amr': [...input.amr],
    'aws:FederatedProvider': COGNITO_IDENTITY,
    'aws:PrincipalType': 'AssumedRole',
    'aws:SecureTransport': 'true',
    'aws:ViaAWSService': 'false',
  };
  if (region) context['aws:RequestedRegion'] = region;
  if (tableArn?.account) context['aws:ResourceAccount'] = tableArn.account;
  const roleAccount = input.roleArn ? arnParts(input.roleArn)?.account : undefined;
  const account = roleAccount ?? tableArn?.account;
  if (account) context['aws:PrincipalAccount'] = account;
  if (input.roleArn) context['aws:PrincipalArn'] = input.roleArn;
  // Tag keys are data from input: own keys only, and setOwn (a key such as `__proto__` stays a tag).
  for (const key of Object.keys(input.principalTags ?? {})) setOwn(context, `aws:PrincipalTag/${key}`, input.principalTags![key]);
  if (actionHasLeadingKeys(input.action)) context['dynamodb:LeadingKeys'] = [partitionValue];
  if (input.attributes && input.attributes.length > 0) context['dynamodb:Attributes'] = [...input.attributes];
  if (input.select) context['dynamodb:Select'] = input.select;
  if (input.returnValues) context['dynamodb:ReturnValues'] = input.returnValues;
  const request: RequestContext = {
    action: input.action,
    resource: input.index ? indexArn(input.table, input.index) : input.table.TableArn,
    context,
  };
  if (input.roleArn) request.principal = { type: 'AWS', id: cognitoSessionArn(input.roleArn), sessionOf: input.roleArn };
  return request;
}
