/**
 * Errors of reaching an upstream. Each has a stable `code`; the ones that end up in front
 * of the user (`UpstreamConnectionError`) say which instance, which transport and why.
 *
 * None of them ever carries an env or header value: those may hold secrets.
 */

/** The stdio process could not be spawned at all (missing command, bad cwd, no permission). */
export class ProcessStartError extends Error {
  readonly code = 'process-start';
  constructor(
    readonly command: string,
    /** The why, without naming the command: `command not found (ENOENT)`. */
    readonly reason: string,
    /** The why, naming it: `command "x" not found (ENOENT)`. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProcessStartError';
  }

  /** From the 'error' event of a spawn that failed. */
  static fromSpawnError(command: string, error: Error): ProcessStartError {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return new ProcessStartError(
        command,
        'command not found (ENOENT); check that it is installed and on the PATH',
        `command "${command}" not found (ENOENT)`,
        { cause: error },
      );
    }
    if (code === 'EACCES') {
      return new ProcessStartError(
        command,
        'command is not executable (EACCES); check its permissions',
        `command "${command}" is not executable (EACCES)`,
        { cause: error },
      );
    }
    return new ProcessStartError(command, error.message, `command "${command}" failed to start: ${error.message}`, {
      cause: error,
    });
  }
}

/**
 * Whether a failed start is one a retry cannot fix: the command is missing or not
 * executable (or its folder is). Retrying those only fills the log; the instance waits for
 * the user to fix the configuration and restart it.
 */
export function isPermanentStartFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    if (current instanceof ProcessStartError) {
      const code = (current.cause as NodeJS.ErrnoException | undefined)?.code;
      return code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR';
    }
  }
  return false;
}

/** The stdio process exited on its own (not because we closed it). */
export class ProcessExitedError extends Error {
  readonly code = 'process-exited';
  constructor(
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    /** The last lines the process wrote to stderr, oldest first. */
    readonly stderrTail: readonly string[],
  ) {
    super(describeExit(exitCode, signal, stderrTail));
    this.name = 'ProcessExitedError';
  }
}

/** A line on the upstream's stdout that is not a JSON-RPC message; reported, then skipped. */
export class InvalidStdoutLineError extends Error {
  readonly code = 'upstream-invalid-line';
  constructor(
    readonly instance: string,
    /** The first 200 characters of the line. */
    readonly excerpt: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${instance}: ignored a line on stdout that is not a JSON-RPC message (servers must log to stderr): ${JSON.stringify(excerpt)}`,
      options,
    );
    this.name = 'InvalidStdoutLineError';
  }
}

/** The connect + initialize deadline passed. */
export class UpstreamTimeoutError extends Error {
  readonly code = 'upstream-timeout';
  constructor(readonly timeoutMs: number) {
    super(`no answer to initialize within ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

export type ConnectTransport = 'stdio' | 'http' | 'sse' | 'auto';

/** Connecting to (or initializing) an instance's upstream failed. */
export class UpstreamConnectionError extends Error {
  readonly code = 'upstream-connect';
  constructor(
    /** `server/instance`, e.g. `notes/work`. */
    readonly instance: string,
    readonly transport: ConnectTransport,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamConnectionError';
  }
}

/** `exited with code 1` or `was killed by SIGTERM`. */
export function exitSummary(exitCode: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode ?? 'unknown'}`;
}

/** `; its last stderr lines:` and the lines, indented; empty when there are none. */
export function formatStderrTail(stderrTail: readonly string[]): string {
  if (stderrTail.length === 0) {
    return '';
  }
  return `; its last stderr lines:\n${stderrTail.map((line) => `  ${line}`).join('\n')}`;
}

function describeExit(
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stderrTail: readonly string[],
): string {
  const tail = formatStderrTail(stderrTail);
  return `the process ${exitSummary(exitCode, signal)}${tail === '' ? ' (it wrote nothing to stderr)' : tail}`;
}
