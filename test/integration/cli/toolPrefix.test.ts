// `--tool-prefix none`: one instance's tools under the upstream's own names, for clients
// that already namespace by server (Claude Code's mcp__<server>__<tool>, VS Code).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runMcplex, stdioClient } from '../../helpers/cli';

const EXAMPLE = join(REPO_ROOT, 'examples', 'two-accounts', '.mcplex.jsonc');
const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const OWN_NAMES = ['add_note', 'list_notes', 'read_note', 'search_notes'];


function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('\n');
}

describe('--tool-prefix none', () => {
  it('wrap lists and calls the upstream\'s own names', async () => {
    const client = await stdioClient(['wrap', '--prefix', 'work', '--tool-prefix', 'none', '--', process.execPath, NOTES], { ACCOUNT: 'work' });
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), OWN_NAMES);
      assert.equal(client.getServerVersion()?.name, 'work');
      assert.match(textOf(await client.callTool({ name: 'list_notes', arguments: {} })), /Standup/);
      await assert.rejects(client.callTool({ name: 'work__list_notes', arguments: {} }), /work__list_notes/);
    } finally {
      await client.close();
    }
  });

  it('serve --instance lists and calls the instance\'s own names (its filter still applies)', async () => {
    const client = await stdioClient(['serve', '--config', EXAMPLE, '--instance', 'work', '--tool-prefix', 'none']);
    try {
      const { tools } = await client.listTools();
      // `work` denies add_*.
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['list_notes', 'read_note', 'search_notes']);
      assert.match(textOf(await client.callTool({ name: 'list_notes', arguments: {} })), /Standup/);
    } finally {
      await client.close();
    }
  });

  it('--tool-prefix prefix keeps today\'s names', async () => {
    const client = await stdioClient(['serve', '--config', EXAMPLE, '--instance', 'personal', '--tool-prefix', 'prefix']);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), OWN_NAMES.map((name) => `personal__${name}`));
    } finally {
      await client.close();
    }
  });

  it('serve with several instances refuses it with a usage error that says why', async () => {
    const result = await runMcplex(['serve', '--config', EXAMPLE, '--tool-prefix', 'none']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--tool-prefix none needs a single instance: 2 instances share this endpoint/);
    assert.match(result.stderr, /--instance/);
  });

  it('a value other than prefix or none is a usage error', async () => {
    const result = await runMcplex(['wrap', '--prefix', 'work', '--tool-prefix', 'off', '--', process.execPath, NOTES]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--tool-prefix is prefix or none \(got "off"\)/);
  });
});
