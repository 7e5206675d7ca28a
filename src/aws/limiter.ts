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

/**
 * The same client (still `instanceof` its class, which the SDK's paginators check) whose every
 * `send` waits for a slot of `limiter` and carries `signal` as its abortSignal.
 */
export function limitClient<C extends object>(client: C, limiter: Limiter, signal?: AbortSignal, urgent = false): C {
  const original = client as unknown as Sender;
  const wrapped = Object.create(client) as Sender;
  wrapped.send = (command: unknown, options?: unknown) =>
    limiter.run(() => original.send(command, signal ? { ...(options as object | undefined), abortSignal: signal } : options), urgent);
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
