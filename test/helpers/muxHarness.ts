/**
 * Test plumbing for the relay: in-process upstream servers linked by in-memory transports,
 * a relay over them, and a downstream client. Nothing here spawns a process.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { connectedUpstream, RELAY_CLIENT_CAPABILITIES, type Relay, type UpstreamSource } from '../../src/core/mux';

/** Connects a relay-side client to an in-process upstream server; returns its source. */
export async function upstreamOf(key: string, server: McpServer | Server): Promise<{ source: UpstreamSource; client: Client }> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'mcplex-relay', version: '0.0.0' }, { capabilities: RELAY_CLIENT_CAPABILITIES });
  await client.connect(clientSide);
  return { source: connectedUpstream(key, client), client };
}

/**
 * A downstream client of `relay`, connected through an in-memory pair. `prepare` runs before
 * the client connects (handlers for requests the relay may send the moment it is initialized).
 */
export async function clientOf(relay: Relay, capabilities: ClientCapabilities = {}, prepare?: (client: Client) => void): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await relay.connect(serverSide);
  const client = new Client({ name: 'test-client', version: '0.0.0' }, { capabilities });
  prepare?.(client);
  await client.connect(clientSide);
  return client;
}

/** Resolves when `predicate` holds, polling briefly; fails the test after `ms`. */
export async function eventually(predicate: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const NOTE = (label: string): string => `Note: this is one of multiple instances of this server, labeled "${label}".`;
