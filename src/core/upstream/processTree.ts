/**
 * Stopping and signalling a whole process tree. An upstream is spawned as the leader of its own process
 * group (`detached: true`), so `npx` → `node` → grandchildren all share the leader's pid as
 * their group id and one `kill(-pid)` reaches every one of them, even after the leader
 * itself has exited and left the others behind.
 *
 * Windows has no process groups: there `taskkill /T` walks the tree from the leader's pid,
 * which only works while the leader is alive (`windowsTree.ts`, with its fallback where
 * `/T` is refused).
 */
import { statSync } from 'node:fs';
import { killWindowsTree } from './windowsTree';

export type TreeSignal = 'SIGTERM' | 'SIGKILL';

const REAP_POLL_MS = 20;

/** What stopping needs of a running process group's leader. */
export interface GroupLeader {
  readonly pid: number;
  /** Closes its stdin: a well-behaved stdio server exits on its own then. */
  endInput(): void;
  /** Settles when the leader has exited. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
}

/**
 * Stops a process tree politely, then less so, a grace time apart: stdin closed → SIGTERM
 * to the group → SIGKILL to the group; then whatever the leader left behind is reaped.
 */
export async function stopProcessTree(leader: GroupLeader, graceMs: number): Promise<void> {
  if (!leader.hasExited()) {
    leader.endInput();
    if (!(await within(leader.exited, graceMs))) {
      signalProcessTree(leader.pid, 'SIGTERM');
      if (!(await within(leader.exited, graceMs))) {
        signalProcessTree(leader.pid, 'SIGKILL');
        await within(leader.exited, graceMs);
      }
    }
  }
  await reapProcessGroup(leader.pid, graceMs);
}

/**
 * After the leader has exited: SIGTERM the rest of its group, then SIGKILL what stays.
 * A SIGKILL is not waited for: it cannot be refused, and an orphan it killed stays a
 * zombie until init reaps it, which some container inits do only now and then.
 */
export async function reapProcessGroup(pid: number, graceMs: number): Promise<void> {
  if (!signalProcessTree(pid, 'SIGTERM')) {
    return;
  }
  if (!(await groupGone(pid, graceMs))) {
    signalProcessTree(pid, 'SIGKILL');
  }
}

/**
 * Sends `signal` to every process in the group led by `pid`.
 * Returns false when no process of the group is left (ESRCH), true otherwise.
 */
export function signalProcessTree(pid: number, signal: TreeSignal): boolean {
  if (process.platform === 'win32') {
    return signalWindowsTree(pid);
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if (isErrno(error, 'ESRCH')) {
      return false;
    }
    // EPERM: a member changed its credentials; the group is alive but not ours to signal.
    return true;
  }
}

/** Whether any process of the group led by `pid` is still alive (a zombie leader counts). */
export function processTreeAlive(pid: number): boolean {
  if (process.platform === 'win32') {
    return processAlive(pid);
  }
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return !isErrno(error, 'ESRCH');
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrno(error, 'ESRCH');
  }
}

function signalWindowsTree(pid: number): boolean {
  if (!processAlive(pid)) {
    return false;
  }
  // Windows cannot ask a console process politely to stop, so both signals force it.
  void killWindowsTree(pid);
  return true;
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `promise` settles within `ms`; the timer never outlives the wait. */
export async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until no process of the group is left, or `ms` have passed. */
async function groupGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (processTreeAlive(pid)) {
    if (Date.now() >= deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, REAP_POLL_MS));
  }
  return true;
}
