// What an MCP server itself offers, asked directly (no mcplex, no VS Code): the ground
// truth the names VS Code registers are predicted from.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';

/** Every tool name the stdio server lists (all pages), for a client with `capabilities`. */
export async function listUpstreamTools(
  command: string,
  args: readonly string[],
  capabilities: ClientCapabilities,
): Promise<string[]> {
  const client = new Client({ name: 'mcplex-e2e', version: '0.0.0' }, { capabilities });
  await client.connect(new StdioClientTransport({ command, args: [...args], stderr: 'ignore' }));
  try {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor });
      names.push(...page.tools.map((tool) => tool.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return names.sort();
  } finally {
    await client.close();
  }
}
