// Optional faults, so tests can watch the SDK's retries and timeouts: a delay per call,
// throttling of the first N calls of an operation with each service's own throttling error, and
// a fault mode per `service:Operation` (options.faults, or setFaults() at run time):
//   deny      the service's own AccessDenied answer (access.ts), as if no policy allowed the call
//   html500   HTTP 500, text/html, an HTML error page (a proxy or a non-AWS endpoint)
//   hang      the request is read and never answered (the socket stays open until the client
//             gives up; stop() closes such sockets at once)
//   throttle  the service's own throttling error on every call, for ever
// Faults apply after the gateway verified the signature, to unsigned operations too. It also
// counts the requests per `service:Operation` (calls()), whatever their outcome.

import { jsonError, queryError, type Reply } from './wire.ts';

export type FaultMode = 'deny' | 'html500' | 'hang' | 'throttle';
export const FAULT_MODES: readonly FaultMode[] = ['deny', 'html500', 'hang', 'throttle'];
/** `service:Operation` (or `service:*`, every operation of the service) -> mode. */
export type FaultMap = Record<string, FaultMode>;
/** What before() decided: an answer instead of the service's, hold the request open, or go on. */
export type FaultOutcome = Reply | 'hang' | undefined;

const SERVICES = ['cognito-idp', 'cognito-identity', 'dynamodb', 'iam', 'sts'];

function checkedFaults(map: FaultMap): Map<string, FaultMode> {
  const out = new Map<string, FaultMode>();
  for (const [key, mode] of Object.entries(map)) {
    const [service, operation] = key.split(':');
    if (!SERVICES.includes(service ?? '') || !/^(\*|[A-Za-z0-9]+)$/.test(operation ?? '')) {
      throw new Error(`faults: '${key}' is not service:Operation (service one of ${SERVICES.join(', ')})`);
    }
    if (!FAULT_MODES.includes(mode)) throw new Error(`faults: '${String(mode)}' for ${key} is not one of ${FAULT_MODES.join(', ')}`);
    out.set(key, mode);
  }
  return out;
}

export interface FaultOptions {
  /** Delay in ms before answering: one number for every call, or per `service:Operation`, `service` or `*`. */
  latencyMs?: number | Record<string, number>;
  /** Throttle the first N calls of `service:Operation` (e.g. `{ 'dynamodb:Query': 2 }`). */
  throttle?: Record<string, number>;
  /** A fault mode per `service:Operation` or `service:*` (e.g. `{ 'iam:GetRole': 'deny', 'dynamodb:*': 'hang' }`). */
  faults?: FaultMap;
}

export class Faults {
  private readonly throttledCalls = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private modes: Map<string, FaultMode>;

  constructor(private readonly options: FaultOptions = {}) {
    this.modes = checkedFaults(options.faults ?? {});
  }

  /** Replaces every fault mode (an empty map clears them); throws on an unknown key or mode. */
  setFaults(map: FaultMap): void {
    this.modes = checkedFaults(map);
  }

  /** One request of `service:Operation` reached the gateway. */
  count(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Requests per `service:Operation` since the start (or resetCalls()), keys sorted. */
  calls(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  resetCalls(): void {
    this.counts.clear();
  }

  /**
   * Waits the configured latency; then the operation's fault mode (`deny` answers what `denied`
   * builds), else a throttling error while the operation's `throttle` quota lasts.
   */
  async before(service: string, operation: string, denied: () => Reply): Promise<FaultOutcome> {
    const key = `${service}:${operation}`;
    const latency = this.latency(service, key);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    switch (this.modes.get(key) ?? this.modes.get(`${service}:*`)) {
      case 'deny': return denied();
      case 'html500': return html500();
      case 'hang': return 'hang';
      case 'throttle': return throttled(service);
      default: break;
    }
    const limit = this.options.throttle?.[key];
    if (limit === undefined) return undefined;
    const n = (this.throttledCalls.get(key) ?? 0) + 1;
    this.throttledCalls.set(key, n);
    return n <= limit ? throttled(service) : undefined;
  }

  private latency(service: string, key: string): number {
    const l = this.options.latencyMs;
    if (typeof l === 'number') return l;
    return l?.[key] ?? l?.[service] ?? l?.['*'] ?? 0;
  }
}

/** What a proxy (or any non-AWS endpoint) answers: an HTML page, as nginx words its 500. */
export const HTML_500_BODY = '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>500 Internal Server Error</title></head>\n'
  + '<body>\n<center><h1>500 Internal Server Error</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n';

function html500(): Reply {
  return { status: 500, headers: { 'content-type': 'text/html' }, body: HTML_500_BODY };
}

function throttled(service: string): Reply {
  switch (service) {
    case 'dynamodb': return jsonError('dynamodb', 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.');
    case 'iam': return queryError('iam', 'Throttling', 'Rate exceeded');
    case 'sts': return queryError('sts', 'Throttling', 'Rate exceeded');
    case 'cognito-idp': return jsonError('cognito-idp', 'TooManyRequestsException', 'Rate exceeded', 429);
    default: return jsonError('cognito-identity', 'TooManyRequestsException', 'Rate exceeded', 429);
  }
}
