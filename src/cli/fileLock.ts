/**
 * A lock between processes: a file beside what it guards, created with O_EXCL (`'wx'`), so
 * of two `mcplex secret set` run at once only one reads, changes and writes the store at a
 * time, and neither loses the other's value. A lock older than `staleMs` was left by a
 * process that crashed (a holder keeps it for milliseconds) and is taken over.
 *
 * Synchronous on purpose: the secret store's API is synchronous, and the lock is held only
 * around one read-modify-write. Waiting between attempts blocks the thread (Atomics.wait),
 * for a few milliseconds at a time and `timeoutMs` at most.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';

export interface FileLockOptions {
  /** How long to keep trying before giving up. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** A lock file last written longer ago than this is taken over. Default 30000 ms. */
  readonly staleMs?: number;
  /** Blocks for `ms`; passed in by tests. Default: Atomics.wait. */
  readonly sleep?: (ms: number) => void;
}

/** The lock could not be taken or given back (a file system error); not the work's own error. */
export class FileLockError extends Error {
  readonly code: 'lock-failed' | 'lock-timeout' = 'lock-failed';
  constructor(
    readonly lockPath: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FileLockError';
  }
}

/** Another process held the lock for all of `timeoutMs`, and not long enough to count as stale. */
export class FileLockTimeoutError extends FileLockError {
  override readonly code = 'lock-timeout';
  constructor(lockPath: string, waitedMs: number, holder: string | undefined) {
    const by = holder !== undefined ? ` by process ${holder}` : '';
    super(
      lockPath,
      `${lockPath} is still held${by} after ${waitedMs} ms; if another mcplex is busy with it, wait and try again; ` +
        `if none is running, remove the lock file (rm '${lockPath}') and try again`,
    );
    this.name = 'FileLockTimeoutError';
  }
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_STALE_MS = 30_000;
const FIRST_DELAY_MS = 2;
const MAX_DELAY_MS = 100;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Runs `work` holding the lock file `lockPath` (whose folder must exist); always releases it. */
export function withFileLock<T>(lockPath: string, work: () => T, options: FileLockOptions = {}): T {
  const held = lockStep(lockPath, 'take', () => acquire(lockPath, options));
  try {
    return work();
  } finally {
    lockStep(lockPath, 'remove', () => release(lockPath, held));
  }
}

/** Tells a file system error of the lock's own from an error of the work it guards. */
function lockStep<T>(lockPath: string, what: 'take' | 'remove', step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof FileLockError) throw error;
    throw new FileLockError(lockPath, `cannot ${what} the lock file ${lockPath}: ${(error as Error).message}`, { cause: error });
  }
}

/** Returns the inode of the lock file made, so release removes that file and no other. */
function acquire(lockPath: string, options: FileLockOptions): number {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const sleep = options.sleep ?? ((ms: number) => Atomics.wait(sleepCell, 0, 0, ms));
  const deadline = Date.now() + timeoutMs;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    const made = tryCreate(lockPath);
    if (made !== undefined) return made;
    if (takeOverIfStale(lockPath, staleMs)) continue;
    const left = deadline - Date.now();
    if (left <= 0) throw new FileLockTimeoutError(lockPath, timeoutMs, holderOf(lockPath));
    // Jittered, so processes that collided once do not retry in lockstep.
    sleep(Math.min(left, Math.ceil(delay / 2 + Math.random() * delay)));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/** The new lock file's inode, or undefined when the lock is held. */
function tryCreate(lockPath: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return undefined;
    throw error;
  }
  let inode: number;
  try {
    // Who holds it, for the timeout's message.
    writeSync(fd, `${process.pid}\n`);
    inode = fstatSync(fd).ino;
  } catch (error) {
    closeSync(fd);
    unlinkSync(lockPath);
    throw error;
  }
  closeSync(fd);
  return inode;
}

/**
 * Takes a stale lock over: moves it aside (an atomic rename, so of two processes taking the
 * same stale lock over only one succeeds) and deletes it. True when the caller should try to
 * create the lock again at once.
 */
function takeOverIfStale(lockPath: string, staleMs: number): boolean {
  let seen;
  try {
    seen = statSync(lockPath);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return true; // released meanwhile
    throw error;
  }
  if (Date.now() - seen.mtimeMs < staleMs) return false;
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return true; // another process took it over first
    throw error;
  }
  if (statSync(aside).ino !== seen.ino) {
    // Between our look and our rename another process took the stale lock over and made a
    // fresh one: that one is theirs, so it goes back (link does not replace an existing file).
    try {
      linkSync(aside, lockPath);
    } catch {
      // a third process holds the lock now; theirs stays
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

/** Removes the lock file if it is still the one `acquire` made (not taken over as stale). */
function release(lockPath: string, inode: number): void {
  try {
    if (statSync(lockPath).ino === inode) unlinkSync(lockPath);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}

function holderOf(lockPath: string): string | undefined {
  try {
    const pid = readFileSync(lockPath, 'utf8').trim();
    return /^\d+$/.test(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
