/**
 * What a relay needs from an upstream: the connected SDK `Client` of the moment, and
 * word when it (re)connects or goes down. The supervisor implements this over real
 * processes and restarts them underneath; `connectedUpstream` wraps one already
 * connected client (tests, `mcplex wrap` without supervision).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Implementation, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';

export interface UpstreamConnection {
  readonly client: Client;
  readonly serverCapabilities: ServerCapabilities;
  readonly serverInfo: Implementation;
  readonly instructions?: string;
}

/**
 * The life of one upstream, as a relay needs it: the live connection while `up`, and
 * whether a `down` one is coming back (the relay's errors say so). Kept by the supervisor,
 * which also reports each step as a `SupervisorEvent`; the window folds those events into
 * the `InstanceState` the user sees (runtime/instanceState.ts), which this type does not
 * feed: it is for relays only, and carries what a view must not hold (the client).
 */
export type UpstreamState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'up'; readonly connection: UpstreamConnection }
  /** `restarting`: the supervisor is bringing it back; the relay says so in its errors. */
  | { readonly kind: 'down'; readonly reason: string; readonly restarting: boolean; readonly cause?: unknown }
  | { readonly kind: 'stopped' };

export interface Disposable {
  dispose(): void;
}

export interface UpstreamSource {
  /** The instance key (`work`): the prefix in an aggregate, the name in errors. */
  readonly key: string;
  state(): UpstreamState;
  /** Called on every change of state, including a new connection after a restart. */
  onStateChange(listener: (state: UpstreamState) => void): Disposable;
  /** Resolves once the first start has settled (`up`, `down` or `stopped`), never rejects. */
  whenSettled(): Promise<void>;
  /**
   * Stops (true) or resumes (false) reading the upstream's output while a client is behind
   * (see pressure.ts). Counted: each relay over this source holds and lets go once. Optional:
   * a source that cannot pause is read on, and the clients' outboxes bound what waits.
   */
  holdReading?(paused: boolean): void;
}

/** A source over one client that is already connected; it goes `down` when the client closes. */
export function connectedUpstream(key: string, client: Client): UpstreamSource {
  const serverCapabilities = client.getServerCapabilities();
  const serverInfo = client.getServerVersion();
  if (!serverCapabilities || !serverInfo) {
    throw new Error(`connectedUpstream("${key}"): connect the client before handing it to the relay.`);
  }
  const instructions = client.getInstructions();
  const connection: UpstreamConnection = {
    client,
    serverCapabilities,
    serverInfo,
    ...(instructions !== undefined && { instructions }),
  };
  let state: UpstreamState = { kind: 'up', connection };
  const listeners = new Set<(state: UpstreamState) => void>();
  const previousOnClose = client.onclose;
  client.onclose = () => {
    previousOnClose?.();
    state = { kind: 'down', reason: 'the upstream closed the connection', restarting: false };
    for (const listener of [...listeners]) listener(state);
  };
  return {
    key,
    state: () => state,
    onStateChange(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    whenSettled: () => Promise.resolve(),
  };
}

/**
 * The same source under another key, keeping its methods bound: the relays use the key as
 * the prefix, which need not be the supervisor's key for the instance.
 */
export function withKey(source: UpstreamSource, key: string): UpstreamSource {
  if (source.key === key) return source;
  return {
    key,
    state: () => source.state(),
    onStateChange: (listener) => source.onStateChange(listener),
    whenSettled: () => source.whenSettled(),
    holdReading: (paused) => source.holdReading?.(paused),
  };
}
