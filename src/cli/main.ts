// The `mcplex` executable: run the command line, turn its result into an exit code.
import { runCli } from './cli';
import { processIo } from './io';

// stdout carries the protocol (serve, wrap) or the command's result: a dependency that
// logs with console.log must not corrupt it.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
