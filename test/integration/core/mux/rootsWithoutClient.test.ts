// An upstream that asks for roots while its client has none must get the answer a client
// without roots gives (MethodNotFound) at once, not wait for a client that has them: through
// mcplex, @playwright/mcp's first tool call used to hang for the client request timeout.
// server-everything asks for roots on initialize and again in its `get-roots-list` tool.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH, REPO_ROOT } from '../../../helpers/cli';
import { EVERYTHING_ENTRY } from '../../../helpers/everything';

describe('roots asked of a client without roots', () => {
  it('mcplex wrap: a tool that makes the upstream ask for roots completes at once', { timeout: 30_000 }, async () => {
    const client = new Client({ name: 'no-roots', version: '0' }, { capabilities: {} });
    let stderr = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, 'wrap', '--prefix', 'ev', '--', process.execPath, EVERYTHING_ENTRY, 'stdio'],
      cwd: REPO_ROOT,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await client.connect(transport);
    try {
      const started = Date.now();
      // Whatever the upstream makes of the refusal, the call returns: a tool error or a result.
      await client.callTool({ name: 'ev__get-roots-list', arguments: {} }, undefined, { timeout: 8_000 }).catch((error: unknown) => {
        throw new Error(`${String(error)}; stderr: ${stderr}`);
      });
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    } finally {
      await client.close();
    }
  });
});
