/**
 * How much one client may leave untaken, in one place. A client that reads slower than an
 * upstream writes (or not at all: an open GET stream nobody reads, a stdout nobody drains)
 * must not make mcplex buffer without limit: 1 GB of log lines once took it to 3 GB.
 */

export interface OutboxLimits {
  /** Log lines (`notifications/message`) waiting per stream; later ones are dropped and counted, and the client is told how many. */
  readonly maxLogs: number;
  /** Other messages waiting per stream past which the relay stops reading its upstreams until the client catches up. */
  readonly highWater: number;
  /** Messages waiting per stream past which the session is closed at once: nothing else bounds them. */
  readonly maxQueued: number;
  /** A session whose client takes nothing for this long while output waits is closed (0: never). */
  readonly stallMs: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  maxLogs: 1000,
  highWater: 256,
  maxQueued: 10_000,
  stallMs: 30_000,
};

export function outboxLimits(options: { readonly stallMs?: number } = {}): OutboxLimits {
  return { ...DEFAULT_OUTBOX_LIMITS, ...(options.stallMs !== undefined && { stallMs: Math.max(0, options.stallMs) }) };
}
