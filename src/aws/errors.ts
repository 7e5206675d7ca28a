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
