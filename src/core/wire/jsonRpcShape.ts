/**
 * Whether a parsed value is a JSON-RPC message the SDK's `Protocol` will act on, checked
 * by hand at the cost of a few property reads.
 *
 * Why: the `Protocol` drops a message that fails its strict schemas (an extra top-level key,
 * `params` that is not an object, a fractional id, a `result` beside `method`) with nothing
 * but an `onerror`, so a request shaped that way is never answered. The host transports ask
 * here first and answer such a request themselves. The rules are the SDK's
 * (`JSONRPCMessageSchema` in `@modelcontextprotocol/sdk/types.js`), kept equal to it by a
 * property test; zod itself is what the transports avoid on the hot path.
 */

/** An id as the SDK accepts it: a string or a safe integer. */
type Id = string | number;

const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const NOTIFICATION_KEYS = new Set(['jsonrpc', 'method', 'params']);
const RESULT_KEYS = new Set(['jsonrpc', 'id', 'result']);
const ERROR_KEYS = new Set(['jsonrpc', 'id', 'error']);
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** Why `value` is not a JSON-RPC message the SDK accepts, or undefined when it is one. */
export function invalidMessageReason(value: unknown): string | undefined {
  if (!isRecord(value)) return 'a message must be a JSON object.';
  if (value['jsonrpc'] !== '2.0') return 'jsonrpc must be "2.0".';
  if ('method' in value) {
    if (typeof value['method'] !== 'string') return 'method must be a string.';
    const request = 'id' in value;
    if (request && !isId(value['id'])) return 'a request id must be a string or an integer.';
    const extra = extraKey(value, request ? REQUEST_KEYS : NOTIFICATION_KEYS);
    if (extra !== undefined) return `unexpected member "${extra}" in a ${request ? 'request' : 'notification'}.`;
    return 'params' in value ? invalidParamsReason(value['params']) : undefined;
  }
  if ('result' in value) {
    if (!isId(value['id'])) return 'a response id must be a string or an integer.';
    const extra = extraKey(value, RESULT_KEYS);
    if (extra !== undefined) return `unexpected member "${extra}" in a response.`;
    if (!isRecord(value['result'])) return 'result must be an object.';
    return '_meta' in value['result'] ? invalidMetaReason(value['result']['_meta']) : undefined;
  }
  if ('error' in value) {
    if ('id' in value && !isId(value['id'])) return 'an error response id must be a string or an integer.';
    const extra = extraKey(value, ERROR_KEYS);
    if (extra !== undefined) return `unexpected member "${extra}" in an error response.`;
    const error = value['error'];
    if (!isRecord(error) || !Number.isSafeInteger(error['code']) || typeof error['message'] !== 'string') {
      return 'error must be an object with an integer code and a string message.';
    }
    return undefined;
  }
  return 'a message needs a method, a result or an error.';
}

/**
 * The id to answer an invalid message with: its own when it is a request's (a string or a
 * finite number, so the client can match it), null when it has an id that cannot be one,
 * undefined when it needs no answer (a notification, or a response of the client's).
 */
export function answerIdOf(value: unknown): Id | null | undefined {
  if (!isRecord(value)) return null;
  const looksLikeResponse = !('method' in value) && ('result' in value || 'error' in value);
  if (looksLikeResponse || !('id' in value)) return undefined;
  const id = value['id'];
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

function invalidParamsReason(params: unknown): string | undefined {
  if (!isRecord(params)) return 'params must be an object.';
  return '_meta' in params ? invalidMetaReason(params['_meta']) : undefined;
}

function invalidMetaReason(meta: unknown): string | undefined {
  if (!isRecord(meta)) return '_meta must be an object.';
  if ('progressToken' in meta && !isId(meta['progressToken'])) return 'a progressToken must be a string or an integer.';
  if (RELATED_TASK in meta) {
    const related = meta[RELATED_TASK];
    if (!isRecord(related) || typeof related['taskId'] !== 'string') return `_meta["${RELATED_TASK}"] must be an object with a string taskId.`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is Id {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

function extraKey(value: Record<string, unknown>, allowed: ReadonlySet<string>): string | undefined {
  for (const key in value) if (!allowed.has(key)) return key;
  return undefined;
}
