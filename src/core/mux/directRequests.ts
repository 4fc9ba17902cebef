/**
 * Requests the relay forwards without interpreting (a `tools/call` without a progress
 * token, a `resources/read`…), sent on the upstream client's transport under ids of their
 * own and answered straight from it.
 *
 * Why beside the SDK's `Client`: its `Protocol` runs zod type guards on every incoming
 * message and parses each result against a schema (a copy of the result object), and sets
 * up progress and timeout bookkeeping a plain forward does not use; on the relay's hot
 * path that is most of the relay's own time. Everything else — the handshake, the
 * upstream's notifications and requests, progress-carrying requests — stays with the
 * `Client`, which never sees these ids (they are strings; the SDK numbers its own).
 *
 * Same contract as `Client.request`: errors from the upstream reject as `McpError` with
 * the upstream's code, message and data; aborting sends `notifications/cancelled`; a
 * closed connection rejects with `ConnectionClosed`, a timeout with `RequestTimeout`.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { Params } from './wire';

interface Waiting {
  resolve(result: Result): void;
  reject(error: unknown): void;
}

interface ResponseLike {
  readonly id?: unknown;
  readonly method?: unknown;
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

  constructor(private readonly transport: Transport) {
    // The Client's Protocol installed these in connect(); answers to our ids stop here,
    // everything else goes on to it.
    const onmessage = transport.onmessage;
    const onclose = transport.onclose;
    transport.onmessage = (message: JSONRPCMessage, extra) => {
      const response = message as ResponseLike;
      if (response.method === undefined && typeof response.id === 'string' && response.id.startsWith(ID_PREFIX)) {
        this.settle(response.id, response);
        return;
      }
      onmessage?.(message, extra);
    };
    transport.onclose = () => {
      this.closed = true;
      const error = new McpError(ErrorCode.ConnectionClosed, 'Connection closed');
      for (const waiting of this.waiting.values()) waiting.reject(error);
      this.waiting.clear();
      onclose?.();
    };
  }

  request(method: string, params: Params, signal: AbortSignal, timeoutMs: number): Promise<Result> {
    if (this.closed) return Promise.reject(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'));
    if (signal.aborted) return Promise.reject(signal.reason);
    const id = `${ID_PREFIX}${this.nextId++}`;
    return new Promise<Result>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const cancel = (reason: unknown): void => {
        if (!this.waiting.delete(id)) return;
        cleanup();
        void this.transport.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: String(reason) } }).catch(ignore);
        reject(reason);
      };
      const onAbort = (): void => cancel(signal.reason);
      const timer = setTimeout(() => cancel(new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs })), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(id, {
        resolve: (result) => {
          cleanup();
          resolve(result);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      this.transport.send({ jsonrpc: '2.0', id, method, params } as JSONRPCMessage).catch((error: unknown) => {
        if (this.waiting.delete(id)) {
          cleanup();
          reject(error);
        }
      });
    });
  }

  private settle(id: string, response: ResponseLike): void {
    const waiting = this.waiting.get(id);
    if (waiting === undefined) return; // cancelled or timed out meanwhile
    this.waiting.delete(id);
    if (response.error !== undefined) waiting.reject(new McpError(response.error.code, response.error.message, response.error.data));
    else waiting.resolve(response.result ?? {});
  }
}

function ignore(): void {
  // The upstream is gone: there is nobody left to tell about the cancellation.
}
