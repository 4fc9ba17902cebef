/**
 * The parity suite's vocabulary: a target is one way of reaching
 * `@modelcontextprotocol/server-everything` (directly, or through mcplex in some host mode),
 * seen by the same test client, with what the suite needs to look behind it.
 */
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  type JSONRPCMessage,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamSpec } from '../../src/core/config/model';
import { RELAY_CLIENT_CAPABILITIES } from '../../src/core/mux';
import { connectUpstream, type UpstreamConnection } from '../../src/core/upstream/connect';
import { EVERYTHING_ENTRY } from './everything';

export interface ParityTarget {
  readonly client: Client;
  /** Every message the (first) upstream process received so far. */
  upstreamReceived(): readonly JSONRPCMessage[];
  /** What the (first) upstream announced at initialize. */
  upstreamCapabilities(): ServerCapabilities;
  /** The name the client sees for the upstream's tool `name`. */
  tool(name: string): string;
  /** The URI the client sees for the upstream's resource `uri`. */
  uri(uri: string): string;
  close(): Promise<void>;
}

export const EVERYTHING_STDIO = { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] } as const;

/** The test client: answers sampling, elicitation and roots so the suite can see them pass. */
export function parityClient(): Client {
  const client = new Client({ name: 'parity', version: '0.0.0' }, { capabilities: RELAY_CLIENT_CAPABILITIES });
  client.setRequestHandler(CreateMessageRequestSchema, () => ({ role: 'assistant', model: 'test-model', content: { type: 'text', text: 'sampled by the test' } }));
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ada Lovelace' } }));
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///parity/root', name: 'parity' }] }));
  return client;
}

export interface ObservedUpstream {
  readonly connection: UpstreamConnection;
  /** Every message the relay sent this upstream. */
  readonly received: JSONRPCMessage[];
}

/** server-everything as a relay's upstream (what the supervisor would hand it), recorded. */
export async function observedEverything(instance: string): Promise<ObservedUpstream> {
  const spec: UpstreamSpec = { kind: 'stdio', ...EVERYTHING_STDIO, args: [...EVERYTHING_STDIO.args], env: {} };
  const connection = await connectUpstream(spec, { instance, capabilities: RELAY_CLIENT_CAPABILITIES, onStderr: () => {} });
  const transport = connection.client.transport;
  assert.ok(transport);
  return { connection, received: recordSent(transport) };
}

/** Wraps `transport.send` so every message it sends is also kept in the returned list. */
export function recordSent(transport: Transport): JSONRPCMessage[] {
  const sent: JSONRPCMessage[] = [];
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    sent.push(message);
    return send(message, options);
  };
  return sent;
}
