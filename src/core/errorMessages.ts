// Takes apart an AWS error as people paste it (an SDK's exception, a CLI line, a log's JSON) into
// its kind and fields, for "Explain an AWS Error". The forms (cognito-semantics.md sections 4 and
// 5) and the wrappers around them that SDKs and tools add:
//   An error occurred (AccessDeniedException) when calling the PutItem operation: <message>   (botocore, AWS CLI)
//   AccessDeniedException: <message>                                                        (JavaScript SDKs)
//   <message> (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: AccessDeniedException; ...)   (Java SDK)
//   operation error DynamoDB: PutItem, https response error StatusCode: 400, ..., api error AccessDeniedException: <message>   (Go SDK v2)
//   {"__type":"com.amazon.coral.service#AccessDeniedException","message":"<message>"}         (the wire)
//   UserInfo={__type=NotAuthorizedException, message=<message>}                              (iOS SDK)
// Pure: no snapshot here (explainError.ts explains a parsed error against one).
import { parseAccessDenied, type AccessDenied } from './iam/accessDenied.ts';

export type ErrorKind =
  | 'access-denied'
  | 'invalid-identity-pool-configuration'
  | 'not-authorized'
  | 'basic-flow-disabled'
  | 'expired-token'
  | 'conditional-check-failed'
  | 'unknown';

/** Which NotAuthorizedException of an identity pool (cognito-semantics.md section 5). */
export type NotAuthorizedReason =
  | 'unsupported-provider'
  | 'token-expired'
  | 'issuer-mismatch'
  | 'missing-aud'
  | 'logins-mismatch'
  | 'guests-disabled'
  | 'ambiguous-deny'
  | 'identity-forbidden';

/** The caller of an AccessDenied message, from its ARN. */
export interface Caller {
  /** `assumed-role` for a role session (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`), `user` for an IAM user, else `other`. */
  kind: 'assumed-role' | 'user' | 'other';
  arn: string;
  accountId: string | null;
  /** The role's name (no path: a session ARN never shows it). */
  roleName: string | null;
  /** The session name; `CognitoIdentityCredentials` for identity-pool credentials. */
  sessionName: string | null;
}

export interface ParsedError {
  kind: ErrorKind;
  /** The AWS error code the text names, or the one its words imply; null when neither. */
  code: string | null;
  /** The API operation, when the text names it (`when calling the PutItem operation`). */
  operation: string | null;
  /** The AWS message itself, without the SDK's wrapping, on one line. */
  message: string;
  accessDenied?: AccessDenied & { caller: Caller };
  notAuthorized?: {
    reason: NotAuthorizedReason;
    /** ambiguous-deny: the provider the message names. */
    provider?: string;
    /** identity-forbidden: the identity id. */
    identityId?: string;
    /** token-expired: the token's `exp` and the time Cognito checked it, as ISO times. */
    expiredAt?: string;
    checkedAt?: string;
  };
  /** conditional-check-failed inside a transaction: the cancellation reasons, in order. */
  cancellationReasons?: string[];
}

/** What "Explain an AWS Error" understands, for people (shown when a text is none of these). */
export const UNDERSTOOD_FORMS: { kind: Exclude<ErrorKind, 'unknown'>; form: string }[] = [
  { kind: 'access-denied', form: 'AccessDenied(Exception): User: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION is not authorized to perform: SERVICE:ACTION on resource: ARN [because no ... policy allows the ... action | with an explicit deny in a(n) ... policy]' },
  { kind: 'invalid-identity-pool-configuration', form: 'InvalidIdentityPoolConfigurationException: Invalid identity pool configuration. Check assigned IAM roles for this pool.' },
  { kind: 'not-authorized', form: 'NotAuthorizedException: Token is not from a supported provider of this identity pool.' },
  { kind: 'not-authorized', form: 'NotAuthorizedException: Invalid login token. Token expired: NOW >= EXP' },
  { kind: 'not-authorized', form: "NotAuthorizedException: Invalid login token. Issuer doesn't match providerName" },
  { kind: 'not-authorized', form: 'NotAuthorizedException: Invalid login token. Missing a required claim: aud' },
  { kind: 'not-authorized', form: "NotAuthorizedException: Logins don't match. Please include at least one valid login for this identity or identity pool." },
  { kind: 'not-authorized', form: 'NotAuthorizedException: Unauthenticated access is not supported for this identity pool.' },
  { kind: 'not-authorized', form: 'NotAuthorizedException: The ambiguous role mapping rules for: PROVIDER denied this request.' },
  { kind: 'not-authorized', form: "NotAuthorizedException: Access to Identity 'IDENTITY_ID' is forbidden." },
  { kind: 'basic-flow-disabled', form: 'InvalidParameterException: Basic (classic) flow is not enabled, please use enhanced flow.' },
  { kind: 'expired-token', form: 'ExpiredToken(Exception): The security token included in the request is expired' },
  { kind: 'conditional-check-failed', form: 'ConditionalCheckFailedException: The conditional request failed (also TransactionCanceledException with [ConditionalCheckFailed, ...])' },
];

/** Error codes as the wrappers name them, most specific first. */
const CODE_PATTERNS: RegExp[] = [
  /An error occurred \((\w+)\)/,
  /Error Code: (\w+)/,
  /api error (\w+):/,
  /"?__type"?\s*[:=]\s*"?(?:[\w.]+#)?(\w+)/,
  /x-amzn-ErrorType:\s*(\w+)/,
  /\b(\w+(?:Exception|Error|Denied|Token))\s*:/,
];

/** The sentences, whole (match[0] is the message). */
const NOT_AUTHORIZED: { reason: NotAuthorizedReason; pattern: RegExp }[] = [
  { reason: 'unsupported-provider', pattern: /Token is not from a supported provider of this identity pool\.?/i },
  { reason: 'token-expired', pattern: /Invalid login token\.\s*Token expired:\s*(\d+)\s*>=\s*(\d+)/i },
  { reason: 'issuer-mismatch', pattern: /Invalid login token\.\s*Issuer doesn't match providerName\.?/i },
  { reason: 'missing-aud', pattern: /Invalid login token\.\s*Missing a required claim:\s*aud\b\.?/i },
  { reason: 'logins-mismatch', pattern: /Logins don't match\.?(?:\s*Please include at least one valid login for this identity or identity pool\.?)?/i },
  { reason: 'guests-disabled', pattern: /Unauthenticated access is not supported for this identity pool\.?/i },
  { reason: 'ambiguous-deny', pattern: /The ambiguous role mapping rules(?: for:?\s*([^\s"',}]+?))?\s+denied this request\.?/i },
  { reason: 'identity-forbidden', pattern: /Access to Identity '([^']+)' is forbidden\.?/i },
];

/** Flattens JSON escapes and line breaks a log or a terminal added, so a message reads as one line. */
function flatten(text: string): string {
  return text
    .replace(/\\"/g, '"')
    .replace(/\\n|\\t/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function codeOf(text: string): { code: string | null; operation: string | null } {
  const code = CODE_PATTERNS.map((p) => p.exec(text)?.[1]).find((c) => c !== undefined) ?? null;
  // botocore: "when calling the PutItem operation"; the Go SDK: "operation error DynamoDB: PutItem,".
  const operation = /\bcalling the (\w+) operation/.exec(text)?.[1] ?? /operation error [\w ]+: (\w+),/.exec(text)?.[1] ?? null;
  return { code, operation };
}

/** The AccessDenied sentence alone: from `User:` to the end of its reason, whatever wraps it. */
const ACCESS_DENIED = new RegExp(
  [
    String.raw`User:\s*\S+\s+is not authorized to perform:\s*\S+\s+on resource:\s*[^\s"'\\]+`,
    String.raw`(?:\s+because no [\w -]+? allows the \S+? action`,
    String.raw`|\s+with an explicit deny(?: in (?:an? )?(?:permissions boundary|[\w -]+? policy)(?::\s*arn:[^\s"'\\,)]+)?)?)?`,
  ].join(''),
  'i',
);

/** Parses the caller ARN of an AccessDenied message. */
export function parseCaller(arn: string): Caller {
  const parts = arn.split(':');
  const accountId = parts[4] && /^\d{12}$/.test(parts[4]) ? parts[4] : null;
  const resource = parts.slice(5).join(':');
  const session = /^assumed-role\/([^/]+)\/(.+)$/.exec(resource);
  if (parts[2] === 'sts' && session) return { kind: 'assumed-role', arn, accountId, roleName: session[1]!, sessionName: session[2]! };
  if (parts[2] === 'iam' && resource.startsWith('user/')) return { kind: 'user', arn, accountId, roleName: null, sessionName: null };
  return { kind: 'other', arn, accountId, roleName: null, sessionName: null };
}

const iso = (seconds: string): string => new Date(Number(seconds) * 1000).toISOString();

/** The kind and fields of an AWS error text; `unknown` when it is none of UNDERSTOOD_FORMS. */
export function parseAwsError(input: string): ParsedError {
  const text = flatten(input);
  const { code, operation } = codeOf(text);
  const base = { code, operation };

  const denied = ACCESS_DENIED.exec(text);
  if (denied) {
    const sentence = denied[0].replace(/[.,;]+$/, '');
    const parsed = parseAccessDenied(sentence);
    if (parsed) {
      parsed.resource = parsed.resource.replace(/[.,;)]+$/, '');
      // A wrapper's own name (PutError, ClientError) is not the AWS code.
      const deniedCode = code && /AccessDenied/i.test(code) ? code : 'AccessDeniedException';
      return { ...base, kind: 'access-denied', code: deniedCode, message: sentence, accessDenied: { ...parsed, caller: parseCaller(parsed.principal) } };
    }
  }
  for (const { reason, pattern } of NOT_AUTHORIZED) {
    const match = pattern.exec(text);
    if (!match) continue;
    const notAuthorized: NonNullable<ParsedError['notAuthorized']> = { reason };
    if (reason === 'token-expired') {
      // "Token expired: A >= B": real messages have A > B by minutes or hours after the token's
      // hour (e.g. 1589092400 >= 1589092129, aws-sdk-ios issue 2570), so A is the time of the
      // check and B the token's exp (cognito-semantics.md section 5 writes them the other way round).
      notAuthorized.checkedAt = iso(match[1]!);
      notAuthorized.expiredAt = iso(match[2]!);
    }
    if (reason === 'ambiguous-deny' && match[1]) notAuthorized.provider = match[1];
    if (reason === 'identity-forbidden') notAuthorized.identityId = match[1]!;
    return { ...base, kind: 'not-authorized', code: 'NotAuthorizedException', message: match[0].trim(), notAuthorized };
  }
  const pool = /Invalid identity pool configuration[^"}]*/i.exec(text);
  if (pool || code === 'InvalidIdentityPoolConfigurationException') {
    return { ...base, kind: 'invalid-identity-pool-configuration', code: 'InvalidIdentityPoolConfigurationException', message: pool ? pool[0].trim() : 'Invalid identity pool configuration. Check assigned IAM roles for this pool.' };
  }
  const classic = /Basic \(classic\) flow is not enabled[^"}]*/i.exec(text);
  if (classic) return { ...base, kind: 'basic-flow-disabled', code: 'InvalidParameterException', message: classic[0].trim() };
  const expired = /The security token included in the request is expired|The provided token has expired/i.exec(text);
  if (expired || code === 'ExpiredToken' || code === 'ExpiredTokenException') {
    return { ...base, kind: 'expired-token', code: code ?? 'ExpiredTokenException', message: expired?.[0] ?? 'The security token included in the request is expired' };
  }
  const conditional = /The conditional request failed/i.exec(text);
  // DynamoDB lists a cancelled transaction's reasons in order: [ConditionalCheckFailed, None].
  const reasons = /\[((?:ConditionalCheckFailed|None|[A-Za-z]+)(?:,\s*[A-Za-z]+)*)\]/.exec(text);
  const cancelled = /TransactionCanceled/i.test(text) && reasons?.[1]?.includes('ConditionalCheckFailed');
  if (conditional || code === 'ConditionalCheckFailedException' || cancelled) {
    const message = conditional?.[0] ?? /Transaction cancelled[^\]]*\]/i.exec(text)?.[0] ?? text;
    const result: ParsedError = { ...base, kind: 'conditional-check-failed', code: cancelled ? 'TransactionCanceledException' : 'ConditionalCheckFailedException', message };
    if (cancelled) result.cancellationReasons = reasons![1]!.split(',').map((r) => r.trim());
    return result;
  }
  return { ...base, kind: 'unknown', message: text };
}

