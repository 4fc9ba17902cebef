/**
 * Coalesces a burst of calls into one, `delayMs` after the last. A save touches the file
 * watcher twice and a settings edit fires several events; each burst must lead to one
 * runtime update and one provider change event. The timer functions are passed in so
 * tests run without waiting.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Debouncer {
  private handle: unknown;
  private pending = false;

  constructor(
    private readonly callback: () => void,
    private readonly delayMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  trigger(): void {
    if (this.pending) this.timers.clearTimeout(this.handle);
    this.pending = true;
    this.handle = this.timers.setTimeout(() => {
      this.pending = false;
      this.callback();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.pending) this.timers.clearTimeout(this.handle);
    this.pending = false;
  }
}
