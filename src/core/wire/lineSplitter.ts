/**
 * Cuts a stream into lines: the framing of stdio JSON-RPC (one message per line) and of a
 * process's stderr. `createLineSplitter` takes decoded text (stderr); `createByteLineSplitter`
 * takes bytes (a stdio upstream's stdout), so a large line is never decoded. `\r\n` counts
 * as one line break.
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

/** Lines from 64 KiB up stay bytes: a large result is passed on, never decoded (mux/rawJson). */
export const LARGE_LINE_BYTES = 64 * 1024;

export interface ByteLineSplitter {
  push(chunk: Buffer): void;
  /** Delivers what is left after the last line break, if anything. */
  end(): void;
}

/** A ceiling on one line, and who hears of a line past it. */
export interface LineLimit {
  readonly maxBytes: number;
  /**
   * A line grew past `maxBytes`: what had arrived of it is dropped, and the rest up to its
   * line break is skipped as it comes (so memory stays under the cap). Called once per line.
   */
  readonly onTooLarge: (seenBytes: number) => void;
}

/**
 * Cuts a byte stream on `0x0A` (the stdout of a stdio upstream). A line shorter than
 * `largeFrom` bytes is delivered as a string, decoded once from its own bytes (so a
 * character split across chunks decodes whole); a longer one as one Buffer, the only copy
 * of it the relay makes. `\r\n` counts as one line break. With a `limit`, no line longer
 * than `limit.maxBytes` is ever gathered.
 */
export function createByteLineSplitter(onLine: (line: string | Buffer) => void, largeFrom = LARGE_LINE_BYTES, limit?: LineLimit): ByteLineSplitter {
  const maxBytes = limit?.maxBytes ?? Number.POSITIVE_INFINITY;
  // A line this short can be neither large nor over the cap.
  const fastBelow = Math.min(largeFrom, maxBytes);
  let pending: Buffer[] = [];
  let pendingLength = 0;
  /** Inside a line that was refused: bytes are dropped until its line break. */
  let skipping = false;
  const deliver = (last: Buffer): void => {
    const parts = pending;
    let length = pendingLength + last.length;
    pending = [];
    pendingLength = 0;
    const line = parts.length === 0 ? last : Buffer.concat([...parts, last], length);
    if (length > 0 && line[length - 1] === 13) length--;
    onLine(length < largeFrom ? line.toString('utf8', 0, length) : line.subarray(0, length));
  };
  const refuse = (seenBytes: number): void => {
    pending = [];
    pendingLength = 0;
    skipping = true;
    limit?.onTooLarge(seenBytes);
  };
  return {
    push(chunk) {
      let start = 0;
      let newline: number;
      while ((newline = chunk.indexOf(10, start)) !== -1) {
        if (skipping) {
          skipping = false;
        } else if (pendingLength === 0 && newline - start < fastBelow) {
          // The common case, a whole small line inside one chunk: decoded straight from
          // the chunk, without a Buffer view of it (one object less per message).
          const end = newline > start && chunk[newline - 1] === 13 ? newline - 1 : newline;
          onLine(chunk.toString('utf8', start, end));
        } else if (pendingLength + newline - start > maxBytes + 1) {
          // + 1: a trailing \r is not part of the message.
          refuse(pendingLength + newline - start);
          skipping = false;
        } else {
          deliver(chunk.subarray(start, newline));
        }
        start = newline + 1;
      }
      if (start < chunk.length && !skipping) {
        const rest = chunk.length - start;
        if (pendingLength + rest > maxBytes + 1) {
          refuse(pendingLength + rest);
        } else {
          pending.push(chunk.subarray(start));
          pendingLength += rest;
        }
      }
    },
    end() {
      skipping = false;
      if (pendingLength > 0) deliver(Buffer.alloc(0));
    },
  };
}
