/**
 * Cuts a stream of decoded text into lines: the framing of stdio JSON-RPC (one message per
 * line) and of a process's stderr. `\r\n` counts as one line break.
 */
export interface LineSplitter {
  push(chunk: string): void;
  /** Delivers what is left after the last line break, if anything. */
  end(): void;
}

/**
 * `maxLineLength` bounds memory when a process writes without ever breaking the line: the
 * text gathered so far is delivered as a line of its own (cut) and the rest follows later.
 */
export function createLineSplitter(
  onLine: (line: string) => void,
  maxLineLength = Number.POSITIVE_INFINITY,
): LineSplitter {
  let pending = '';
  const deliver = (line: string): void => {
    onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  };
  return {
    push(chunk) {
      let start = 0;
      let newline = chunk.indexOf('\n');
      if (newline === -1) {
        pending += chunk;
      } else {
        // The first line completes whatever an earlier chunk left pending.
        deliver(pending + chunk.slice(0, newline));
        pending = '';
        start = newline + 1;
        while ((newline = chunk.indexOf('\n', start)) !== -1) {
          deliver(chunk.slice(start, newline));
          start = newline + 1;
        }
        pending = chunk.slice(start);
      }
      if (pending.length > maxLineLength) {
        const cut = pending;
        pending = '';
        deliver(cut);
      }
    },
    end() {
      if (pending !== '') {
        const rest = pending;
        pending = '';
        deliver(rest);
      }
    },
  };
}
