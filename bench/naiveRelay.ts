/**
 * The baseline: a relay as one would first write it on the SDK — a `Server` on stdio whose
 * tools/list and tools/call handlers ask a `Client` of the upstream. Run as
 * `node --import tsx bench/naiveRelay.ts <command> [args…]`.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

async function main(): Promise<void> {
  const [command = 'node', ...args] = process.argv.slice(2);
  const client = new Client({ name: 'naive-relay', version: '0' });
  await client.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
  const server = new Server({ name: 'naive-relay', version: '0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async (request) => client.listTools(request.params));
  server.setRequestHandler(CallToolRequestSchema, async (request) => client.callTool(request.params));
  const transport = new StdioServerTransport();
  transport.onclose = () => void client.close().then(() => process.exit(0));
  process.stdin.on('end', () => void client.close().then(() => process.exit(0)));
  await server.connect(transport);
}

void main();
