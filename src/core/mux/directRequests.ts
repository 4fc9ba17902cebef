/**
 * Requests the relay forwards without interpreting (`tools/call`, `resources/read`,
 * `prompts/get`…), sent on the upstream client's transport under ids of their own and
 * answered straight from it.
 *
 * Why beside the SDK's `Client`: its `Protocol` runs zod type guards on every incoming
 * message and parses each result against a schema (a copy of the result object), and sets
 * up progress and timeout bookkeeping for every request; on the relay's hot path that is
 * most of the relay's own time. Everything else — the handshake, the upstream's other
 * notifications and its requests — stays with the `Client`, which never sees these ids
 * (they are strings; the SDK numbers its own) nor the progress tokens (the same strings).
 *
 * On a transport that hands out raw lines (`RawLineTransport`, the stdio upstream), an
 * answer to one of our ids is not parsed at all: `requestRaw` resolves with the result's
 * text (see rawJson), which the relay splices into its answer to the client.
 *
 * Same contract as `Client.request`: errors from the upstream reject as `McpError` with
 * the upstream's code, message and data; aborting sends `notifications/cancelled`; a
 * closed connection rejects with `ConnectionClosed`, a timeout with `RequestTimeout`, and
 * progress restarts the timeout.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage, type Result } from '@modelcontextprotocol/sdk/types.js';
import { type CancelSignal, RawJson, scanEnvelope, sliceJson, sliceText, type Envelope, type JsonText, type Params } from '../wire';

/** A transport that offers each incoming line before parsing it; `true` means "taken". */
export interface RawLineTransport extends Transport {
  /** A line as text, or as bytes when it is large (never decoded if it is ours). */
  onrawline: ((line: JsonText) => boolean) | undefined;
}

export interface DirectRequestOptions {
  readonly signal: CancelSignal;
  readonly timeoutMs: number;
  /** Progress the upstream reports, without its token (the caller adds its own). */
  readonly onprogress?: (progress: Params) => void;
}

interface Waiting {
  readonly raw: boolean;
  readonly timeoutMs: number;
  /** `Date.now()` after which the request times out; progress moves it. */
  deadline: number;
  resolve(result: Result | RawJson): void;
  reject(error: unknown): void;
  /** Gives up on the request: the upstream is told, the caller gets `reason`. */
  cancel(reason: unknown): void;
  progress: ((progress: Params) => void) | undefined;
}

interface MessageLike {
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: Params;
  readonly result?: Result;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

const ID_PREFIX = 'mcplex-';
const channels = new WeakMap<Client, DirectChannel | null>();

/** The channel of a connected client, created on first use; `undefined` if it has no transport. */
export function directChannel(client: Client): DirectChannel | undefined {
  let channel = channels.get(client);
  if (channel === undefined) {
    const transport = client.transport;
    channel = transport === undefined ? null : new DirectChannel(transport);
    channels.set(client, channel);
  }
  return channel ?? undefined;
}

export class DirectChannel {
  private readonly waiting = new Map<string, Waiting>();
  private nextId = 1;
  private closed = false;
  /**
   * One sweep for every request's timeout, instead of a timer per request: a `setTimeout`
   * and its `clearTimeout` per call were a visible part of the relay's time, and a timeout
   * firing up to a tenth of its length late changes nothing for the caller.
   */
  private sweeper: NodeJS.Timeout | undefined;
  private sweepEveryMs = Number.POSITIVE_INFINITY;

  constructor(private readonly transport: Transport) {
    // The Client's Protocol installed these in connect(); answers to our ids (and progress
    // for them) stop here, everything else goes on to it.
    const onmessage = transport.onmessage;
    const onclose = transport.onclose;
    transport.onmessage = (message: JSONRPCMessage, extra) => {
      if (!this.take(message as MessageLike)) onmessage?.(message, extra);
    };
    transport.onclose = () => {
      this.closed = true;
      const error = new McpError(ErrorCode.ConnectionClosed, 'Connection closed');
      for (const waiting of this.waiting.values()) waiting.reject(error);
      this.waiting.clear();
      this.stopSweeping();
      onclose?.();
    };
    if (isRawLineTransport(transport)) transport.onrawline = (line) => this.takeLine(line);
  }

  /** The upstream's result as an object. */
  async request(method: string, params: Params, options: DirectRequestOptions): Promise<Result> {
    const result = await this.send(method, params, options, false);
    return result instanceof RawJson ? (JSON.parse(result.text) as Result) : result;
  }

  /** The upstream's result as its text where the transport allows, else as an object. */
  requestRaw(method: string, params: Params, options: DirectRequestOptions): Promise<Result | RawJson> {
    return this.send(method, params, options, true);
  }

  private send(method: string, params: Params, options: DirectRequestOptions, raw: boolean): Promise<Result | RawJson> {
    if (this.closed) return Promise.reject(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'));
    const { signal, timeoutMs, onprogress } = options;
    if (signal.aborted) return Promise.reject(signal.reason);
    const id = `${ID_PREFIX}${this.nextId++}`;
    // Our id doubles as the progress token: unique on this connection, and ours to route.
    const sent = onprogress === undefined ? params : { ...params, _meta: { ...params._meta, progressToken: id } };
    return new Promise<Result | RawJson>((resolve, reject) => {
      const onAbort = (): void => waiting.cancel(signal.reason);
      const waiting: Waiting = {
        raw,
        timeoutMs,
        deadline: Date.now() + timeoutMs,
        resolve: (result) => {
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
        cancel: (reason) => {
          if (!this.release(id)) return;
          signal.removeEventListener('abort', onAbort);
          void this.transport.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: String(reason) } }).catch(ignore);
          reject(reason);
        },
        progress:
          onprogress === undefined
            ? undefined
            : (progress) => {
                waiting.deadline = Date.now() + timeoutMs;
                onprogress(progress);
              },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(id, waiting);
      this.watchDeadlines(timeoutMs);
      this.transport.send({ jsonrpc: '2.0', id, method, params: sent } as JSONRPCMessage).catch((error: unknown) => {
        if (this.release(id)) waiting.reject(error);
      });
    });
  }

  /**
   * Makes sure a sweep runs often enough for a request that times out after `timeoutMs`.
   * The sweep keeps the process alive only while a request waits (as a timer per request
   * did); it stops itself at the first sweep that finds nothing waiting.
   */
  private watchDeadlines(timeoutMs: number): void {
    const every = Math.min(1000, Math.max(5, Math.floor(timeoutMs / 10)));
    if (this.sweeper === undefined || every < this.sweepEveryMs) {
      clearInterval(this.sweeper);
      this.sweepEveryMs = every;
      this.sweeper = setInterval(() => this.sweep(), every);
    } else if (this.waiting.size === 1) {
      this.sweeper.ref();
    }
  }

  /** Forgets a waiting request; true if it was still waiting. */
  private release(id: string): boolean {
    if (!this.waiting.delete(id)) return false;
    if (this.waiting.size === 0) this.sweeper?.unref();
    return true;
  }

  private sweep(): void {
    if (this.waiting.size === 0) {
      this.stopSweeping();
      return;
    }
    const now = Date.now();
    for (const waiting of this.waiting.values()) {
      if (waiting.deadline <= now) waiting.cancel(new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: waiting.timeoutMs }));
    }
  }

  private stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.sweepEveryMs = Number.POSITIVE_INFINITY;
  }

  /** A parsed message: an answer to one of our ids, or progress for one. */
  private take(message: MessageLike): boolean {
    if (message.method === undefined) {
      if (!isOurs(message.id)) return false;
      const waiting = this.claim(message.id);
      if (waiting === undefined) return true; // cancelled or timed out meanwhile
      if (message.error !== undefined) waiting.reject(new McpError(message.error.code, message.error.message, message.error.data));
      else waiting.resolve(message.result ?? {});
      return true;
    }
    if (message.method !== 'notifications/progress') return false;
    const token = message.params?.['progressToken'];
    if (!isOurs(token)) return false;
    const waiting = this.waiting.get(token);
    if (waiting?.progress !== undefined) {
      const { progressToken: _token, ...progress } = message.params ?? {};
      waiting.progress(progress);
    }
    return true;
  }

  /** A raw line: an answer to one of our ids is settled without parsing its result. */
  private takeLine(line: JsonText): boolean {
    if (this.waiting.size === 0) return false;
    const envelope = scanEnvelope(line);
    if (envelope === undefined || envelope.hasMethod || !isOurs(envelope.id)) return false;
    const waiting = this.claim(envelope.id);
    if (waiting === undefined) return true;
    try {
      settleRaw(waiting, line, envelope);
    } catch (error) {
      waiting.reject(error);
    }
    return true;
  }

  private claim(id: string): Waiting | undefined {
    const waiting = this.waiting.get(id);
    if (waiting !== undefined) this.release(id);
    return waiting;
  }
}

function settleRaw(waiting: Waiting, line: JsonText, envelope: Envelope): void {
  if (envelope.error !== undefined) {
    const error = JSON.parse(sliceText(line, ...envelope.error)) as MessageLike['error'];
    waiting.reject(new McpError(error?.code ?? ErrorCode.InternalError, error?.message ?? 'Upstream error', error?.data));
  } else if (envelope.result === undefined) {
    waiting.resolve({});
  } else if (waiting.raw) {
    waiting.resolve(new RawJson(sliceJson(line, ...envelope.result)));
  } else {
    waiting.resolve(JSON.parse(sliceText(line, ...envelope.result)) as Result);
  }
}

function isOurs(id: unknown): id is string {
  return typeof id === 'string' && id.startsWith(ID_PREFIX);
}

function isRawLineTransport(transport: Transport): transport is RawLineTransport {
  return 'onrawline' in transport;
}

function ignore(): void {
  // The upstream is gone: there is nobody left to tell about the cancellation.
}
