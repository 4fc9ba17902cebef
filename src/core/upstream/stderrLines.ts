/**
 * A stdio upstream's stderr: read line by line, each line capped, and the last lines kept so
 * that an error ("exited with code 1", "could not start") can quote the process's own last
 * words. Kept apart from `ProcessTransport`, whose job is the protocol on stdin/stdout;
 * stderr is only ever text for people (logs, error messages), never on the relay's hot path.
 */
import type { Readable } from 'node:stream';
import { createLineSplitter } from '../wire';

/** A stderr line longer than this is cut, so a process that never breaks lines cannot eat memory. */
const MAX_STDERR_LINE = 64 * 1024;

/** Calls `onLine` with each line of `stderr` (without its line break), `onError` with a read error. */
export function readStderrLines(
  stderr: Readable | null,
  onLine: (line: string) => void,
  onError: (error: Error) => void,
): void {
  const lines = createLineSplitter(onLine, MAX_STDERR_LINE);
  stderr?.setEncoding('utf8');
  stderr?.on('data', (chunk: string) => lines.push(chunk));
  stderr?.on('end', () => lines.end());
  stderr?.on('error', onError);
}

/** The last lines, bounded: a chatty server writes stderr for as long as it runs. */
export class StderrTail {
  private readonly kept: string[] = [];

  /** @param limit How many lines to keep; older ones are dropped. */
  constructor(private readonly limit: number) {}

  push(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.limit) {
      this.kept.shift();
    }
  }

  /** A copy, oldest first. */
  lines(): string[] {
    return [...this.kept];
  }
}
