/**
 * Upstream requests that wait for a client to connect (see serverRequests): each waits for
 * the next client's `initialized`, its deadline, its abort, or the relay's close,
 * whichever comes first.
 */
export class ClientArrivals {
  private readonly waiting = new Set<(arrived: boolean) => void>();
  private closed = false;

  /** Resolves true at the next client's `initialized`, false at `deadline`, on abort or when the relay closes. */
  readonly wait = (signal: AbortSignal, deadline: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (this.closed || signal.aborted || Date.now() >= deadline) return resolve(false);
      const settle = (arrived: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
        this.waiting.delete(settle);
        resolve(arrived);
      };
      const aborted = (): void => settle(false);
      // Unref'd: waiting for a client is no reason to keep the process alive.
      const timer = setTimeout(() => settle(false), deadline - Date.now()).unref();
      signal.addEventListener('abort', aborted, { once: true });
      this.waiting.add(settle);
    });

  /** A client said `initialized`: every waiting request goes on. */
  arrived(): void {
    for (const settle of [...this.waiting]) settle(true);
  }

  /** The relay closes: nobody waits any longer, and nobody will. */
  close(): void {
    this.closed = true;
    for (const settle of [...this.waiting]) settle(false);
  }
}
