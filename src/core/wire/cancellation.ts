/**
 * What a forwarded request needs of an `AbortSignal`: whether and why it was cancelled, and
 * a call when it is. An `AbortSignal` fits (the SDK hands one to every handler); the fast
 * path makes a `Cancellation` per call instead, because on Node 20 creating an
 * `AbortController`, reading its signal and adding and removing a listener on that
 * `EventTarget` cost ~10 µs, a tenth of the relay's own time per call (profiled with
 * `perf` on `mcplex wrap`).
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A cancellation that is its own signal: plain fields and a short listener list. */
export class Cancellation implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  /** Cancels once; the listeners are called once each, in the order they were added. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  /** As on an `AbortSignal`, a listener added after the abort is never called. */
  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }
}
