// Connecting to a definition the window runtime hands VS Code, as VS Code does: the
// definition's unix:// url names the socket and the endpoint's path, its headers carry the
// token. Shared by the runtime's integration tests.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSocketFetch } from '../../src/core/host';
import type { DefinitionSpec } from '../../src/core/runtime';

/** The socket and the HTTP path of a `unix://<socket>#<path>` definition url. */
export function definitionAddress(definition: Pick<DefinitionSpec, 'url'>): { readonly socketPath: string; readonly path: string } {
  const match = /^unix:\/\/(.+)#(\/.*)$/.exec(definition.url);
  assert.ok(match, `a unix:// definition url: ${definition.url}`);
  const [, socketPath = '', path = ''] = match;
  return { socketPath, path };
}

/** An SDK client connected to the definition's endpoint (`headers`: the definition's own unless a test sends others). */
export async function connectDefinition(definition: DefinitionSpec, headers: Record<string, string> = { ...definition.headers }): Promise<Client> {
  const { socketPath, path } = definitionAddress(definition);
  const client = new Client({ name: 'vscode-like', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://localhost${path}`), { requestInit: { headers }, fetch: createSocketFetch(socketPath) }));
  return client;
}

/** The text parts of a tool result, joined by newlines. */
export const resultText = (result: unknown): string => ((result as { content?: { text?: string }[] }).content ?? []).map((part) => part.text ?? '').join('\n');
