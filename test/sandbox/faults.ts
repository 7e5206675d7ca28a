// Optional faults, so tests can watch the SDK's retries and timeouts: a delay per call, and
// throttling of the first N calls of an operation with each service's own throttling error.

import { jsonError, queryError, type Reply } from './wire.ts';

export interface FaultOptions {
  /** Delay in ms before answering: one number for every call, or per `service:Operation`, `service` or `*`. */
  latencyMs?: number | Record<string, number>;
  /** Throttle the first N calls of `service:Operation` (e.g. `{ 'dynamodb:Query': 2 }`). */
  throttle?: Record<string, number>;
}

export class Faults {
  private readonly calls = new Map<string, number>();

  constructor(private readonly options: FaultOptions = {}) {}

  /** Waits the configured latency; returns a throttling error while the operation's quota lasts. */
  async before(service: string, operation: string): Promise<Reply | undefined> {
    const key = `${service}:${operation}`;
    const latency = this.latency(service, key);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const limit = this.options.throttle?.[key];
    if (limit === undefined) return undefined;
    const n = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, n);
    return n <= limit ? throttled(service) : undefined;
  }

  private latency(service: string, key: string): number {
    const l = this.options.latencyMs;
    if (typeof l === 'number') return l;
    return l?.[key] ?? l?.[service] ?? l?.['*'] ?? 0;
  }
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
