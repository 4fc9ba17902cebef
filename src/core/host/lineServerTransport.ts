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
import { dropNoticeText, laneOf, Outbox, type Lane, type OutPieces } from './outbox';
import { DEFAULT_OUTBOX_LIMITS, type OutboxLimits } from './outboxLimits';

export interface LineServerTransportOptions {
  /** What may wait for a client that reads slowly or not at all (see outboxLimits). */
  readonly limits?: OutboxLimits;
  /** The client stalled (the sentence says how): the transport closes right after. */
  readonly onstalled?: (reason: string) => void;
  /** The largest line the client may send; a longer one is refused with an error (id null). Default 64 MiB. */
  readonly maxMessageBytes?: number;
}

const KEEP: Lane = { kind: 'keep' };

export class LineServerTransport implements Transport, RawResponseTransport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  sessionId?: string | undefined;

  // Bytes, cut before they are decoded: a line past the cap is dropped as it arrives.
  private readonly lines: ByteLineSplitter;
  private started = false;
  private closed = false;
  /** Messages read before `start` (see `readAhead`), handed to the `Protocol` when it starts. */
  private early: JSONRPCMessage[] | undefined;
  private firstArrived: ((message: JSONRPCMessage | undefined) => void) | undefined;
  private readonly outbox: Outbox;
  /** The largest line the client may send. */
  private readonly maxMessageBytes: number;
  /** True while too much waits for the client: the relay stops reading its upstreams. */
  onpressure: ((full: boolean) => void) | undefined = undefined;
  /** The client's requests not yet answered (or cancelled). */
  private readonly inFlight = new Set<RequestId>();

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    options: LineServerTransportOptions = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.lines = createByteLineSplitter((line) => this.receive(typeof line === 'string' ? line : line.toString('utf8')), LARGE_LINE_BYTES, {
      maxBytes: this.maxMessageBytes,
      onTooLarge: (seenBytes) => this.tooLarge(seenBytes),
    });
    const limits = options.limits ?? DEFAULT_OUTBOX_LIMITS;
    this.outbox = new Outbox(output, limits, {
      write: (pieces) => this.writePieces(pieces),
      dropNotice: (dropped) => [`${dropNoticeText(dropped, limits.maxLogs)}\n`],
      onpressure: (full) => this.onpressure?.(full),
      onstall: (reason) => {
        options.onstalled?.(reason);
        void this.close();
      },
    });
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('LineServerTransport already started: Server.connect() starts it.');
    this.started = true;
    const early = this.early;
    this.early = undefined;
    if (early === undefined) this.listen();
    else for (const message of early) this.onmessage?.(message);
  }

  /**
   * Starts reading before `start` and resolves with the first message (`undefined` if the
   * transport closes first): a one-client host reads the client's `initialize` before the
   * relay exists. What it reads is kept and handed to the `Protocol` once it starts.
   */
  readAhead(): Promise<JSONRPCMessage | undefined> {
    if (this.started || this.early !== undefined) throw new Error('LineServerTransport: readAhead() is for before start(), once.');
    this.early = [];
    const first = new Promise<JSONRPCMessage | undefined>((resolve) => (this.firstArrived = resolve));
    this.listen();
    return first;
  }

  private listen(): void {
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const { id, method } = message as { id?: RequestId; method?: string };
    if (method === undefined && id !== undefined) this.inFlight.delete(id);
    return this.write(`${JSON.stringify(message)}\n`, laneOf(message));
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
    if (result.json.length < 16 * 1024) return this.write(`${head}${result.text}${tail}\n`, KEEP);
    this.outbox.push(KEEP, [head, result.json, `${tail}\n`]);
    return Promise.resolve();
  }

  /** Written now, or kept by the outbox's rules while the client is behind (never awaited: it cannot grow). */
  private write(text: string, lane: Lane): Promise<void> {
    this.outbox.push(lane, [text]);
    return Promise.resolve();
  }

  private writePieces(pieces: OutPieces): boolean {
    if (pieces.length === 1) return this.output.write(pieces[0]!);
    this.output.cork();
    let flowing = true;
    for (const piece of pieces) flowing = this.output.write(piece);
    this.output.uncork();
    return flowing;
  }

  /** Stops reading (the streams stay open: they belong to the caller). Fires `onclose` once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.outbox.close();
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    if (this.input.listenerCount('data') === 0) this.input.pause();
    this.firstArrived?.(undefined);
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
    if (this.early !== undefined) {
      this.early.push(message as JSONRPCMessage);
      this.firstArrived?.(message as JSONRPCMessage);
      this.firstArrived = undefined;
      return;
    }
    this.onmessage?.(message as JSONRPCMessage);
  }

  private refuse(id: RequestId | null, code: number, message: string): Promise<void> {
    return this.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`, KEEP);
  }
}
