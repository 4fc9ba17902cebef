/**
 * The vocabulary of supervision: what is supervised, what the supervisor reports, and what
 * it is given (connect, time and randomness are passed in, so tests are fast and exact).
 */
import type { ClientCapabilities, Implementation } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamSpec } from '../config';
import type { RetryPolicy } from './backoff';
import type { connectUpstream } from './connect';

/** One upstream to keep running. A plan's instance maps onto it as `{ key, spec: upstream, label }`. */
export interface SupervisedInstance {
  /** The source's key: the prefix in an aggregate, the instance's name in errors and logs. */
  readonly key: string;
  readonly spec: UpstreamSpec;
  /** For people: logs, the tree. Default the key. */
  readonly label?: string;
}

/**
 * What happened to an instance, as data for logs and UIs. The runtime folds these events
 * into one `InstanceState` per instance (runtime/instanceState.ts `next`); the relay reads
 * the supervisor's `UpstreamState` instead, which carries the live connection. `attempt` counts the starts of
 * the current series of failures (1 for the first); it goes back to 1 after a requested
 * restart and after an upstream stayed up for `retry.resetAfterMs`.
 */
export type SupervisorEvent =
  | { readonly type: 'starting'; readonly key: string; readonly attempt: number }
  | {
      readonly type: 'up';
      readonly key: string;
      readonly attempt: number;
      readonly serverInfo: Implementation;
      /** The stdio process's id (and its process group's). */
      readonly pid?: number;
    }
  /**
   * A start failed. `retryInMs` is absent when the supervisor gave up: after
   * `retry.maxAttempts`, or at once when a retry cannot fix the failure (`permanent`: the
   * command is missing or not executable, see `isPermanentStartFailure`).
   */
  | { readonly type: 'failed'; readonly key: string; readonly attempt: number; readonly error: Error; readonly retryInMs?: number; readonly permanent?: true }
  /** A running upstream went away on its own (its process exited, its connection closed). */
  | { readonly type: 'exited'; readonly key: string; readonly reason: string; readonly uptimeMs: number; readonly error?: Error }
  /**
   * A new start is scheduled after an exit; `reason` repeats the `exited` one, so the event
   * says on its own what the instance is waiting to recover from.
   */
  | { readonly type: 'restarting'; readonly key: string; readonly why: 'exited'; readonly reason: string; readonly attempt: number; readonly inMs: number }
  /** A restart was asked for: the upstream is stopped and a fresh start follows. */
  | { readonly type: 'restarting'; readonly key: string; readonly why: 'requested'; readonly attempt: number; readonly inMs: number }
  /** After an exit the supervisor gave up (`retry.maxAttempts`); the instance stays down. */
  | { readonly type: 'gave-up'; readonly key: string; readonly attempt: number; readonly reason: string }
  | { readonly type: 'stopped'; readonly key: string }
  /** Something went wrong that did not stop the upstream, e.g. a non-JSON line on its stdout. */
  | { readonly type: 'warning'; readonly key: string; readonly error: Error };

/** The clock's two calls the supervisor uses; tests pass fake ones. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SupervisorOptions {
  /** Default `connectUpstream`; tests inject a fake. */
  readonly connect?: typeof connectUpstream;
  /**
   * Announced to every upstream, or asked for at each start (a one-client endpoint learns
   * its client's at `initialize`). Default the relay's `RELAY_CLIENT_CAPABILITIES`.
   */
  readonly clientCapabilities?: ClientCapabilities | (() => ClientCapabilities);
  readonly clientInfo?: Implementation;
  readonly onStderr?: (key: string, line: string) => void;
  readonly onEvent?: (event: SupervisorEvent) => void;
  readonly retry?: RetryPolicy;
  /** In [0, 1); default `Math.random`. */
  readonly random?: () => number;
  readonly timers?: Timers;
  /** Milliseconds now; default `Date.now`. Measures how long an upstream stayed up. */
  readonly now?: () => number;
  /** Deadline for connect + initialize of one start. Default connectUpstream's (30 s). */
  readonly connectTimeoutMs?: number;
  /** Between the steps of stopping a process tree (stdin closed, SIGTERM, SIGKILL). */
  readonly graceMs?: number;
  /** The largest message a stdio upstream may write; past it the call in flight fails and the upstream restarts. Default 64 MiB. */
  readonly maxMessageBytes?: number;
}
