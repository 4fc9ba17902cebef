// The `mcplex` executable: run the command line, turn its result into an exit code.
import { format } from 'node:util';
import { runCli } from './cli';
import { processIo } from './io';

const io = processIo();

// stdout carries the protocol (serve, wrap) or the command's result: a dependency that
// logs with console.log must not corrupt it. Whatever it logs goes to stderr instead,
// through `io` so that it too never shows a secret value.
const toStderr = (...args: unknown[]): void => io.writeErr(`${format(...args)}\n`);
Object.assign(console, { log: toStderr, info: toStderr, debug: toStderr, warn: toStderr, error: toStderr });

void runCli(process.argv.slice(2), io).then((code) => {
  // An uncaught error has already set a failing code (see `interrupted` in io.ts); the
  // command, which then stopped as if asked to, must not turn it back into success.
  if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
});
