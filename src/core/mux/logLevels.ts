/**
 * One log level per client session, one upstream level for all of them.
 *
 * An upstream has one level per connection, and the relay is one connection shared by every
 * session. So the upstream is told the most verbose level any session asked for, and each
 * session gets only the `notifications/message` at or above its own level. When the session
 * that asked for the most detail leaves (or asks for less), the upstream goes back up to the
 * most verbose level among the sessions still there.
 *
 * A session that never set a level gets every message the upstream sends, as a direct client
 * that never set one gets whatever the server chooses to send. While no session has set a
 * level that is exactly what it would get directly (the upstream is at its own default);
 * once another session has set one, the upstream's default is gone — MCP has no request that
 * restores it — so the unset session sees the upstream at the level the others asked for.
 * Filtering it at a guessed default instead would drop messages a server sends by default at
 * levels we cannot know. For the same reason, when the last session with a level leaves the
 * upstream keeps the level it was last told.
 */
import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';

/** RFC 5424 severities, most verbose first (the order of the spec's `LoggingLevel`). */
export const LOG_LEVELS: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export function isLogLevel(value: unknown): value is LoggingLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** The most verbose of `levels`, `undefined` for none. */
export function mostVerbose(levels: Iterable<LoggingLevel>): LoggingLevel | undefined {
  let most: LoggingLevel | undefined;
  for (const level of levels) if (most === undefined || LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(most)) most = level;
  return most;
}

/**
 * Whether a message at `level` reaches a session that asked for `wanted` (`undefined`: it
 * never asked, and gets everything). A message without a level we know passes: the relay
 * does not hide what it cannot judge.
 */
export function admits(wanted: LoggingLevel | undefined, level: unknown): boolean {
  if (wanted === undefined || !isLogLevel(level)) return true;
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(wanted);
}

/** The levels the sessions of one relay asked for, and the one their upstreams must have. */
export class SessionLogLevels<S> {
  private readonly wanted = new Map<S, LoggingLevel>();
  /** What the upstreams were last told (they keep it when no session has a level any more). */
  private told: LoggingLevel | undefined;

  /** The level `session` asked for, `undefined` if it never did. */
  of(session: S): LoggingLevel | undefined {
    return this.wanted.get(session);
  }

  /** The level the upstreams must have now, `undefined` while nobody asked for one. */
  upstream(): LoggingLevel | undefined {
    return mostVerbose(this.wanted.values()) ?? this.told;
  }

  /**
   * Records `session`'s level; returns the level the upstreams must now be told, or
   * `undefined` when what they were told still holds.
   */
  set(session: S, level: LoggingLevel): LoggingLevel | undefined {
    this.wanted.set(session, level);
    return this.change();
  }

  /** `session` left; the upstream level it held is given back (returned as by `set`). */
  drop(session: S): LoggingLevel | undefined {
    return this.wanted.delete(session) ? this.change() : undefined;
  }

  /** The upstreams failed to take the level: the next `set` tells them again. */
  forget(): void {
    this.told = undefined;
  }

  private change(): LoggingLevel | undefined {
    const next = mostVerbose(this.wanted.values());
    if (next === undefined || next === this.told) return undefined;
    this.told = next;
    return next;
  }
}
