/**
 * Backpressure from the clients to the upstreams: while any session's client is behind (its
 * transport says so, see host/outbox), the relay stops reading its upstreams' output, so a
 * stdio upstream blocks in its own write, as it would behind a slow client of its own. Log
 * lines never hold it (they are capped and dropped per client); what does is output that
 * cannot be dropped (answers, the server's requests, notifications that cannot be merged).
 * A client that never catches up is closed by its host after the stall time, which lets go.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { UpstreamSource } from './upstreamSource';

/** A transport that tells when too much waits for its client. */
export interface PressureSignal {
  onpressure?: ((full: boolean) => void) | undefined;
}

export function signalsPressure(transport: Transport): transport is Transport & PressureSignal {
  return 'onpressure' in transport;
}

export class UpstreamPressure {
  private readonly behind = new Set<object>();

  constructor(private readonly sources: readonly UpstreamSource[]) {}

  /** `session`'s client is behind (true) or caught up (false). */
  set(session: object, full: boolean): void {
    const before = this.behind.size > 0;
    if (full) this.behind.add(session);
    else this.behind.delete(session);
    const now = this.behind.size > 0;
    if (before !== now) for (const source of this.sources) source.holdReading?.(now);
  }

  /** The session is gone: it holds nothing any more. */
  drop(session: object): void {
    this.set(session, false);
  }
}
