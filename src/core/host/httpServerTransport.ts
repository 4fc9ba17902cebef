/**
 * The server side of one Streamable HTTP session (MCP 2025-11-25, 2025-06-18, 2025-03-26),
 * on `node:http` directly.
 *
 * Why not the SDK's `StreamableHTTPServerTransport`: it turns every Node request into a web
 * `Request` and back through `@hono/node-server`, zod-parses every message, and answers
 * every POST as an SSE stream; on the relay's hot path (VS Code's path) that cost more than
 * the relaying. Here:
 *
 * - POST with requests: answered as `application/json` when nothing else is sent for them
 *   before their answers, upgraded to `text/event-stream` when the server sends progress,
 *   a log line or a request of its own for one of them first (see HttpExchange).
 *   Notifications and responses only: 202. Batches (JSON arrays) only for protocol
 *   2025-03-26 and older (the `MCP-Protocol-Version` header, 2025-03-26 when absent, as the
 *   spec says); 2025-06-18 removed them.
 * - GET: the session's one SSE stream for messages unrelated to a request (a second: 409).
 * - DELETE: ends the session.
 * - `Mcp-Session-Id` is assigned at `initialize` and required after it; an unsupported
 *   `MCP-Protocol-Version` is refused with 400.
 *
 * The host checks the token, Host and Origin, reads the body under its cap and routes by
 * session before a request reaches this class.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type MessageExtraInfo, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { invalidMessageReason, responseFrame, type RawJson, type RawResponseTransport } from '../wire';
import { HttpExchange, SSE_HEADERS, writeEvent, type Pieces } from './httpExchange';
import { dropNoticeText, laneOf, Outbox, type Lane } from './outbox';
import { DEFAULT_OUTBOX_LIMITS, type OutboxLimits } from './outboxLimits';

export interface HttpServerTransportOptions {
  readonly sessionIdGenerator: () => string;
  /** Called when `initialize` assigns the session id, before the answer leaves. */
  readonly onsessioninitialized?: (sessionId: string) => void;
  /** SSE comment lines on idle streams, so proxies and clients keep them. Default 15 s. */
  readonly keepAliveMs?: number;
  /** The clock of `idleFor` (milliseconds). Default `Date.now`. */
  readonly now?: () => number;
  /** What may wait for a client that reads a stream slowly or not at all (see outboxLimits). */
  readonly limits?: OutboxLimits;
  /** The client stalled a stream (the sentence says how): the session closes right after. */
  readonly onstalled?: (reason: string) => void;
}

/** The version a client speaks when it sends no header (the spec's rule). */
const DEFAULT_VERSION = '2025-03-26';
/** The first version without JSON-RPC batching. */
const NO_BATCH_VERSION = '2025-06-18';
const MAX_BATCH = 100;
/** Messages kept for a GET stream not yet opened; later ones are dropped (the spec allows it). */
const MAX_UNSENT = 64;
const KEEP: Lane = { kind: 'keep' };

interface Classified {
  readonly messages: readonly JSONRPCMessage[];
  readonly requestIds: readonly RequestId[];
  readonly initialize: boolean;
}

export class HttpServerTransport implements Transport, RawResponseTransport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage, extra?: MessageExtraInfo) => void) | undefined;
  sessionId?: string | undefined;

  /** Request id → the POST that carries it. */
  private readonly exchanges = new Map<RequestId, HttpExchange>();
  private standalone: ServerResponse | undefined;
  /** What waits for the GET stream's client while it is behind. */
  private standaloneOutbox: Outbox | undefined;
  /** Streams whose outbox holds too much: while any does, the relay stops reading its upstreams. */
  private readonly congested = new Set<Outbox>();
  /** True while too much waits for the client: the relay stops reading its upstreams. */
  onpressure: ((full: boolean) => void) | undefined = undefined;
  private readonly limits: OutboxLimits;
  /**
   * Messages for the GET stream sent before the client opened it (a request the server makes
   * right after `initialized`, such as an upstream's roots/list): delivered when it opens.
   */
  private readonly unsent: Pieces[] = [];
  private keepAlive: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;
  private readonly now: () => number;
  /** When the session last had a request or a stream in progress. */
  private lastActive: number;

  constructor(private readonly options: HttpServerTransportOptions) {
    this.now = options.now ?? Date.now;
    this.lastActive = this.now();
    this.limits = options.limits ?? DEFAULT_OUTBOX_LIMITS;
  }

  /** Whether a request waits for its answer or the GET stream is open: such a session is not idle, however quiet. */
  get busy(): boolean {
    return this.exchanges.size > 0 || (this.standalone !== undefined && !this.standalone.writableEnded);
  }

  /** How long since the session last had a request or a stream in progress (meaningful when not `busy`). */
  idleFor(): number {
    return Math.max(0, this.now() - this.lastActive);
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('HttpServerTransport already started: Server.connect() starts it.');
    this.started = true;
  }

  /** Serves one request of this session; `body` is the parsed POST body. Resolves once it is dispatched. */
  async handleRequest(request: IncomingMessage, response: ServerResponse, body?: unknown): Promise<void> {
    if (this.closed) return reply(response, 404, -32001, 'Session not found: it was closed; initialize a new session.');
    this.lastActive = this.now();
    switch (request.method) {
      case 'POST':
        return this.post(request, response, body);
      case 'GET':
        return this.get(request, response);
      case 'DELETE':
        return this.delete(request, response);
      default:
        return reply(response, 405, -32000, 'Method not allowed.', { Allow: 'GET, POST, DELETE' });
    }
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const text = JSON.stringify(message);
    const { id, method } = message as { id?: RequestId; method?: string };
    if (method === undefined && id !== undefined) this.answer(id, [text]);
    else this.relate(options?.relatedRequestId, [text], laneOf(message));
    return Promise.resolve();
  }

  sendRawResult(id: RequestId, result: RawJson): Promise<void> {
    const [head, tail] = responseFrame(id);
    this.answer(id, [head, result.json, tail]);
    return Promise.resolve();
  }

  /** Ends every stream (requests still unanswered get an error) and fires `onclose` once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    const exchanges = new Set(this.exchanges.values());
    this.exchanges.clear();
    for (const exchange of exchanges) {
      exchange.abandon((id) => [JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32000, message: 'The MCP session closed before this request was answered.' } })]);
    }
    this.standaloneOutbox?.close();
    if (this.standalone !== undefined && !this.standalone.writableEnded) this.standalone.end();
    this.standalone = undefined;
    this.onclose?.();
  }

  // ---- the three methods ---------------------------------------------------------------

  private async post(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    const accept = request.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return reply(response, 406, -32000, 'Not Acceptable: the client must accept both application/json and text/event-stream.');
    }
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      return reply(response, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json.');
    }
    const version = headerOf(request, 'mcp-protocol-version');
    const classified = classify(body);
    if (typeof classified === 'string') return reply(response, 400, -32600, `Invalid Request: ${classified}`);
    if (Array.isArray(body) && !classified.initialize && (version ?? DEFAULT_VERSION) >= NO_BATCH_VERSION) {
      return reply(response, 400, -32600, `Invalid Request: protocol version ${version ?? DEFAULT_VERSION} does not allow JSON-RPC batches; send one message per POST.`);
    }
    if (classified.initialize) {
      if (this.sessionId !== undefined) return reply(response, 400, -32600, 'Invalid Request: this session is already initialized.');
      if (classified.messages.length > 1) return reply(response, 400, -32600, 'Invalid Request: initialize must be sent alone.');
      this.sessionId = this.options.sessionIdGenerator();
      this.options.onsessioninitialized?.(this.sessionId);
    } else {
      const refused = this.refusal(request, version);
      if (refused !== undefined) return reply(response, ...refused);
      // Two requests under one id cannot both be answered (the answer goes by id): refuse the
      // second at once rather than leave one of them waiting for ever.
      const taken = classified.requestIds.find((id) => this.exchanges.has(id));
      if (taken !== undefined) return reply(response, 400, -32600, `Invalid Request: id ${JSON.stringify(taken)} is already in use in this session.`);
    }

    const extra: MessageExtraInfo = { requestInfo: { headers: request.headers } };
    if (classified.requestIds.length === 0) {
      response.writeHead(202, this.sessionHeaders()).end();
    } else {
      const exchange = new HttpExchange(response, classified.requestIds, Array.isArray(body), this.sessionHeaders(), (sink) => this.outbox(sink));
      for (const id of classified.requestIds) this.exchanges.set(id, exchange);
      // The client went away: its answers have nowhere to go (not a cancellation, says the spec).
      response.once('close', () => this.forget(exchange));
    }
    for (const message of classified.messages) this.onmessage?.(message, extra);
  }

  private async get(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!(request.headers.accept ?? '').includes('text/event-stream')) {
      return reply(response, 406, -32000, 'Not Acceptable: the client must accept text/event-stream.');
    }
    const refused = this.refusal(request, headerOf(request, 'mcp-protocol-version'));
    if (refused !== undefined) return reply(response, ...refused);
    if (this.standalone !== undefined) return reply(response, 409, -32000, 'Conflict: this session already has its GET stream open.');
    this.standalone = response;
    const outbox = this.outbox(response);
    this.standaloneOutbox = outbox;
    response.writeHead(200, { ...this.sessionHeaders(), ...SSE_HEADERS });
    response.flushHeaders();
    for (const pieces of this.unsent.splice(0)) outbox.push(KEEP, pieces);
    response.once('close', () => {
      outbox.close();
      if (this.standalone === response) {
        this.standalone = undefined;
        this.standaloneOutbox = undefined;
      }
      this.lastActive = this.now();
    });
    this.keepAlive ??= setInterval(() => this.ping(), this.options.keepAliveMs ?? 15_000).unref();
  }

  private async delete(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refused = this.refusal(request, headerOf(request, 'mcp-protocol-version'));
    if (refused !== undefined) return reply(response, ...refused);
    response.writeHead(200, this.sessionHeaders()).end();
    await this.close();
  }

  // ---- routing what the server sends -----------------------------------------------------

  private answer(id: RequestId, pieces: Pieces): void {
    const exchange = this.exchanges.get(id);
    if (exchange === undefined) return; // its client went away, or the session closed
    this.exchanges.delete(id);
    this.lastActive = this.now();
    exchange.answer(id, pieces);
  }

  /** A notification or request: on the stream of the request it belongs to, else on the GET stream. */
  private relate(relatedRequestId: RequestId | undefined, pieces: Pieces, lane: Lane): void {
    const exchange = relatedRequestId === undefined ? undefined : this.exchanges.get(relatedRequestId);
    if (exchange?.open === true) {
      exchange.event(pieces, lane);
    } else if (this.standalone !== undefined && !this.standalone.writableEnded) {
      this.standaloneOutbox?.push(lane, pieces);
    } else if (this.standalone === undefined && this.unsent.length < MAX_UNSENT) {
      this.unsent.push(pieces);
    }
    // Else there is no stream to carry it; the spec lets a server drop such messages.
  }

  private forget(exchange: HttpExchange): void {
    for (const id of exchange.ids) if (this.exchanges.get(id) === exchange) this.exchanges.delete(id);
    this.lastActive = this.now();
  }

  private ping(): void {
    // A stream that is behind needs no keep-alive, and must not be given more to hold.
    if (this.standalone !== undefined && !this.standalone.writableEnded && this.standaloneOutbox?.flowing === true) this.standalone.write(': keepalive\n\n');
  }

  /** A bounded outbox for one of this session's SSE streams; a stall closes the whole session. */
  private outbox(response: ServerResponse): Outbox {
    const outbox: Outbox = new Outbox(response, this.limits, {
      write: (pieces) => writeEvent(response, pieces),
      dropNotice: (dropped) => [dropNoticeText(dropped, this.limits.maxLogs)],
      onpressure: (full) => {
        const before = this.congested.size;
        if (full) this.congested.add(outbox);
        else this.congested.delete(outbox);
        if ((before === 0) !== (this.congested.size === 0)) this.onpressure?.(this.congested.size > 0);
      },
      onstall: (reason) => {
        this.options.onstalled?.(reason);
        // A stalled client will not read the rest: end its socket rather than wait on it.
        response.destroy();
        void this.close();
      },
    });
    return outbox;
  }

  // ---- checks ------------------------------------------------------------------------------

  private refusal(request: IncomingMessage, version: string | undefined): [number, number, string] | undefined {
    if (this.sessionId === undefined) return [400, -32000, 'Bad Request: the session is not initialized; send initialize first.'];
    if (headerOf(request, 'mcp-session-id') !== this.sessionId) return [404, -32001, 'Session not found: initialize a new session.'];
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return [400, -32000, `Bad Request: unsupported MCP-Protocol-Version ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}).`];
    }
    return undefined;
  }

  private sessionHeaders(): Record<string, string> {
    return this.sessionId === undefined ? {} : { 'mcp-session-id': this.sessionId };
  }
}

/**
 * The messages of a POST body, or why it is not JSON-RPC. A message the SDK's `Protocol`
 * would drop (see wire/jsonRpcShape) is refused here with the whole POST, as the SDK's own
 * transport does: passed on, a request shaped that way would never be answered.
 */
function classify(body: unknown): Classified | string {
  const list = Array.isArray(body) ? (body as unknown[]) : [body];
  if (list.length === 0) return 'an empty batch.';
  if (list.length > MAX_BATCH) return `a batch may hold at most ${MAX_BATCH} messages.`;
  const requestIds: RequestId[] = [];
  let initialize = false;
  for (const item of list) {
    const invalid = invalidMessageReason(item);
    if (invalid !== undefined) return invalid;
    const { id, method } = item as { id?: RequestId; method?: string };
    if (method !== undefined && id !== undefined) {
      requestIds.push(id);
      if (method === 'initialize') initialize = true;
    }
  }
  if (new Set(requestIds).size !== requestIds.length) return 'two requests of one POST share an id.';
  return { messages: list as JSONRPCMessage[], requestIds, initialize };
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(response: ServerResponse, status: number, code: number, message: string, headers?: OutgoingHttpHeaders): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
