/**
 * The contract between a relay and the host that serves it.
 *
 * A relay owns its upstream(s) and the MCP protocol; the host owns the connections
 * (stdio streams, HTTP sessions). Every client connection gets its own SDK `Server`
 * ("session"); all sessions of a relay share the relay's upstream(s).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** One client's connection to a relay. Closing it closes the transport it was given. */
export interface RelaySession {
  close(): Promise<void>;
}

export interface Relay {
  /** Serves one client over `transport` (built, not yet started: the relay starts it). */
  connect(transport: Transport): Promise<RelaySession>;
  /** Closes every session. Upstreams belong to whoever made the sources (the supervisor). */
  close(): Promise<void>;
}
