/**
 * Serves one relay over stdio: the client is whoever holds the other ends of our stdin and
 * stdout (an MCP client that spawned `mcplex`). stdout carries the protocol and nothing
 * else; this module never writes to it itself.
 */
import type { Readable, Writable } from 'node:stream';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { initializeCapabilities, type Relay, type RelaySession } from '../mux';
import { LineServerTransport } from './lineServerTransport';
import { outboxLimits } from './outboxLimits';

export interface StdioHostOptions {
  /** Defaults to `process.stdin`. */
  readonly stdin?: Readable;
  /** Defaults to `process.stdout`. */
  readonly stdout?: Writable;
  /**
   * Called with the client's capabilities from its `initialize`, before the relay serves
   * it: over stdio the client is the only one for the process's life, so its upstreams can
   * be started for exactly that client. `initialize` waits for it, as it waits for a start.
   */
  readonly beforeConnect?: (capabilities: ClientCapabilities) => Promise<void> | void;
  /** Ends the session, also while it waits for the client's first words (a SIGTERM then). */
  readonly signal?: AbortSignal;
  /** The client took nothing from stdout for this long while output waited: the session ends. Default 30 s; 0 never. */
  readonly stallMs?: number;
  /** Why the session ended on its own when its client stalled (for the log). */
  readonly onStalled?: (reason: string) => void;
  /** The largest line the client may send. Default 64 MiB (`DEFAULT_MAX_MESSAGE_BYTES`). */
  readonly maxMessageBytes?: number;
}

export interface StdioHost {
  /**
   * Settles once the session is over: stdin ended (the client went away), stdout failed,
   * the relay closed the session, or `close()` was called. Never rejects.
   */
  readonly closed: Promise<void>;
  /** Ends the session. Idempotent; resolves with `closed`. */
  close(): Promise<void>;
}

export async function serveStdio(relay: Relay, options: StdioHostOptions = {}): Promise<StdioHost> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const transport = new LineServerTransport(stdin, stdout, {
    limits: outboxLimits(options.stallMs === undefined ? {} : { stallMs: options.stallMs }),
    ...(options.onStalled !== undefined && { onstalled: options.onStalled }),
    ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
  });

  let session: RelaySession | undefined;
  let transportClosed = false;
  let closing: Promise<void> | undefined;
  let settle = (): void => undefined;
  const closed = new Promise<void>((resolve) => (settle = resolve));

  const shutdown = async (): Promise<void> => {
    stdin.off('end', onEnd);
    stdin.off('close', onEnd);
    stdout.off('error', onEnd);
    options.signal?.removeEventListener('abort', onEnd);
    // Closing the session closes the transport; close it ourselves only if the relay
    // did not.
    await session?.close().catch(() => undefined);
    if (!transportClosed) {
      await transport.close().catch(() => undefined);
    }
    settle();
  };
  // `closing` is set before `shutdown` runs, so the `onclose` it triggers finds it.
  const close = (): Promise<void> => (closing ??= Promise.resolve().then(shutdown));
  const onEnd = (): void => void close();

  // Set before connect: the SDK's Protocol chains a handler that is already there.
  transport.onclose = () => {
    transportClosed = true;
    void close();
  };
  stdin.once('end', onEnd);
  stdin.once('close', onEnd);
  // EPIPE once the client is gone: nothing more can be said, so the session is over.
  stdout.once('error', onEnd);
  if (options.signal?.aborted === true) void close();
  else options.signal?.addEventListener('abort', onEnd, { once: true });

  try {
    if (options.beforeConnect !== undefined) {
      const first = await transport.readAhead();
      if (closing) return { closed, close };
      // Anything but an initialize first is the client's mistake; the relay answers it, and the upstreams start as for a client of no capabilities.
      await options.beforeConnect(initializeCapabilities(first));
    }
    session = await relay.connect(transport);
  } catch (error) {
    await close();
    throw error;
  }
  if (closing) {
    // stdin ended while the relay was connecting: `close` ran without a session to close.
    await session.close().catch(() => undefined);
  }
  return { closed, close };
}
