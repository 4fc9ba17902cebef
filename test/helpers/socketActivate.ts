/**
 * Debian's `systemd-socket-activate` (package systemd; test/provision.sh installs it): binds
 * an address, waits for the first connection, then execs the command with the socket as
 * fd 3 and LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES set, as a .socket unit does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SOCKET_ACTIVATE = '/usr/bin/systemd-socket-activate';

/** Why the socket-activation tests cannot run here, or undefined when they can. */
export function socketActivateMissing(): string | undefined {
  return existsSync(SOCKET_ACTIVATE) ? undefined : `${SOCKET_ACTIVATE} is not installed (Debian package systemd; run test/provision.sh)`;
}

export interface ActivatedProcess {
  readonly child: ChildProcess;
  /** Everything written to stderr so far: systemd-socket-activate's lines, then the command's. */
  stderr(): string;
  /** Resolves when stderr matches `pattern`; rejects after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The exit code once it exits (at once if it already has). */
  exited(): Promise<number | null>;
  /** SIGTERM (to mcplex once it has been exec'd), then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `systemd-socket-activate -l LISTEN [--fdname=NAME] [-E NAME=VALUE]… -- COMMAND…`. Only the
 * variables in `env` (and systemd-socket-activate's few: PATH, HOME, TERM) reach the command.
 */
export function socketActivate(listen: string, command: readonly string[], options: { fdName?: string; env?: Record<string, string> } = {}): ActivatedProcess {
  const args = [
    '-l',
    listen,
    ...(options.fdName === undefined ? [] : [`--fdname=${options.fdName}`]),
    ...Object.entries(options.env ?? {}).map(([name, value]) => `-E${name}=${value}`),
    '--',
    ...command,
  ];
  const child = spawn(SOCKET_ACTIVATE, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (!pattern.test(stderr)) return false;
          cleanup();
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`stderr never matched ${String(pattern)}:\n${stderr}`));
        }, timeoutMs);
        const onExit = (): void => {
          if (check()) return;
          cleanup();
          reject(new Error(`exited before stderr matched ${String(pattern)}:\n${stderr}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          child.stderr?.off('data', check);
          child.off('close', onExit);
        };
        if (check()) return;
        child.stderr?.on('data', check);
        child.once('close', onExit);
      }),
    exited: () => exit,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      return exit;
    },
  };
}
