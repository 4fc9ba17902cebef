/**
 * Errors the relay makes itself, and how any error crosses the wire to the client.
 *
 * A `RelayError` has a stable string `code` for programs and logs, the JSON-RPC code the
 * client receives, and the instance it is about. Errors from an upstream are not ours:
 * they pass through with their own code, message and data.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { MessageTooLargeError } from '../wire';

export type RelayErrorCode =
  | 'unknown-tool'
  | 'ambiguous-tool'
  | 'unknown-account'
  | 'hidden-tool'
  | 'unknown-prompt'
  | 'unknown-resource'
  | 'unknown-task'
  | 'instance-down'
  | 'upstream-closed'
  | 'upstream-timeout'
  | 'message-too-large'
  | 'no-client'
  | 'method-not-found'
  | 'approval-unavailable'
  /** `audit.required` and the instance's audit trail cannot be written: the call was not forwarded. */
  | 'audit-unavailable';

export class RelayError extends Error {
  override readonly name = 'RelayError';
  constructor(
    readonly code: RelayErrorCode,
    message: string,
    /** The JSON-RPC error code the client sees. */
    readonly rpcCode: number,
    readonly instance?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * An error as the client will receive it: the SDK's `Protocol` sends `code`, `message` and
 * `data` of whatever a handler throws. Unlike `McpError` it keeps the message unprefixed.
 */
export class WireError extends Error {
  override readonly name = 'WireError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

// The SDK's McpError prefixes its message with "MCP error <code>: "; passing it through as is
// would print the prefix twice at the client.
const SDK_PREFIX = /^MCP error -?\d+: /;

/** What the client receives for an error thrown while relaying. */
export function toWireError(error: unknown): WireError {
  if (error instanceof WireError) return error;
  if (error instanceof RelayError) {
    return new WireError(error.rpcCode, error.message, { code: error.code, ...(error.instance !== undefined && { instance: error.instance }) });
  }
  if (error instanceof McpError) return new WireError(error.code, error.message.replace(SDK_PREFIX, ''), error.data);
  return new WireError(ErrorCode.InternalError, error instanceof Error ? error.message : String(error));
}

/**
 * Words an upstream failure that is the relay's business (the connection closed, a
 * timeout) so the client learns which instance and what to do; anything else passes.
 */
export function explainUpstreamFailure(error: unknown, instance: string, method: string, restarting: boolean, timeoutMs: number, lostBecause?: Error): unknown {
  if (!(error instanceof McpError)) return error;
  if (error.code === ErrorCode.ConnectionClosed) {
    const next = restarting ? 'it is being restarted; retry in a moment' : 'check its logs, then restart it';
    // The relay closed it for a reason of its own (a message over the cap): that reason is the answer.
    if (lostBecause instanceof MessageTooLargeError) {
      return new RelayError('message-too-large', `${lostBecause.message}. Its ${method} failed and ${next}.`, ErrorCode.InternalError, instance, { cause: lostBecause });
    }
    return new RelayError('upstream-closed', `Instance "${instance}" stopped while ${method} was in flight (the upstream restarted or exited): ${next}.`, ErrorCode.ConnectionClosed, instance, { cause: error });
  }
  if (error.code === ErrorCode.RequestTimeout && /timed out|timeout/i.test(error.message)) {
    return new RelayError('upstream-timeout', `Instance "${instance}" did not answer ${method} within ${timeoutMs} ms; raise the request timeout if the tool is slow.`, ErrorCode.RequestTimeout, instance, { cause: error });
  }
  return error;
}
