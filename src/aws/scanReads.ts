// Every read of a scan is isolated: a failed read becomes a scan gap (shared/spec/snapshot.md,
// `scanGaps`) and everything else the scan read stays. Only what makes every read impossible
// (expired or invalid credentials, an endpoint that cannot be reached) stops the scan, with one
// line naming what failed and where.
import type { ScanGap } from '../core/snapshot.ts';
import { classifyFailure, errorCode, type Failure } from './errors.ts';

/** The scan cannot go on: every read would fail the same way. One line, no stack. */
export class ScanStoppedError extends Error {
  constructor(
    message: string,
    readonly failure: Failure,
  ) {
    super(message);
    this.name = 'ScanStoppedError';
  }
}

/** Network failures that mean the endpoint is not there at all (not a single dropped request). */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/;

export type EndpointOf = (service: string) => string;

export class ScanReads {
  readonly gaps: ScanGap[] = [];

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly endpointOf: EndpointOf,
  ) {}

  /**
   * Runs one read. Resolves with its result, or with `undefined` after recording a gap. Rejects
   * only when the scan was cancelled or must stop (ScanStoppedError).
   */
  async read<T>(service: string, operation: string, resource: string | null, call: () => Promise<T>): Promise<T | undefined> {
    const result = await this.attempt(service, operation, resource, call);
    return result.ok ? result.value : undefined;
  }

  /** Like `read`, but says which gap a failure became. */
  async attempt<T>(service: string, operation: string, resource: string | null, call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; gap: ScanGap }> {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      return { ok: false, gap: this.fail(service, operation, resource, error) };
    }
  }

  /**
   * Reads every page of a listing; each page's items go to `onPage` as it arrives, so a failure
   * on page 3 keeps pages 1 and 2 (and records a gap). Resolves with that gap, or undefined when
   * every page was read.
   */
  async pages<P>(service: string, operation: string, resource: string | null, pages: () => AsyncIterable<P>, onPage: (page: P) => void): Promise<ScanGap | undefined> {
    try {
      for await (const page of pages()) onPage(page);
      return undefined;
    } catch (error) {
      return this.fail(service, operation, resource, error);
    }
  }

  /** Records the failure as a gap, or rethrows a cancellation or a failure that stops the scan. */
  fail(service: string, operation: string, resource: string | null, error: unknown): ScanGap {
    const failure = this.rethrowIfFatal(error, service, operation);
    const gap: ScanGap = { service, operation, resource, error: failure.code, message: failure.message, permission: `${service}:${operation}` };
    this.gaps.push(gap);
    return gap;
  }

  /**
   * Rethrows a cancellation or a failure that stops the scan (expired or invalid credentials, an
   * unreachable endpoint); otherwise says what kind of failure it was.
   */
  rethrowIfFatal(error: unknown, service = 'aws', operation = 'call'): Failure {
    if (error instanceof ScanStoppedError) throw error;
    if (this.signal?.aborted) throw this.signal.reason instanceof Error ? this.signal.reason : error;
    const failure = classifyFailure(error);
    if (failure.kind === 'credentials' || (failure.kind === 'network' && UNREACHABLE.test(`${failure.message} ${errorCode(error)}`))) {
      throw new ScanStoppedError(`${service} ${operation} at ${this.endpointOf(service)} failed: ${failure.code}: ${failure.message}`, failure);
    }
    return failure;
  }

  /** The gaps in a stable order (service, operation, resource), for a snapshot that diffs well. */
  sorted(): ScanGap[] {
    const key = (g: ScanGap) => `${g.service}|${g.operation}|${g.resource ?? ''}`;
    return [...this.gaps].sort((a, b) => key(a).localeCompare(key(b)));
  }
}
