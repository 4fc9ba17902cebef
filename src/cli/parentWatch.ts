/**
 * Over stdio, mcplex lives for the client that started it. A client that dies usually
 * closes mcplex's stdin (EOF, and the host ends), but not when something else still holds
 * the other end of the pipe (a wrapper shell, `npx`, a sibling that inherited it): then the
 * only sign is that the parent is gone. On Unix an orphan is handed to init or a subreaper,
 * so `process.ppid` changes; on Windows it does not, so the first parent's pid is asked too.
 */
import { unrefEvery, type Ending, type Every } from './ending';

export const PARENT_CHECK_MS = 1000;

export interface ParentWatchOptions {
  readonly ppid?: () => number;
  /** Whether a process exists; default `process.kill(pid, 0)`. */
  readonly exists?: (pid: number) => boolean;
  readonly every?: Every;
  readonly everyMs?: number;
}

export function watchParent(options: ParentWatchOptions = {}): Ending {
  const ppid = options.ppid ?? (() => process.ppid);
  const exists = options.exists ?? processExists;
  const parent = ppid();
  let settle: (reason: string) => void = () => undefined;
  const reached = new Promise<string>((resolve) => (settle = resolve));
  const cancel = (options.every ?? unrefEvery)(() => {
    // pid 0 or 1 as the parent from the start: started detached on purpose, nothing to watch.
    if (parent <= 1) return;
    if (ppid() === parent && exists(parent)) return;
    cancel();
    settle(`parent process ${parent} is gone`);
  }, options.everyMs ?? PARENT_CHECK_MS);
  return { reached, stop: cancel };
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
