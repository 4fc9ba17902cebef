/**
 * Every way the parity suite reaches server-everything: directly; each relay kind (one
 * instance, an aggregate of two) in process through each host mode; and the real CLI.
 */
import { connectedUpstream, createAggregateRelay, createInstanceRelay, type Relay } from '../../src/core/mux';
import { PARITY_HOSTS } from './parityHosts';
import { cliServeTarget, cliWrapTarget, directTarget } from './parityProcesses';
import { observedEverything, parityClient, type ParityTarget } from './parityTarget';

interface BuiltRelay extends Pick<ParityTarget, 'upstreamReceived' | 'upstreamCapabilities' | 'tool' | 'uri'> {
  readonly relay: Relay;
  /** Closes the relay, then its upstream processes. */
  close(): Promise<void>;
}

const RELAYS: Readonly<Record<string, () => Promise<BuiltRelay>>> = {
  async instance() {
    const upstream = await observedEverything('everything/ev');
    const relay = createInstanceRelay({ source: connectedUpstream('ev', upstream.connection.client), slug: 'ev', label: 'Everything', prefixTools: true });
    return {
      relay,
      upstreamReceived: () => upstream.received,
      upstreamCapabilities: () => upstream.connection.serverCapabilities,
      tool: (name) => `ev__${name}`,
      uri: (uri) => uri,
      close: async () => {
        await relay.close();
        await upstream.connection.close();
      },
    };
  },
  async aggregate() {
    const [a, b] = await Promise.all([observedEverything('everything/a'), observedEverything('everything/b')]);
    const relay = createAggregateRelay({
      members: [
        { source: connectedUpstream('a', a.connection.client), label: 'A' },
        { source: connectedUpstream('b', b.connection.client), label: 'B' },
      ],
    });
    return {
      relay,
      upstreamReceived: () => a.received,
      upstreamCapabilities: () => a.connection.serverCapabilities,
      tool: (name) => `a__${name}`,
      uri: (uri) => `mcplex://a/${uri}`,
      close: async () => {
        await relay.close();
        await Promise.all([a.connection.close(), b.connection.close()]);
      },
    };
  },
};

function relayThroughHost(relayKind: string, hostKind: string): () => Promise<ParityTarget> {
  const build = RELAYS[relayKind];
  const host = PARITY_HOSTS[hostKind];
  if (build === undefined || host === undefined) throw new Error(`no ${relayKind} relay or ${hostKind} host`);
  return async () => {
    const built = await build();
    const client = parityClient();
    let closeHost: () => Promise<void>;
    try {
      closeHost = await host(built.relay, client);
    } catch (error) {
      await built.close();
      throw error;
    }
    return {
      client,
      upstreamReceived: built.upstreamReceived,
      upstreamCapabilities: built.upstreamCapabilities,
      tool: built.tool,
      uri: built.uri,
      close: async () => {
        await client.close();
        await closeHost();
        await built.close();
      },
    };
  };
}

/** Target name → how to reach it. Names read as "<what> over <how>". */
export const PARITY_TARGETS: ReadonlyMap<string, () => Promise<ParityTarget>> = new Map([
  ['direct (stdio)', directTarget],
  ...Object.keys(RELAYS).flatMap((relayKind) =>
    Object.keys(PARITY_HOSTS).map((hostKind) => [`${relayKind} relay over ${hostKind}`, relayThroughHost(relayKind, hostKind)] as const),
  ),
  ['mcplex wrap (process, stdio)', cliWrapTarget],
  ['mcplex serve aggregate (process, HTTP + token)', cliServeTarget],
]);
