/**
 * The contract between a relay and the host that serves it.
 *
 * A relay owns its upstream(s) and the MCP protocol; the host owns the connections
 * (stdio streams, HTTP sessions). Every client connection gets its own SDK `Server`
 * ("session"); all sessions of a relay share the relay's upstream(s).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Catalog } from '../catalog';
import type { Disposable } from './upstreamSource';

/** One client's connection to a relay. Closing it closes the transport it was given. */
export interface RelaySession {
  close(): Promise<void>;
}

export interface Relay {
  /**
   * Serves one client over `transport` (built, not yet started: the relay starts it).
   * `capabilities`: what the client's `initialize` announces, when the host has read it already.
   */
  connect(transport: Transport, capabilities?: ClientCapabilities): Promise<RelaySession>;
  /** Closes every session. Upstreams belong to whoever made the sources (the supervisor). */
  close(): Promise<void>;
}

/**
 * A relay's tool catalog as the runtime reads it (see core/catalog): rebuilt when a member
 * comes up, goes down or changes its list, with or without a client connected.
 */
export interface CatalogSource {
  /** The last tool catalog built; `undefined` before the first. */
  catalog(): Catalog<Tool, unknown> | undefined;
  /** Called each time a catalog is built (it may equal the last one). */
  onCatalogChange(listener: () => void): Disposable;
}

/** The clients a relay serves (sessions past `initialized`), for views beside the upstream's state. */
export interface ClientSource {
  clients(): number;
  /** Called when a client arrives or leaves. */
  onClientsChange(listener: () => void): Disposable;
}

/**
 * The sessions of a multi-session relay as its upstreams' runners follow them, to tell each
 * upstream what its clients can serve (engine/sessionCapabilities.ts).
 */
export interface ClientSessions {
  /** What each client announced at its `initialize`: those past `notifications/initialized`, and those being connected. */
  sessionCapabilities(): readonly ClientCapabilities[];
  /** How many sessions are served already (past `notifications/initialized`): an upstream is never restarted under one. */
  servedSessions(): number;
  /** Whether a request to any upstream of the relay is in flight (a restart would cut it). */
  busy(): boolean;
  /**
   * Called when a client arrives (at its `initialize`, before it is served, when the host said
   * what it supports; else at `initialized`) or leaves, and when the last request in flight ends.
   */
  onSessionsChange(listener: () => void): Disposable;
}

export function hasClientSessions(relay: Relay): relay is Relay & ClientSessions {
  return typeof (relay as Partial<ClientSessions>).onSessionsChange === 'function';
}
