import type { Ending } from './ending';
import { exitWhenIdle } from './idleExit';
import { watchParent } from './parentWatch';

/**
 * What else ends serving over `listener`. Over stdio mcplex belongs to the client that
 * started it, so a dead parent ends it; over HTTP or a socket it may rightly outlive its
 * parent (systemd, nohup), so only `--exit-when-idle` ends it.
 */
export function servingEnding(
  listener: { readonly kind: 'stdio' } | { readonly kind: 'http'; readonly host: { sessionCount(path: string): number } },
  mountPath: string,
  exitWhenIdleMs: number | undefined,
): Ending | undefined {
  if (listener.kind === 'stdio') return watchParent();
  if (exitWhenIdleMs === undefined) return undefined;
  return exitWhenIdle(() => listener.host.sessionCount(mountPath), exitWhenIdleMs);
}
