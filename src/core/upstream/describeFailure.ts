/**
 * Turning a failed connect into the why of an `UpstreamConnectionError` message: short,
 * specific, and never carrying a header value or a URL's credentials or query (either may
 * hold a secret).
 */
import {
  exitSummary,
  formatStderrTail,
  ProcessStartError,
  UpstreamTimeoutError,
  type ProcessExitedError,
} from './errors';
import { redactValues } from '../redaction';

/** Enough stderr to see the error, not so much that the message drowns. */
const TAIL_IN_MESSAGE = 10;

/** The why of a failed stdio start, from the error and what the process wrote to stderr. */
export function describeStdioFailure(
  error: unknown,
  exited: ProcessExitedError | undefined,
  stderrTail: readonly string[],
): string {
  if (error instanceof ProcessStartError) {
    return error.reason;
  }
  if (exited !== undefined) {
    const tail = formatStderrTail(exited.stderrTail.slice(-TAIL_IN_MESSAGE));
    return `the process ${exitSummary(exited.exitCode, exited.signal)} before the MCP handshake finished${tail}`;
  }
  return `${messageOf(error)}${formatStderrTail(stderrTail.slice(-TAIL_IN_MESSAGE))}`;
}

/** The why of a failed HTTP or SSE connect. */
export function describeRemoteFailure(error: unknown, headers: Readonly<Record<string, string>>): string {
  return redactValues(messageOf(error), Object.values(headers));
}

/** `origin + path` only: no user info, no query, no fragment. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** An error's message, with the system error code of a failed fetch (`ECONNREFUSED`). */
function messageOf(error: unknown): string {
  if (error instanceof UpstreamTimeoutError) {
    return error.message;
  }
  if (!(error instanceof Error)) {
    return String(error);
  }
  const code = errnoCode(error.cause) ?? errnoCode(error);
  const message = error.message || error.name;
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}

function errnoCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const code = (value as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return code;
  }
  // undici wraps a refused connection as `cause: AggregateError` (one per address tried).
  const errors = (value as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errors.map(errnoCode).find((found) => found !== undefined) : undefined;
}
