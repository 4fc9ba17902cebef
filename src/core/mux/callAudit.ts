/**
 * The audit around a `tools/call`, for both paths (fastPath and the handlers): the
 * outermost step of a call, so whatever happens inside it — a confirmation declined, the
 * upstream's error, the request timeout — is recorded with its outcome and duration.
 *
 * The relay does no file I/O itself: the `CallAudit` port is given per member (the
 * engine passes the instance's `core/audit` recorder). Without one, a call costs nothing
 * extra. With one, recording is synchronous and queued; only `admit` (when the audit is
 * required) is awaited before the call goes up.
 */
import { ErrorCode, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { CallOutcome, CallRecord } from '../audit';
import { RawJson } from '../wire';
import { DECLINED_META_KEY } from './callApproval';
import { RelayError } from './errors';

export interface CallAudit {
  /** `undefined`: go ahead; a promise: wait for it, and refuse the call if it rejects (fail closed). */
  admit(): Promise<void> | undefined;
  /** Takes the finished call; must return at once. */
  record(call: CallRecord): void;
}

/** Runs `call` under `audit` (when there is one). `args` are the arguments as sent upstream. */
export function audited<T extends Result | RawJson>(audit: CallAudit | undefined, instance: string, tool: string, args: unknown, call: () => Promise<T>): Promise<T> {
  return audit === undefined ? call() : recorded(audit, instance, tool, args, call);
}

async function recorded<T extends Result | RawJson>(audit: CallAudit, instance: string, tool: string, args: unknown, call: () => Promise<T>): Promise<T> {
  const startedAt = Date.now();
  const started = performance.now();
  const admission = audit.admit();
  if (admission !== undefined) {
    await admission.catch((error: unknown) => {
      throw new RelayError('audit-unavailable', error instanceof Error ? error.message : String(error), ErrorCode.InternalError, instance, { cause: error });
    });
  }
  let outcome: CallOutcome = 'error';
  try {
    const result = await call();
    outcome = outcomeOf(result);
    return result;
  } catch (error) {
    // Typed, never read off the message: explainUpstreamFailure's RelayError for the request timeout.
    outcome = error instanceof RelayError && error.code === 'upstream-timeout' ? 'timed-out' : 'error';
    throw error;
  } finally {
    audit.record({ startedAt, tool, outcome, durationMs: performance.now() - started, arguments: args });
  }
}

// In the raw text a key is always followed by its closing quote; inside a string value the
// same characters are escaped (`\"isError\"`), so a match is a key of the result itself
// or of an object in it. Tool results keep `isError` at the top level; a nested match in
// `structuredContent` is the one misreading left, and it errs toward "error".
const RAW_ERROR = /"isError"\s*:\s*true/;
const RAW_DECLINED = /"mcplex\/declined"\s*:\s*true/;

/** How a result (the upstream's raw text, or an object) reads in the trail. */
export function outcomeOf(result: Result | RawJson): CallOutcome {
  if (result instanceof RawJson) {
    if (RAW_DECLINED.test(result.text)) return 'declined';
    return RAW_ERROR.test(result.text) ? 'error' : 'ok';
  }
  if (result._meta?.[DECLINED_META_KEY] === true) return 'declined';
  return result['isError'] === true ? 'error' : 'ok';
}
