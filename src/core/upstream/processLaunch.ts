/**
 * Starting a stdio upstream's process: how it is spawned (leader of its own process group,
 * no shell, piped stdio) and how a failed start is told apart from a running process.
 * Kept apart from `ProcessTransport` so the transport is only about messages and shutdown;
 * a change to how processes are launched (a platform quirk, a spawn option) happens here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Isolation } from '../config';
import { ProcessStartError } from './errors';
import { launchEnvironment, prepareStateDir } from './isolation';
import { isDirectory } from './processTree';
import { UnquotableArgumentError, windowsSpawnTarget, type SpawnTarget } from './windowsSpawn';

export interface ProcessLaunch {
  readonly command: string;
  readonly args: readonly string[];
  /** Merged over the parent's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** `${instanceDir}`: created (0700) before the spawn. */
  readonly stateDir?: string;
  /** Private folders under `stateDir` (see `isolation.ts`). */
  readonly isolate?: Isolation;
}

/**
 * Spawns the process as the leader of its own process group, so stopping it can signal the
 * whole tree at once. Throws a `ProcessStartError` for a missing working directory; any
 * other failure arrives as the child's 'error' event (see `whenSpawned`).
 */
export function spawnGroupLeader(launch: ProcessLaunch): ChildProcess {
  const { command, args, cwd, stateDir, isolate } = launch;
  const env = launchEnvironment(process.env, launch.env, stateDir, isolate);
  if (stateDir !== undefined) {
    try {
      prepareStateDir(stateDir, isolate, env, process.env);
    } catch (error) {
      const reason = `could not prepare its state folder "${stateDir}": ${error instanceof Error ? error.message : String(error)}`;
      throw new ProcessStartError(command, reason, reason);
    }
  }
  if (cwd !== undefined && !isDirectory(cwd)) {
    // spawn() would report a missing cwd as ENOENT, blaming the command.
    const reason = `working directory "${cwd}" does not exist`;
    throw new ProcessStartError(command, reason, reason);
  }
  const target = spawnTarget(command, args, env, cwd);
  return spawn(target.file, [...target.args], {
    cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so close() can signal the whole tree at once.
    detached: process.platform !== 'win32',
    shell: false,
    windowsHide: true,
    // A batch file's cmd line is quoted by windowsSpawn; Node must not quote it again.
    windowsVerbatimArguments: target.verbatim,
  });
}

/** On Windows a `.cmd`/`.bat` (npx, npm, shims) runs through cmd.exe (`windowsSpawn.ts`). */
function spawnTarget(command: string, args: readonly string[], env: Readonly<Record<string, string>>, cwd: string | undefined): SpawnTarget {
  if (process.platform !== 'win32') return { file: command, args, verbatim: false };
  try {
    return windowsSpawnTarget(command, args, env, cwd);
  } catch (error) {
    if (!(error instanceof UnquotableArgumentError)) throw error;
    throw new ProcessStartError(command, error.message, `command "${command}": ${error.message}`, { cause: error });
  }
}

/**
 * Settles once the process has started: rejects with a `ProcessStartError` when it could not
 * be (a missing command, no permission); after the start, later 'error' events go to
 * `onLaterError`.
 */
export function whenSpawned(child: ChildProcess, command: string, onLaterError: (error: Error) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      child.off('spawn', onSpawn);
      reject(ProcessStartError.fromSpawnError(command, error));
    };
    const onSpawn = (): void => {
      child.off('error', onError);
      child.on('error', onLaterError);
      resolve();
    };
    child.once('error', onError);
    child.once('spawn', onSpawn);
  });
}
