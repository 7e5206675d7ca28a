// Bounded concurrency for AWS calls, shared by every client of a scan, and cancellation.

export class Limiter {
  private running = 0;
  /** Waiters; urgent ones (the sequential listing pages on the critical path) go first. */
  private readonly urgent: (() => void)[] = [];
  private readonly queue: (() => void)[] = [];

  constructor(
    readonly limit: number,
    private readonly signal?: AbortSignal,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a whole number >= 1, got ${limit}`);
    signal?.addEventListener('abort', () => {
      // Wake every waiter; each sees the abort and rejects.
      for (const wake of [...this.urgent.splice(0), ...this.queue.splice(0)]) wake();
    }, { once: true });
  }

  async run<T>(task: () => Promise<T>, urgent = false): Promise<T> {
    this.signal?.throwIfAborted();
    if (this.running >= this.limit) {
      // The slot is handed over by the finishing task (running stays the same), so no newcomer
      // can overtake a waiter.
      await new Promise<void>((resolve) => (urgent ? this.urgent : this.queue).push(resolve));
      this.signal?.throwIfAborted();
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.urgent.shift() ?? this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}

interface Sender {
  send(command: unknown, options?: unknown): Promise<unknown>;
}

export interface CallLimits {
  /** Time limit of one call, retries included (ms). */
  timeoutMs?: number;
  /** Counts logical calls (each page of a listing is one), for the scan's statistics. */
  stats?: { calls: number };
}

/** Our own time limit fired: no answer in time (the SDK's own socket timeouts say TimeoutError too). */
export function timeoutError(ms: number): Error {
  const error = new Error(`no answer within ${ms / 1000} s`);
  error.name = 'TimeoutError';
  return error;
}

/**
 * Runs one SDK call with its own abort signal: aborted by `signal` (the user cancelled) or after
 * `timeoutMs` (retries included). It settles at once when aborted, whether or not the SDK notices
 * (a socket that never answers, a retry back-off), so a hung endpoint can never hang the caller.
 */
export function callWithLimits<T>(call: (abortSignal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined, timeoutMs: number | undefined): Promise<T> {
  signal?.throwIfAborted();
  const local = new AbortController();
  const onAbort = () => local.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = timeoutMs ? setTimeout(() => local.abort(timeoutError(timeoutMs)), timeoutMs) : undefined;
  const aborted = new Promise<never>((_, reject) => {
    local.signal.addEventListener('abort', () => reject(local.signal.reason instanceof Error ? local.signal.reason : abortError()), { once: true });
  });
  const settled = call(local.signal);
  return Promise.race([settled, aborted]).finally(() => {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    settled.catch(() => undefined);
    aborted.catch(() => undefined);
    // Ends whatever is still in flight (the SDK listens to this signal).
    if (!local.signal.aborted) local.abort();
  });
}

function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * The same client (still `instanceof` its class, which the SDK's paginators check) whose every
 * `send` waits for a slot of `limiter`, carries its own abort signal (the scan's `signal`, and
 * the per-call time limit) and is counted.
 */
export function limitClient<C extends object>(client: C, limiter: Limiter, signal?: AbortSignal, urgent = false, limits: CallLimits = {}): C {
  const original = client as unknown as Sender;
  const wrapped = Object.create(client) as Sender;
  wrapped.send = (command: unknown, options?: unknown) =>
    limiter.run(() => {
      if (limits.stats) limits.stats.calls++;
      return callWithLimits((abortSignal) => original.send(command, { ...(options as object | undefined), abortSignal }), signal, limits.timeoutMs);
    }, urgent);
  return wrapped as unknown as C;
}

/** Runs `worker` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
