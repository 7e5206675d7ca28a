// Reading AWS SDK errors without depending on one service's exception classes.

/** The service's error code (`name` of an SDK ServiceException, e.g. "AccessDeniedException"). */
export function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown; __type?: unknown };
    for (const candidate of [e.name, e.Code, e.code, e.__type]) {
      if (typeof candidate === 'string' && candidate && candidate !== 'Error') return candidate.replace(/^.*#/, '');
    }
  }
  return 'Error';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** IAM's NoSuchEntity (GetRole, GetPolicy, ... on something that does not exist). */
export function isNoSuchEntity(error: unknown): boolean {
  return /^NoSuchEntity/.test(errorCode(error));
}

/** Access denied in any of the spellings services use (IAM: AccessDenied; DynamoDB: AccessDeniedException). */
export function isAccessDenied(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation';
}

export function isAbort(error: unknown): boolean {
  return errorCode(error) === 'AbortError';
}

/** "AccessDenied: <message>", the snapshot's `Unreadable` text. */
export function describeError(error: unknown): string {
  return `${errorCode(error)}: ${errorMessage(error)}`;
}

/** Why a read failed, for scan gaps (shared/spec/snapshot.md) and for the live commands' one line. */
export type FailureKind = 'denied' | 'unsupported' | 'throttled' | 'timeout' | 'network' | 'credentials' | 'cancelled' | 'other';

export interface Failure {
  kind: FailureKind;
  /** The AWS error code, or Timeout / NotAnAwsResponse / NetworkError. */
  code: string;
  /** One line, no stack, at most 300 characters. */
  message: string;
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException', 'LimitExceededException', 'SlowDown']);
const UNSUPPORTED = new Set(['UnknownOperationException', 'InvalidAction', 'UnsupportedOperation', 'NotImplemented']);
// Credentials that no read can get past: expired, unknown or malformed keys, a bad signature.
const CREDENTIALS = new Set([
  'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidSignatureException',
  'SignatureDoesNotMatch', 'MissingAuthenticationToken', 'MissingAuthenticationTokenException', 'IncompleteSignature', 'AuthFailure',
  'CredentialsProviderError', 'TokenProviderError', 'AwsSetupError',
]);
const NETWORK = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNABORTED|EPROTO|ERR_SSL\w*|UND_ERR\w*)$/;

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** The HTTP status of an SDK error, when the service answered. */
export function httpStatus(error: unknown): number | undefined {
  const meta = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata;
  const response = (error as { $response?: { statusCode?: unknown } } | undefined)?.$response;
  const status = meta?.httpStatusCode ?? response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Classifies an error of one AWS call: denied, unsupported (unknown operation, 404/501, an answer
 * that is not an AWS API response such as an HTML page), throttled past the retries, timeout,
 * network, credentials (expired or invalid: every read would fail), cancelled by the user.
 */
export function classifyFailure(error: unknown, cancelled = false): Failure {
  const code = errorCode(error);
  const raw = errorMessage(error);
  const sysCode = (error as { code?: unknown } | undefined)?.code;
  const status = httpStatus(error);
  if (cancelled) return { kind: 'cancelled', code: 'Cancelled', message: 'cancelled' };
  // Our own time limit aborts the call (AbortError); the SDK's socket timeouts say TimeoutError.
  if (code === 'TimeoutError' || code === 'RequestTimeout' || code === 'Timeout' || code === 'AbortError') {
    return { kind: 'timeout', code: 'Timeout', message: oneLine(raw || 'no answer in time') };
  }
  if (isAccessDenied(error)) return { kind: 'denied', code, message: oneLine(raw) };
  if (CREDENTIALS.has(code) || /Could not load credentials|SSO session|security token included in the request is (expired|invalid)/i.test(raw)) {
    return { kind: 'credentials', code, message: oneLine(raw) };
  }
  if (THROTTLING.has(code)) return { kind: 'throttled', code, message: oneLine(raw) };
  if (typeof sysCode === 'string' && NETWORK.test(sysCode)) return { kind: 'network', code: 'NetworkError', message: oneLine(`${sysCode}: ${raw}`) };
  if (NETWORK.test(code)) return { kind: 'network', code: 'NetworkError', message: oneLine(`${code}: ${raw}`) };
  // An answer that is not an AWS API response: the SDK's parser fails (HTML error page, proxy).
  if (error instanceof SyntaxError || code === 'SyntaxError' || /Deserialization error|Unexpected token|is not valid JSON|Expected a valid/i.test(raw) && !(error as { $fault?: unknown }).$fault) {
    return { kind: 'unsupported', code: 'NotAnAwsResponse', message: oneLine(`${status ? `HTTP ${status}: ` : ''}the answer is not an AWS API response (${raw})`) };
  }
  if (UNSUPPORTED.has(code) || status === 404 || status === 501) return { kind: 'unsupported', code, message: oneLine(raw) };
  if (/socket hang up|network|fetch failed/i.test(raw)) return { kind: 'network', code: 'NetworkError', message: oneLine(raw) };
  return { kind: 'other', code, message: oneLine(raw) };
}
