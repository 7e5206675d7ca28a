// One place decides the exit status and the one line a failed command prints
// (shared/spec/cli.md, "Exit status, every command"): 1 the AWS side failed, naming the service,
// operation, endpoint and AWS error code; 2 bad usage or bad input; 3 an internal error (a bug).
// The first line only, printed once; the stack only with --debug / COGNITO_ACCESS_DEBUG.

/** Errors that mean the user's input or usage was wrong (exit 2). */
const USAGE = new Set(['UsageError', 'LiveUsageError', 'NoTerminalError', 'SnapshotError', 'SimulationInputError', 'PolicyDocumentError']);
/** Errors that mean the AWS side (or the local AWS setup) failed (exit 1), already one clear line. */
const AWS_SETUP = new Set(['AwsSetupError', 'ScanStoppedError', 'CredentialsProviderError', 'TokenProviderError']);

export interface Exit {
  code: 1 | 2 | 3;
  line: string;
}

interface CallSite {
  service: string;
  operation: string;
  endpoint: string;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

function codeOf(error: Error): string {
  const e = error as Error & { Code?: unknown; code?: unknown };
  for (const candidate of [e.name, e.Code, e.code]) if (typeof candidate === 'string' && candidate && candidate !== 'Error') return candidate;
  return 'Error';
}

export function exitFor(error: unknown): Exit {
  if (!(error instanceof Error)) return { code: 3, line: `internal error: ${firstLine(String(error))}` };
  const message = firstLine(error.message) || error.name;
  if (USAGE.has(error.name)) return { code: 2, line: message };
  if (AWS_SETUP.has(error.name)) return { code: 1, line: message };
  const site = (error as { $callSite?: CallSite }).$callSite;
  if (site) {
    const code = codeOf(error);
    // The SDK's parser failing on an HTML page or a proxy's answer says SyntaxError: name it.
    const what = error instanceof SyntaxError ? `NotAnAwsResponse (${message})` : `${code}${message && message !== code ? `: ${message}` : ''}`;
    return { code: 1, line: `${site.service} ${site.operation} at ${site.endpoint} failed: ${what}` };
  }
  if ('$metadata' in error || '$fault' in error) return { code: 1, line: `${codeOf(error)}: ${message}` };
  return { code: 3, line: `internal error: ${error.name !== 'Error' ? `${error.name}: ` : ''}${message}` };
}

/** Writes the failure's line (and the stack when asked for) and returns the exit status. */
export function reportFailure(error: unknown, stderr: (text: string) => void, debug: boolean): number {
  const exit = exitFor(error);
  stderr(`cognito-access: ${exit.line}\n`);
  if (debug && error instanceof Error && error.stack) stderr(`${error.stack}\n`);
  else if (exit.code === 3) stderr('cognito-access: this is a bug; run again with --debug for the stack, and report it\n');
  return exit.code;
}
