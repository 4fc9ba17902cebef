/**
 * The server side of MCP over stdio: newline-delimited JSON-RPC on a pair of streams.
 *
 * Why not the SDK's `StdioServerTransport`: it validates every incoming message against
 * the whole JSON-RPC schema with zod before the `Protocol` looks at it, which on a relay's
 * hot path costs as much as the relaying itself (a `tools/call` whose arguments are
 * passed on untouched). Here a line is `JSON.parse`d and its envelope checked by hand as the
 * SDK's `Protocol` would (wire/jsonRpcShape); the receiving side validates what it uses.
 *
 * Every request gets an answer: a line that is not JSON gets a parse error, a request the
 * `Protocol` would drop gets an invalid-request error under its id, and a request whose id is
 * still in flight is refused at once (two answers under one id could not be told apart).
 */
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import {
  answerIdOf,
  invalidMessageReason,
  responseFrame,
  type RawJson,
  type RawResponseTransport,
  createByteLineSplitter,
  type ByteLineSplitter,
  DEFAULT_MAX_MESSAGE_BYTES,
  describeBytes,
  LARGE_LINE_BYTES,
  MessageTooLargeError,
} from '../wire';

export class LineServerTransport implements Transport, RawResponseTransport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  sessionId?: string | undefined;

  // Bytes, cut before they are decoded: a line past the cap is dropped as it arrives.
  private readonly lines: ByteLineSplitter;
  private started = false;
  private closed = false;
  private drained: Promise<void> | undefined;
  /** The client's requests not yet answered (or cancelled). */
  private readonly inFlight = new Set<RequestId>();

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    /** The largest line the client may send; a longer one is refused with an error (id null). */
    private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {
    this.lines = createByteLineSplitter((line) => this.receive(typeof line === 'string' ? line : line.toString('utf8')), LARGE_LINE_BYTES, {
      maxBytes: maxMessageBytes,
      onTooLarge: (seenBytes) => this.tooLarge(seenBytes),
    });
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('LineServerTransport already started: Server.connect() starts it.');
    this.started = true;
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const { id, method } = message as { id?: RequestId; method?: string };
    if (method === undefined && id !== undefined) this.inFlight.delete(id);
    return this.write(`${JSON.stringify(message)}\n`);
  }

  /**
   * A response whose result is the upstream's text (a line of its own, so without line
   * breaks). Written in three pieces, so a large result is not copied into a joined string.
   */
  sendRawResult(id: RequestId, result: RawJson): Promise<void> {
    this.inFlight.delete(id);
    const [head, tail] = responseFrame(id);
    // Small results are joined into one write; a large one (bytes, from 64 KiB up) is
    // written as it is, never decoded.
    if (result.json.length < 16 * 1024) return this.write(`${head}${result.text}${tail}\n`);
    this.output.cork();
    this.output.write(head);
    this.output.write(result.json);
    const flushed = this.output.write(`${tail}\n`);
    this.output.uncork();
    return flushed ? Promise.resolve() : this.waitForDrain();
  }

  private write(text: string): Promise<void> {
    if (this.output.write(text)) return Promise.resolve();
    return this.waitForDrain();
  }

  private waitForDrain(): Promise<void> {
    // Backpressure: one wait shared by every send that meets a full pipe.
    this.drained ??= new Promise<void>((resolve) =>
      this.output.once('drain', () => {
        this.drained = undefined;
        resolve();
      }),
    );
    return this.drained;
  }

  /** Stops reading (the streams stay open: they belong to the caller). Fires `onclose` once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    if (this.input.listenerCount('data') === 0) this.input.pause();
    this.onclose?.();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  };

  private tooLarge(seenBytes: number): void {
    if (this.closed) return;
    this.onerror?.(new MessageTooLargeError('The client', this.maxMessageBytes, seenBytes));
    // Its id was never read: the answer can only carry null.
    void this.refuse(null, -32600, `Invalid Request: the message is larger than the ${describeBytes(this.maxMessageBytes)} cap.`);
  }

  private readonly onInputError = (error: Error): void => {
    this.onerror?.(error);
  };

  /** The hot path: one line, one message. */
  private receive(line: string): void {
    if (line.length === 0 || this.closed) return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.onerror?.(new Error(`Answered a line that is not JSON with a parse error: ${line.slice(0, 200)}`, { cause: error }));
      void this.refuse(null, -32700, 'Parse error: the line is not valid JSON.');
      return;
    }
    const invalid = invalidMessageReason(message);
    if (invalid !== undefined) {
      this.onerror?.(new Error(`Refused a line that is not a JSON-RPC 2.0 message the server accepts (${invalid}): ${line.slice(0, 200)}`));
      const id = answerIdOf(message);
      if (id !== undefined) void this.refuse(id, -32600, `Invalid Request: ${invalid}`);
      return;
    }
    const { id, method, params } = message as { id?: RequestId; method?: string; params?: { requestId?: unknown } };
    if (id !== undefined && method !== undefined) {
      if (this.inFlight.has(id)) {
        void this.refuse(id, -32600, `Invalid Request: id ${JSON.stringify(id)} is already in use in this session.`);
        return;
      }
      this.inFlight.add(id);
    } else if (method === 'notifications/cancelled') {
      // A cancelled request gets no answer: its id is free again.
      this.inFlight.delete(params?.requestId as RequestId);
    }
    this.onmessage?.(message as JSONRPCMessage);
  }

  private refuse(id: RequestId | null, code: number, message: string): Promise<void> {
    return this.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`).catch(() => undefined);
  }
}
