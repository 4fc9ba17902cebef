/**
 * The ceiling on one JSON-RPC message, read from an upstream's stdout or a client's stdin.
 *
 * Why 64 MiB by default: a line is buffered whole before it is parsed, and past 512 MiB V8
 * cannot even decode it (the process died with every instance in it); one line of N bytes
 * costs about three times N at its peak (the chunks, the joined line, the parsed value).
 * 64 MiB keeps that peak near 200 MB — bearable in VS Code's extension host — while leaving
 * room for any result a model can use (a whole context window is a few MB of text; a
 * base64 image or file of tens of MB still passes).
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A message larger than the cap: never buffered whole, never parsed. */
export class MessageTooLargeError extends Error {
  readonly code = 'message-too-large';
  constructor(
    /** Who sent it: the instance, or `the client`. */
    readonly from: string,
    readonly maxBytes: number,
    /** How much of it had arrived when it was refused. */
    readonly seenBytes: number,
  ) {
    super(`${from} sent a message larger than the ${describeBytes(maxBytes)} cap (${describeBytes(seenBytes)} so far, without an end); raise the cap (mcplex serve --max-message-mb; in VS Code, the mcplex.maxMessageMB setting) if such messages are expected`);
    this.name = 'MessageTooLargeError';
  }
}

export function describeBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
  return `${bytes} bytes`;
}
