// A server's own `"exposure": "accounts"` in `mcplex serve` and `mcplex list`, with real
// processes: the CLI keeps ONE endpoint for the folder (its aggregate), where that server's
// shared tools are listed once with `account` while another server's keep their prefixes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { REPO_ROOT, runMcplex, stdioClient } from '../../helpers/cli';
import { fixturePath } from '../../fixtures/servers';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mcplex-server-accounts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, '.mcplex.jsonc');
writeFileSync(
  config,
  JSON.stringify({
    servers: {
      notes: { command: process.execPath, args: [NOTES], exposure: 'accounts', instances: { work: { env: { ACCOUNT: 'work' } }, personal: { env: { ACCOUNT: 'personal' } } } },
      echo: { command: process.execPath, args: [fixturePath('echo')], instances: { a: { env: { SERVER_NAME: 'a' } }, b: { env: { SERVER_NAME: 'b' } } } },
    },
  }),
);

const textOf = (result: unknown): string => ((result as { content?: { text?: string }[] }).content ?? []).map((part) => part.text ?? '').join('\n');

describe("a server's own exposure accounts in the CLI's one endpoint", { timeout: 180_000 }, () => {
  it('serve: that server\'s tools once with `account`, the other server\'s prefixed', async (t) => {
    const client = await stdioClient(['serve', '--config', config]);
    t.after(() => client.close());
    let tools: Tool[] = [];
    for (let attempt = 0; attempt < 600; attempt++) {
      tools = (await client.listTools()).tools;
      if (tools.some((tool) => tool.name === 'list_notes') && tools.some((tool) => tool.name === 'b__echo')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const names = tools.map((tool) => tool.name).sort();
    assert.deepEqual(names, ['a__echo', 'add_note', 'b__echo', 'list_notes', 'read_note', 'search_notes']);
    assert.deepEqual((tools.find((tool) => tool.name === 'list_notes')?.inputSchema.properties?.['account'] as { enum?: string[] } | undefined)?.enum, ['work', 'personal']);
    assert.match(textOf(await client.callTool({ name: 'list_notes', arguments: { account: 'work' } })), /Standup/);
    assert.equal(textOf(await client.callTool({ name: 'b__echo', arguments: { text: 'hi' } })), 'hi');
  });

  it('list: the collapsed name for each account of that server, the prefixed names for the other', async () => {
    const listed = await runMcplex(['list', '--config', config, '--json']);
    const rows = JSON.parse(listed.stdout) as { instance: string; name: string }[];
    assert.deepEqual(rows.filter((row) => row.name === 'list_notes').map((row) => row.instance), ['notes/work', 'notes/personal']);
    assert.deepEqual(rows.filter((row) => row.instance.startsWith('echo/')).map((row) => row.name), ['a__echo', 'b__echo']);
  });
});
