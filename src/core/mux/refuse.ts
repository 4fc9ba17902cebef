/**
 * A session that can only say why it cannot serve: its upstream is down. The client's
 * `initialize` gets a JSON-RPC error naming the instance and the cause, rather than a
 * closed connection it would have to guess about.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { InitializeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { toWireError, type RelayError } from './errors';
import type { RelaySession } from './relay';

export async function refuseInitialize(transport: Transport, name: string, error: RelayError): Promise<RelaySession> {
  const server = new Server({ name, version: '0.0.0' }, { capabilities: {} });
  server.setRequestHandler(InitializeRequestSchema, () => {
    throw toWireError(error);
  });
  await server.connect(transport);
  return { close: () => server.close() };
}
