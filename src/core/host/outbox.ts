/**
 * What one stream (an SSE response, a stdout) owes its client, bounded. A message is
 * written at once while the stream takes it; once a write reports a full buffer, messages
 * wait here until 'drain', by these rules:
 *
 * - `*\/list_changed`, progress for one token, `resources/updated` for one URI, a task's
 *   status: one waiting is enough, the latest replaces the one before (in its place);
 * - log lines (`notifications/message`): at most `maxLogs` wait, later ones are counted and
 *   dropped, and once the stream catches up the client gets one line saying how many;
 * - anything else (answers, the server's requests) waits; past `highWater` the owner is
 *   told to stop the source (`onpressure(true)`, and `false` once empty), past `maxQueued`
 *   or when the client took nothing for `stallMs` the stream is given up (`onstall`).
 */
import type { OutboxLimits } from './outboxLimits';

/** A message as the pieces of its serialized text. */
export type OutPieces = readonly (string | Buffer)[];

/** How a waiting message may be merged or dropped. */
export type Lane = { readonly kind: 'log' } | { readonly kind: 'latest'; readonly key: string } | { readonly kind: 'keep' };

const KEEP: Lane = { kind: 'keep' };
const LOG: Lane = { kind: 'log' };

/** The lane of an outgoing JSON-RPC message. */
export function laneOf(message: { readonly method?: unknown; readonly id?: unknown; readonly params?: unknown }): Lane {
  const method = message.method;
  if (typeof method !== 'string' || message.id !== undefined) return KEEP;
  const params = (typeof message.params === 'object' && message.params !== null ? message.params : {}) as Record<string, unknown>;
  if (method === 'notifications/message') return LOG;
  if (method.endsWith('/list_changed')) return { kind: 'latest', key: method };
  if (method === 'notifications/progress') return { kind: 'latest', key: `progress ${JSON.stringify(params['progressToken'])}` };
  if (method === 'notifications/resources/updated') return { kind: 'latest', key: `updated ${String(params['uri'])}` };
  if (method === 'notifications/tasks/status') return { kind: 'latest', key: `task ${String(params['taskId'])}` };
  return KEEP;
}

/** The stream an outbox writes to: a `ServerResponse` or a `Writable`. */
export interface DrainableSink {
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

export interface OutboxEvents {
  /** Writes one message (framed by the owner); false when the stream's buffer is full. */
  readonly write: (pieces: OutPieces) => boolean;
  /** The message that tells the client how many log lines were dropped. */
  readonly dropNotice: (dropped: number) => OutPieces;
  /** True: too much waits, stop reading the source; false: all written again. */
  readonly onpressure?: (full: boolean) => void;
  /** The stream is given up: its client stalled (the sentence says how); the owner closes the session. */
  readonly onstall: (reason: string) => void;
}

interface Waiting {
  readonly lane: Lane;
  pieces: OutPieces;
}

export class Outbox {
  private readonly queue: Waiting[] = [];
  private logs = 0;
  private dropped = 0;
  private blocked = false;
  private full = false;
  private closed = false;
  private stallTimer: NodeJS.Timeout | undefined;
  private whenFlushed: (() => void) | undefined;

  constructor(
    private readonly sink: DrainableSink,
    private readonly limits: OutboxLimits,
    private readonly events: OutboxEvents,
  ) {}

  /** Whether the stream takes writes now (nothing waits); a keep-alive is only worth writing then. */
  get flowing(): boolean {
    return !this.blocked && !this.closed;
  }

  /** Writes `pieces`, or keeps them by the rules of `lane`. */
  push(lane: Lane, pieces: OutPieces): void {
    if (this.closed) return;
    if (!this.blocked) {
      if (!this.events.write(pieces)) this.block();
      return;
    }
    if (lane.kind === 'log') {
      if (this.logs >= this.limits.maxLogs) {
        this.dropped++;
        return;
      }
      this.logs++;
    } else if (lane.kind === 'latest') {
      const same = this.queue.find((waiting) => waiting.lane.kind === 'latest' && waiting.lane.key === lane.key);
      if (same !== undefined) {
        same.pieces = pieces;
        return;
      }
    }
    this.queue.push({ lane, pieces });
    const others = this.queue.length - this.logs;
    if (others > this.limits.maxQueued) {
      this.giveUp(`${others} messages waited for it (at most ${this.limits.maxQueued})`);
      return;
    }
    if (!this.full && others >= this.limits.highWater) {
      this.full = true;
      this.events.onpressure?.(true);
    }
  }

  /** Calls `then` once everything waiting is written (at once if nothing waits); the owner ends its stream there. */
  afterFlush(then: () => void): void {
    if (this.closed) return;
    if (!this.blocked) then();
    else this.whenFlushed = then;
  }

  /** Forgets what waits and stops its timer; the stream itself belongs to the owner. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.sink.off('drain', this.drained);
    clearTimeout(this.stallTimer);
    if (this.full) {
      this.full = false;
      this.events.onpressure?.(false);
    }
  }

  private block(): void {
    this.blocked = true;
    this.sink.once('drain', this.drained);
    if (this.limits.stallMs > 0) {
      this.stallTimer = setTimeout(() => this.giveUp(`it took nothing for ${Math.round(this.limits.stallMs / 1000)} s`), this.limits.stallMs);
      this.stallTimer.unref();
    }
  }

  private readonly drained = (): void => {
    clearTimeout(this.stallTimer);
    this.blocked = false;
    if (this.closed) return;
    while (this.queue.length > 0) {
      const next = this.queue.shift()!;
      if (next.lane.kind === 'log') this.logs--;
      if (!this.events.write(next.pieces)) return this.block();
    }
    if (this.dropped > 0) {
      const dropped = this.dropped;
      this.dropped = 0;
      if (!this.events.write(this.events.dropNotice(dropped))) return this.block();
    }
    if (this.full) {
      this.full = false;
      this.events.onpressure?.(false);
    }
    const then = this.whenFlushed;
    this.whenFlushed = undefined;
    then?.();
  };

  private giveUp(how: string): void {
    if (this.closed) return;
    const dropped = this.dropped;
    this.close();
    this.events.onstall(`its client stalled: ${how}${dropped > 0 ? `; ${dropped} log messages had been dropped` : ''}`);
  }
}

/** The notice a client gets after log lines were dropped for it, as a JSON-RPC notification's text. */
export function dropNoticeText(dropped: number, maxLogs: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    method: 'notifications/message',
    params: {
      level: 'warning',
      logger: 'mcplex',
      data: `mcplex dropped ${dropped} log message${dropped === 1 ? '' : 's'}: this client did not read them as fast as they came (at most ${maxLogs} wait per stream).`,
    },
  });
}
