/**
 * A `connectUpstream` that serves every spec from a fresh in-memory MCP server with the
 * given tools (each answers its own name), so the engine and the runtime run without a
 * process. `calls` records the specs asked for; a stdio spec whose command is `missing`
 * fails as a missing command does.
 */
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { UpstreamSpec } from '../../src/core/config';
import type { connectUpstream } from '../../src/core/upstream';

export type Connect = typeof connectUpstream;

export function memoryConnect(tools: readonly string[] = ['read', 'delete_all', 'hello-world']): { connect: Connect; calls: UpstreamSpec[]; servers: McpServer[] } {
  const calls: UpstreamSpec[] = [];
  const servers: McpServer[] = [];
  let pid = 1000;
  const connect: Connect = async (spec) => {
    calls.push(spec);
    if (spec.kind === 'stdio' && spec.command === 'missing') throw new Error('command "missing" not found (ENOENT)');
    const server = new McpServer({ name: 'mem', version: '1.0.0' });
    for (const name of tools) server.registerTool(name, { description: `Tool ${name}.` }, async () => ({ content: [{ type: 'text', text: name }] }));
    servers.push(server);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'relay', version: '0' });
    await client.connect(clientSide);
    const serverInfo = client.getServerVersion();
    const serverCapabilities = client.getServerCapabilities();
    assert.ok(serverInfo && serverCapabilities);
    return { client, transport: 'stdio', pid: pid++, serverInfo, serverCapabilities, close: () => client.close() };
  };
  return { connect, calls, servers };
}
