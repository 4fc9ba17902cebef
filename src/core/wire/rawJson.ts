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
 *
 * A large line arrives as bytes (`Buffer`, see upstream/lineSplitter) and stays bytes: the
 * scanner reads a Buffer the same way (JSON's structural characters are ASCII, and a UTF-8
 * continuation byte is never one of them), the result is a `subarray` of the line, and the
 * host writes it to the client without ever decoding it.
 */
import type { JSONRPCMessage, RequestId, Result } from '@modelcontextprotocol/sdk/types.js';

/** Serialized JSON as text, or as UTF-8 bytes when it came in as a large line. */
export type JsonText = string | Buffer;

/** Serialized JSON, passed on as it is. */
export class RawJson {
  constructor(readonly json: JsonText) {}

  /** The JSON as a string (decodes bytes: for the paths that must parse it anyway). */
  get text(): string {
    return typeof this.json === 'string' ? this.json : this.json.toString('utf8');
  }
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
  return { jsonrpc: '2.0', id, result: result instanceof RawJson ? (JSON.parse(result.text) as Result) : result };
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

/** The code unit (string) or byte (Buffer) at `i`; NaN past the end, as `charCodeAt` gives. */
function at(text: JsonText, i: number): number {
  return typeof text === 'string' ? text.charCodeAt(i) : (text[i] ?? Number.NaN);
}

/** `[start, end)` of `text` as a string. */
export function sliceText(text: JsonText, start: number, end: number): string {
  return typeof text === 'string' ? text.slice(start, end) : text.toString('utf8', start, end);
}

/** `[start, end)` of `text`, bytes staying bytes (a view, not a copy). */
export function sliceJson(text: JsonText, start: number, end: number): JsonText {
  return typeof text === 'string' ? text.slice(start, end) : text.subarray(start, end);
}

/** The envelope of `text`, or `undefined` when it is not a well-formed JSON object. */
export function scanEnvelope(text: JsonText): Envelope | undefined {
  let i = skipSpace(text, 0);
  if (at(text, i) !== OPEN_BRACE) return undefined;
  i = skipSpace(text, i + 1);
  let id: unknown;
  let hasMethod = false;
  let result: [number, number] | undefined;
  let error: [number, number] | undefined;
  if (at(text, i) === CLOSE_BRACE) {
    i++;
  } else {
    for (;;) {
      if (at(text, i) !== QUOTE) return undefined;
      const keyEnd = skipString(text, i);
      if (keyEnd < 0) return undefined;
      const key = keyOf(text, i, keyEnd);
      if (key === undefined) return undefined;
      i = skipSpace(text, keyEnd);
      if (at(text, i) !== COLON) return undefined;
      const start = skipSpace(text, i + 1);
      const end = skipValue(text, start);
      if (end < 0) return undefined;
      switch (key) {
        case 'id':
          try {
            id = JSON.parse(sliceText(text, start, end));
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
      const next = at(text, i);
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

function keyOf(text: JsonText, start: number, end: number): string | undefined {
  const inner = sliceText(text, start + 1, end - 1);
  if (!inner.includes('\\')) return inner;
  try {
    return JSON.parse(sliceText(text, start, end)) as string;
  } catch {
    return undefined;
  }
}

function skipSpace(text: JsonText, i: number): number {
  for (;;) {
    const c = at(text, i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

/** From the opening quote at `i` to just past the closing one; -1 if it never closes. */
function skipString(text: JsonText, i: number): number {
  let quote = i;
  for (;;) {
    quote = typeof text === 'string' ? text.indexOf('"', quote + 1) : text.indexOf(QUOTE, quote + 1);
    if (quote < 0) return -1;
    let slashes = 0;
    while (at(text, quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
  }
}

/** Past the value that starts at `i`; -1 when its structure is broken. */
function skipValue(text: JsonText, i: number): number {
  const first = at(text, i);
  if (first === QUOTE) return skipString(text, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return skipContainer(text, i);
  // A number, true, false or null: up to the next delimiter.
  let end = i;
  for (;;) {
    const c = at(text, end);
    if (Number.isNaN(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 32 || c === 10 || c === 13 || c === 9) break;
    if (c === QUOTE || c === OPEN_BRACE || c === OPEN_BRACKET || c === COLON) return -1;
    end++;
  }
  return end > i ? end : -1;
}

function skipContainer(text: JsonText, i: number): number {
  // The open brackets, innermost last: a `}` must close a `{`, a `]` a `[`.
  const open: number[] = [];
  const length = text.length;
  while (i < length) {
    const c = at(text, i);
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
