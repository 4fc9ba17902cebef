/**
 * One POST that carries requests, and the HTTP response that answers them (Streamable
 * HTTP). It starts as a plain JSON answer; the first message the server sends *for* one of
 * its requests before the answers are complete (progress, a log line, a sampling request)
 * turns it into an SSE stream, which then carries that message, any later ones and the
 * answers, and ends after the last answer. A POST whose answers come first gets them as
 * `application/json` (one object, or an array for a batch), with a Content-Length.
 *
 * Messages are written as text pieces, so a result the relay holds as text (mux/rawJson)
 * goes to the socket without being joined into one more copy.
 */
import type { ServerResponse } from 'node:http';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Lane, Outbox } from './outbox';

const KEEP: Lane = { kind: 'keep' };

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

/** Bodies under this are joined into one string; larger ones go out piece by piece, uncopied. */
const SMALL_BODY_BYTES = 64 * 1024;

/** A message as the pieces of its serialized text; a large result is a piece of bytes (mux/rawJson). */
export type Pieces = readonly (string | Buffer)[];

export class HttpExchange {
  private readonly answers = new Map<RequestId, Pieces>();
  private streaming = false;
  private finished = false;
  /** Bounds what waits for this stream once it is SSE (see outbox). */
  private outbox: Outbox | undefined;

  constructor(
    private readonly response: ServerResponse,
    /** The ids of the requests it carries, in order. */
    readonly ids: readonly RequestId[],
    /** A batch is answered with an array, even of one. */
    private readonly batch: boolean,
    private readonly headers: Readonly<Record<string, string>>,
    private readonly makeOutbox: (response: ServerResponse) => Outbox,
  ) {}

  /** Whether it can still carry messages (answered, or its client went away: no). */
  get open(): boolean {
    return !this.finished && !this.response.destroyed && !this.response.writableEnded;
  }

  /** A message related to one of its requests: switches to SSE if it has not already. */
  event(pieces: Pieces, lane: Lane): void {
    if (!this.open) return;
    this.startStream().push(lane, pieces);
  }

  /** The answer to `id`; returns true once every request has its answer (the exchange is done). */
  answer(id: RequestId, pieces: Pieces): boolean {
    if (this.finished) return true;
    if (this.streaming) {
      if (this.open) this.outbox?.push(KEEP, pieces);
      this.answers.set(id, []);
    } else {
      this.answers.set(id, pieces);
    }
    if (this.answers.size < this.ids.length) return false;
    this.finish();
    return true;
  }

  /** The session is closing: every request still unanswered gets `error`, then it ends. */
  abandon(error: (id: RequestId) => Pieces): void {
    for (const id of this.ids) if (!this.answers.has(id)) this.answer(id, error(id));
  }

  private finish(): void {
    this.finished = true;
    if (this.response.destroyed || this.response.writableEnded) return;
    if (this.streaming) {
      const response = this.response;
      this.outbox?.afterFlush(() => response.end());
      return;
    }
    const bodies = this.ids.map((id) => this.answers.get(id) ?? []);
    const pieces = this.batch ? ['[', ...bodies.flatMap((body, i) => (i === 0 ? body : [',', ...body])), ']'] : (bodies[0] ?? []);
    let length = 0;
    let text = true;
    for (const piece of pieces) {
      length += Buffer.byteLength(piece);
      if (typeof piece !== 'string') text = false;
    }
    this.response.writeHead(200, { ...this.headers, 'Content-Type': 'application/json', 'Content-Length': length });
    if (text && length < SMALL_BODY_BYTES) {
      // Node writes the head and a string given to end() in one write: one syscall per answer.
      this.response.end(pieces.join(''));
      return;
    }
    writePieces(this.response, pieces);
    this.response.end();
  }

  private startStream(): Outbox {
    if (this.outbox !== undefined) return this.outbox;
    this.streaming = true;
    const outbox = this.makeOutbox(this.response);
    this.outbox = outbox;
    this.response.once('close', () => outbox.close());
    this.response.writeHead(200, { ...this.headers, ...SSE_HEADERS });
    // Answers that were already in (a batch) go first.
    for (const [id, pieces] of this.answers) {
      outbox.push(KEEP, pieces);
      this.answers.set(id, []);
    }
    return outbox;
  }
}

/** One SSE event carrying one JSON-RPC message. JSON text has no raw line breaks but may have a `\r` between tokens. */
/** Returns false when the socket's buffer is full (wait for 'drain'). */
export function writeEvent(response: ServerResponse, pieces: Pieces): boolean {
  const safe = pieces.map((piece) => (!piece.includes('\r') ? piece : typeof piece === 'string' ? piece.replace(/\r/g, '') : withoutCarriageReturns(piece)));
  return writePieces(response, ['event: message\ndata: ', ...safe, '\n\n']);
}

function withoutCarriageReturns(bytes: Buffer): Buffer {
  // A \r byte is only ever a \r in UTF-8 (continuation bytes are 0x80 and up).
  return Buffer.from(bytes.filter((byte) => byte !== 13));
}

function writePieces(response: ServerResponse, pieces: Pieces): boolean {
  if (pieces.length === 1) return response.write(pieces[0]!);
  response.cork();
  let flowing = true;
  for (const piece of pieces) if (piece.length > 0) flowing = response.write(piece);
  response.uncork();
  return flowing;
}
