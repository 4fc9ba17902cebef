// The life of `mcplex wrap` as a real process: it outlives an upstream's failed start, and
// nothing of the upstream outlives it, whichever way it goes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH, REPO_ROOT } from '../../helpers/cli';
import { fixturePath } from '../../fixtures/servers';

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('\n');
}

describe('mcplex wrap: an upstream whose first start fails', () => {
  it('keeps retrying, holds initialize and serves once the upstream is up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-fails-once-'));
    let stderr = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, 'wrap', '--prefix', 'work', '--', process.execPath, fixturePath('fails-once')],
      env: { ...(process.env as Record<string, string>), MARKER: join(dir, 'marker') },
      cwd: REPO_ROOT,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'test', version: '0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name), ['work__echo']);
      assert.equal(textOf(await client.callTool({ name: 'work__echo', arguments: { text: 'hi' } })), 'hi');
      assert.match(stderr, /first start, failing/);
      assert.doesNotMatch(stderr, /unexpected error/);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
