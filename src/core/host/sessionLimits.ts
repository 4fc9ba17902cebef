/**
 * How long an HTTP session may sit idle and how many one endpoint keeps. A client that goes
 * away without `DELETE` (the SDK client's `close()` sends none) leaves its session behind,
 * 45–75 KB each; without these bounds a host runs out of memory after a few thousand.
 */
import { outboxLimits, type OutboxLimits } from './outboxLimits';

/** A session with nothing in progress for this long is closed. */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** Sessions one mounted relay keeps; a new one past it closes the one idle longest. */
export const DEFAULT_MAX_SESSIONS = 1000;

export interface SessionLimits {
  /** 0 never expires a session. */
  readonly idleMs: number;
  readonly maxSessions: number;
  readonly onExpired: (expiry: SessionExpiry) => void;
  /** What may wait for one session's client (see outboxLimits). */
  readonly outbox: OutboxLimits;
}

/** A session the host closed by itself; reported once, when it closes. */
export interface SessionExpiry {
  readonly path: string;
  readonly sessionId: string;
  /** `idle`: past the idle timeout; `cap`: the endpoint was full and this one was idle longest; `stalled`: its client stopped reading (outbox). */
  readonly reason: 'idle' | 'cap' | 'stalled';
  readonly idleMs: number;
  /** One line that says which session, where and why. */
  readonly message: string;
}

export function sessionLimits(options: {
  readonly sessionIdleMs?: number;
  readonly maxSessions?: number;
  readonly stallMs?: number;
  readonly onSessionExpired?: (expiry: SessionExpiry) => void;
}): SessionLimits {
  return {
    outbox: outboxLimits(options.stallMs === undefined ? {} : { stallMs: options.stallMs }),
    idleMs: Math.max(0, options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS),
    maxSessions: Math.max(1, options.maxSessions ?? DEFAULT_MAX_SESSIONS),
    onExpired: options.onSessionExpired ?? (() => undefined),
  };
}

/** A session closed because its client stopped reading what it was sent (see outbox). */
export function stalled(path: string, sessionId: string, reason: string): SessionExpiry {
  return { path, sessionId, reason: 'stalled', idleMs: 0, message: `closed session ${sessionId} at ${path}: ${reason}; its client gets 404 and may initialize again` };
}

export function expiry(path: string, sessionId: string, reason: 'idle' | 'cap', idleMs: number, limits: SessionLimits): SessionExpiry {
  const why =
    reason === 'idle'
      ? `idle for ${duration(idleMs)} (the timeout is ${duration(limits.idleMs)})`
      : `${limits.maxSessions} sessions were open and this one had been idle longest (${duration(idleMs)})`;
  return { path, sessionId, reason, idleMs, message: `closed session ${sessionId} at ${path}: ${why}; its client gets 404 and may initialize again` };
}

/** How often idle sessions are looked for: often enough for the timeout, at most once a minute. */
export function sweepEveryMs(idleMs: number): number {
  return Math.min(60_000, Math.max(50, Math.floor(idleMs / 4)));
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
