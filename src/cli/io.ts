import { Redactor } from '../core/redaction';
import type { SecretStoreKind } from './secretStoreChoice';

/**
 * What a CLI command may touch of the outside world. Passed in (never read from globals)
 * so tests run commands in-process with captured output and a chosen environment.
 */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Every secret value this run has learned (a `${secret:NAME}`, a header from
   * --header-env, a token): `writeErr` prints none of them. A value is added when the
   * CLI hands it out, before anything could print it.
   */
  readonly secrets: Redactor;
  /**
   * The command's result, as it is (never the protocol, which the host writes itself):
   * the user asked for it, and a secret that happens to be a word (`personal`) must not
   * mangle tool names. A diagnostic printed here is redacted by its command.
   */
  writeOut(text: string): void;
  /** Progress, problems and logs, an upstream's stderr among them; secrets hidden. */
  writeErr(text: string): void;
  /**
   * The store the command line named (`--secret-store`), for every secret and OAuth token
   * this run reads; absent: MCPLEX_SECRET_STORE, else whichever answers (secretStoreChoice.ts).
   */
  readonly secretStore?: SecretStoreKind;
  /** Whether stderr is a terminal (progress lines may then be redrawn and coloured). */
  readonly stderrIsTty: boolean;
  /** Whether stdin is a terminal (a secret is then asked for, without echo). */
  readonly stdinIsTty: boolean;
  /** All of stdin, as text. */
  readStdin(): Promise<string>;
  /** Asks on the terminal without echoing what is typed; `prompt` goes to stderr. */
  promptHidden(prompt: string): Promise<string>;
  /**
   * Settles with a reason when the user interrupts (SIGINT), the system asks to stop
   * (SIGTERM), the terminal closes (SIGHUP) or an error escapes: whoever asks stops its
   * upstreams' process trees before it ends. Only long-running commands ask, so Ctrl-C
   * still ends the others at once.
   */
  interrupted(): Promise<string>;
}

export function processIo(): CliIo {
  let interrupted: Promise<string> | undefined;
  const secrets = new Redactor();
  const stdout = survivable(process.stdout);
  const stderr = survivable(process.stderr);
  return {
    interrupted: () =>
      (interrupted ??= new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('interrupted'));
        process.once('SIGTERM', () => resolve('terminated'));
        process.once('SIGHUP', () => resolve('hung up'));
        // Listening keeps the process alive past the error: long enough to stop the upstreams.
        process.once('uncaughtException', (error) => {
          stderr(`mcplex: unexpected error: ${error.stack ?? error.message}\n`);
          process.exitCode = ExitCode.problems;
          resolve('unexpected error');
        });
      })),
    cwd: process.cwd(),
    env: process.env,
    secrets,
    writeOut: stdout,
    writeErr: (text) => stderr(secrets.redact(text)),
    stderrIsTty: process.stderr.isTTY === true,
    stdinIsTty: process.stdin.isTTY === true,
    readStdin,
    promptHidden,
  };
}

/**
 * A write to `stream` that can never be fatal: once the reader is gone (EPIPE, the client
 * was killed) writes are dropped, so stopping the upstreams is not cut short by a log line.
 */
function survivable(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on('error', () => (open = false));
  return (text) => {
    if (open && stream.writable) stream.write(text);
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Raw mode, one character at a time: Enter ends, Backspace erases, Ctrl-C/Ctrl-D cancel. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003' || char === '\u0004') return done(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** Exit codes: 0 success, 1 the command ran and found problems, 2 the command line was wrong. */
export const ExitCode = { ok: 0, problems: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
