/**
 * A multi-session endpoint tells its upstream what its sessions support, and never less
 * afterwards (engine/sessionCapabilities.ts). A test of what happens when the upstream was told
 * more than the session at hand supports first has a richer client come and go: this one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';

/**
 * Connects a client announcing `capabilities` to the HTTP endpoint at `url`, waits until the
 * upstream, told them, lists `tool`, then ends the session (DELETE).
 */
export async function teachUpstream(url: string, capabilities: ClientCapabilities, tool: string): Promise<void> {
  const client = new Client({ name: 'teacher', version: '0' }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  try {
    // A bound on a wait that would otherwise hang, not a timing assertion.
    for (let tries = 0; ; tries++) {
      const { tools } = await client.listTools().catch(() => ({ tools: [] }));
      if (tools.some((listed) => listed.name === tool)) return;
      if (tries === 200) throw new Error(`the upstream, told ${JSON.stringify(capabilities)}, never listed ${tool}`);
      await sleep(50);
    }
  } finally {
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }
}
