/**
 * Sending requests and notifications the relay does not interpret.
 *
 * The SDK types `request()`/`notification()` by the union of requests one side may send,
 * and validates each result against a schema. A relay forwards whatever the other side
 * said, so it sends by method name and accepts any result: the SDK's base `ResultSchema`
 * is a loose object, so payloads pass without a deep parse or a copy.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ResultSchema,
  type ClientNotification,
  type ClientRequest,
  type Result,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';

/** Request or notification parameters as they travel: an object, `_meta` included. */
export type Params = Record<string, unknown> & { _meta?: Record<string, unknown> };

export interface RawMessage {
  readonly method: string;
  readonly params?: Params;
}

// The casts below are the adapter: a relay's messages are whatever the peer sent, which
// the SDK's closed unions cannot describe; the receiving side validates them.

export function requestUpstream(client: Client, message: RawMessage, options: RequestOptions): Promise<Result> {
  return client.request(message as ClientRequest, ResultSchema, options);
}

export function requestDownstream(server: Server, message: RawMessage, options: RequestOptions): Promise<Result> {
  return server.request(message as ServerRequest, ResultSchema, options);
}

export function notifyDownstream(server: Server, message: RawMessage, options?: { relatedRequestId?: string | number }): Promise<void> {
  return server.notification(message as ServerNotification, options);
}

export function notifyUpstream(client: Client, message: RawMessage): Promise<void> {
  return client.notification(message as ClientNotification);
}

/** The params of a message, or an empty object (never `undefined`, so handlers can spread it). */
export function paramsOf(message: { params?: unknown }): Params {
  const params = message.params;
  return typeof params === 'object' && params !== null ? (params as Params) : {};
}
