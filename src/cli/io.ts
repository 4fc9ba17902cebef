/**
 * What a CLI command may touch of the outside world. Passed in (never read from globals)
 * so tests run commands in-process with captured output and a chosen environment.
 */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The protocol or the command's result: nothing else is written here. */
  writeOut(text: string): void;
  /** Progress, problems and logs. */
  writeErr(text: string): void;
  /** Whether stderr is a terminal (progress lines may then be redrawn and coloured). */
  readonly stderrIsTty: boolean;
  /**
   * Settles with a reason when the user interrupts (SIGINT) or the system asks to stop
   * (SIGTERM). Only long-running commands ask, so Ctrl-C still ends the others at once.
   */
  interrupted(): Promise<string>;
}

export function processIo(): CliIo {
  let interrupted: Promise<string> | undefined;
  return {
    interrupted: () =>
      (interrupted ??= new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('interrupted'));
        process.once('SIGTERM', () => resolve('terminated'));
      })),
    cwd: process.cwd(),
    env: process.env,
    writeOut: (text) => void process.stdout.write(text),
    writeErr: (text) => void process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
  };
}

/** Exit codes: 0 success, 1 the command ran and found problems, 2 the command line was wrong. */
export const ExitCode = { ok: 0, problems: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
