/**
 * The host modes a relay is served through in the parity suite, in process: each connects
 * the test client to the relay and returns how to take the host down again.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
// Line-delimited JSON-RPC is the same both ways, so the server transport serves as the client's too.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createSocketFetch, HttpHost, serveStdio, type ListenAddress } from '../../src/core/host';
import type { Relay } from '../../src/core/mux';

/** Connects `client` to `relay` through a host; resolves to what closes the host. */
export type ParityHost = (relay: Relay, client: Client) => Promise<() => Promise<void>>;

export const PARITY_HOSTS: Readonly<Record<string, ParityHost>> = {
  /** No host: the relay's own transport contract, over an in-memory pair. */
  async memory(relay, client) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await relay.connect(serverSide);
    await client.connect(clientSide);
    return async () => undefined;
  },

  /** HttpHost on loopback TCP with a token, reached by the SDK's Streamable HTTP client. */
  async tcp(relay, client) {
    const token = randomBytes(16).toString('hex');
    const { close } = await overHttp(relay, client, { kind: 'tcp' }, token, (url) => new StreamableHTTPClientTransport(new URL(url), bearer(token)));
    return close;
  },

  /** HttpHost on a unix socket in a private directory, reached through `createSocketFetch`. */
  async socket(relay, client) {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-parity-'));
    const path = join(dir, 'run', 'parity.sock');
    const token = randomBytes(16).toString('hex');
    const { close } = await overHttp(relay, client, { kind: 'socket', path }, token, () =>
      new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), { ...bearer(token), fetch: createSocketFetch(path) }),
    );
    return async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    };
  },

  /** serveStdio over two PassThrough streams, the client holding their other ends. */
  async stdio(relay, client) {
    const toRelay = new PassThrough();
    const fromRelay = new PassThrough();
    const host = await serveStdio(relay, { stdin: toRelay, stdout: fromRelay });
    await client.connect(new StdioServerTransport(fromRelay, toRelay));
    return async () => {
      toRelay.end(); // what a client going away looks like to `mcplex wrap`
      await host.closed;
    };
  },
};

async function overHttp(
  relay: Relay,
  client: Client,
  listen: ListenAddress,
  token: string,
  transport: (url: string) => StreamableHTTPClientTransport,
): Promise<{ close: () => Promise<void> }> {
  const host = await HttpHost.start({ listen, token });
  const mount = host.mount('/mcp', relay);
  try {
    await client.connect(transport(mount.url));
  } catch (error) {
    await host.close();
    throw error;
  }
  return { close: () => host.close() };
}

function bearer(token: string): { requestInit: RequestInit } {
  return { requestInit: { headers: { Authorization: `Bearer ${token}` } } };
}
