// Cancelling a load: the scan notification's Cancel must stop it at once, even while an AWS call
// hangs on a slow endpoint. Pure (no vscode), so node:test covers it (test/unit/cancel.test.ts).

/** A scan stopped by the Cancel of its progress notification (or `Connection.cancelLoad()`). */
export class ScanCancelledError extends Error {
  constructor() {
    super('Scan cancelled');
    this.name = 'ScanCancelledError';
  }
}

/**
 * `promise`, or a ScanCancelledError as soon as `signal` aborts: the caller stops at once, while
 * the abandoned work (an SDK call waiting on a slow endpoint, a retry back-off) winds down on its own.
 */
export function unlessCancelled<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ScanCancelledError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? new ScanCancelledError() : error);
      },
    );
  });
}
