/**
 * JSON the relay passes on without parsing it: a tool's result as the upstream wrote it,
 * spliced into the response to the client under the client's id.
 *
 * Why: parsing a result only to serialize it again is most of a relay's work on a large
 * result (`JSON.stringify` of 10 MB takes ~35 ms, `JSON.parse` ~10–45 ms) and holds two
 * more copies of it. The envelope scanner below reads only the top level of a response
 * line (`id`, `result`, `error`, `method`) and skips the values by their structure:
 * strings by `indexOf('"')`, objects and arrays by bracket depth. It checks that structure
 * (balanced brackets, closed strings, one object and nothing after it), not the whole
 * grammar: the client parses what it receives anyway.
 */
import type { JSONRPCMessage, RequestId, Result } from '@modelcontextprotocol/sdk/types.js';

/** Serialized JSON, passed on as text. */
export class RawJson {
  constructor(readonly json: string) {}
}

/** A server transport that can write a response whose result is already serialized. */
export interface RawResponseTransport {
  sendRawResult(id: RequestId, result: RawJson): Promise<void>;
}

export function canSendRaw(transport: object): transport is RawResponseTransport {
  return typeof (transport as Partial<RawResponseTransport>).sendRawResult === 'function';
}

/** `{"jsonrpc":"2.0","id":<id>,"result":` … `}`: the parts around a raw result. */
export function responseFrame(id: RequestId): readonly [string, string] {
  return [`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`, '}'];
}

/** A response object for transports that only send objects (the one parse we could not avoid). */
export function parsedResponse(id: RequestId, result: Result | RawJson): JSONRPCMessage {
  return { jsonrpc: '2.0', id, result: result instanceof RawJson ? (JSON.parse(result.json) as Result) : result };
}

/** Where the members of one JSON-RPC message's top-level object are in its text. */
export interface Envelope {
  /** The parsed `id` (a string, a number, or null); `undefined` when absent. */
  readonly id: unknown;
  readonly hasMethod: boolean;
  /** `[start, end)` of the `result` value, if there is one. */
  readonly result: readonly [number, number] | undefined;
  readonly error: readonly [number, number] | undefined;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;
const COMMA = 44;

/** The envelope of `text`, or `undefined` when it is not a well-formed JSON object. */
export function scanEnvelope(text: string): Envelope | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpace(text, i + 1);
  let id: unknown;
  let hasMethod = false;
  let result: [number, number] | undefined;
  let error: [number, number] | undefined;
  if (text.charCodeAt(i) === CLOSE_BRACE) {
    i++;
  } else {
    for (;;) {
      if (text.charCodeAt(i) !== QUOTE) return undefined;
      const keyEnd = skipString(text, i);
      if (keyEnd < 0) return undefined;
      const key = keyOf(text, i, keyEnd);
      if (key === undefined) return undefined;
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== COLON) return undefined;
      const start = skipSpace(text, i + 1);
      const end = skipValue(text, start);
      if (end < 0) return undefined;
      switch (key) {
        case 'id':
          try {
            id = JSON.parse(text.slice(start, end));
          } catch {
            return undefined;
          }
          break;
        case 'method':
          hasMethod = true;
          break;
        case 'result':
          result = [start, end];
          break;
        case 'error':
          error = [start, end];
          break;
      }
      i = skipSpace(text, end);
      const next = text.charCodeAt(i);
      if (next === CLOSE_BRACE) {
        i++;
        break;
      }
      if (next !== COMMA) return undefined;
      i = skipSpace(text, i + 1);
    }
  }
  if (skipSpace(text, i) !== text.length) return undefined;
  return { id, hasMethod, result, error };
}

function keyOf(text: string, start: number, end: number): string | undefined {
  const inner = text.slice(start + 1, end - 1);
  if (!inner.includes('\\')) return inner;
  try {
    return JSON.parse(text.slice(start, end)) as string;
  } catch {
    return undefined;
  }
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

/** From the opening quote at `i` to just past the closing one; -1 if it never closes. */
function skipString(text: string, i: number): number {
  let at = i;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at + 1;
  }
}

/** Past the value that starts at `i`; -1 when its structure is broken. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return skipContainer(text, i);
  // A number, true, false or null: up to the next delimiter.
  let end = i;
  for (;;) {
    const c = text.charCodeAt(end);
    if (Number.isNaN(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 32 || c === 10 || c === 13 || c === 9) break;
    if (c === QUOTE || c === OPEN_BRACE || c === OPEN_BRACKET || c === COLON) return -1;
    end++;
  }
  return end > i ? end : -1;
}

function skipContainer(text: string, i: number): number {
  // The open brackets, innermost last: a `}` must close a `{`, a `]` a `[`.
  const open: number[] = [];
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      open.push(c);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (open.pop() !== (c === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) return -1;
      if (open.length === 0) return i + 1;
    }
    i++;
  }
  return -1;
}
