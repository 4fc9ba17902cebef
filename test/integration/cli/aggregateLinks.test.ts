// The aggregate renames resource URIs (`mcplex://<prefix>/<uri>`); links inside results must
// be renamed the same way, or following one gives "Unknown resource". server-everything
// returns both kinds: `resource_link` blocks and embedded `resource` blocks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH, REPO_ROOT } from '../../helpers/cli';
import { EVERYTHING_ENTRY } from '../../helpers/everything';

interface Block {
  type: string;
  uri?: string;
  resource?: { uri: string };
}

describe('mcplex serve (aggregate): links in results', () => {
  let dir: string;
  let client: Client;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcplex-links-'));
    const config = join(dir, '.mcplex.jsonc');
    const server = { command: process.execPath, args: [EVERYTHING_ENTRY], instances: { alpha: {}, beta: {} } };
    writeFileSync(config, JSON.stringify({ servers: { everything: server } }));
    client = new Client({ name: 'test', version: '0' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, 'serve', '--config', config], cwd: REPO_ROOT, stderr: 'ignore' });
    await client.connect(transport);
  });

  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every link is under the instance's namespace, and reading it through the aggregate works. */
  async function assertFollowable(uris: readonly string[], prefix: string): Promise<void> {
    assert.ok(uris.length > 0, 'the result holds links');
    for (const uri of uris) {
      assert.ok(uri.startsWith(`mcplex://${prefix}/`), `${uri} is namespaced under ${prefix}`);
      const read = await client.readResource({ uri });
      assert.equal(read.contents[0]?.uri, uri);
    }
  }

  it('renames resource_link URIs in a tool result (the fast path)', async () => {
    const result = await client.callTool({ name: 'beta__get-resource-links', arguments: { count: 2 } });
    const links = (result.content as Block[]).filter((block) => block.type === 'resource_link');
    assert.equal(links.length, 2);
    await assertFollowable(
      links.map((link) => link.uri ?? ''),
      'beta',
    );
  });

  it('renames embedded resource URIs in a tool result', async () => {
    const result = await client.callTool({ name: 'alpha__get-resource-reference', arguments: { resourceType: 'Text', resourceId: 3 } });
    const embedded = (result.content as Block[]).filter((block) => block.type === 'resource');
    assert.equal(embedded.length, 1);
    await assertFollowable(
      embedded.map((block) => block.resource?.uri ?? ''),
      'alpha',
    );
  });

  it('renames embedded resource URIs in a prompt result', async () => {
    const result = await client.getPrompt({ name: 'beta__resource-prompt', arguments: { resourceType: 'Text', resourceId: '2' } });
    const embedded = result.messages.map((message) => message.content as Block).filter((block) => block.type === 'resource');
    assert.equal(embedded.length, 1);
    await assertFollowable(
      embedded.map((block) => block.resource?.uri ?? ''),
      'beta',
    );
  });
});
