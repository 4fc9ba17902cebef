/**
 * Runs a credential helper: no shell (arguments stay arguments), no stdin, a deadline,
 * and its output collected. Passed in to the credential so tests can count the runs.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The deadline passed and the process was killed. */
  readonly timedOut: boolean;
}

export interface CommandRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly timeoutMs: number;
}

export type CommandRunner = (request: CommandRequest) => Promise<CommandResult>;

/** Output beyond this is not a token; it is cut to keep memory bounded. */
const MAX_OUTPUT = 1024 * 1024;

export const runCommand: CommandRunner = (request) =>
  new Promise((resolve, reject) => {
    const child = spawn(request.command, [...request.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
      ...(request.cwd !== undefined && { cwd: request.cwd }),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_OUTPUT);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, request.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr, timedOut });
    });
  });
