/**
 * A multi-session relay's sessions as its upstreams' runners follow them (`ClientSessions`):
 * what each client announced, whether a call is in flight, and word of each arrival,
 * departure and idle. A client whose `initialize` the host read first is counted from then
 * (`arrive`), so an upstream to be told more is restarted before that session is served.
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Member } from './member';
import type { Disposable } from './upstreamSource';

export interface Arrival {
  readonly capabilities: ClientCapabilities;
  /** The members its arrival restarted: its `initialize` waits for them as for a start. */
  readonly restarted: readonly Member[];
}

export class SessionWatch {
  private readonly arriving = new Set<Arrival>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly members: readonly Member[]) {}

  /** The capabilities of the sessions past `initialized`, and of the clients arriving. */
  capabilities(sessions: Iterable<{ readonly initialized: boolean; readonly clientCapabilities?: ClientCapabilities }>): readonly ClientCapabilities[] {
    const served = [...sessions].flatMap((session) => (session.initialized && session.clientCapabilities !== undefined ? [session.clientCapabilities] : []));
    return [...served, ...[...this.arriving].map((arrival) => arrival.capabilities)];
  }

  busy(): boolean {
    return this.members.some((member) => member.inflight.size > 0);
  }

  onChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Counts a client from its `initialize` until `settled`; the members it restarted are those whose state changed as it was told. */
  arrive(capabilities: ClientCapabilities): Arrival {
    const before = new Map(this.members.map((member) => [member, member.state()]));
    const restarted: Member[] = [];
    const arrival: Arrival = { capabilities, restarted };
    this.arriving.add(arrival);
    this.changed();
    restarted.push(...this.members.filter((member) => member.state() !== before.get(member)));
    return arrival;
  }

  /** The arriving client is a session now (counted at its `initialized`), or never became one. Idempotent. */
  settled(arrival: Arrival): void {
    this.arriving.delete(arrival);
  }

  /** The arriving client never became a session (refused, failed): what its presence held back may go ahead. */
  abandoned(arrival: Arrival): void {
    if (this.arriving.delete(arrival)) this.changed();
  }

  /** The last call in flight ended: a restart that waited for it may go ahead. */
  idle(): void {
    if (!this.busy()) this.changed();
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
