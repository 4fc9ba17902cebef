// `mcplex list`, `mcplex serve` and `mcplex wrap` read one catalog: for the same instance they
// give the same names, shortened ones included, and list tells which tools are hidden and why.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH, REPO_ROOT, runMcplex } from '../../helpers/cli';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
// 36 characters, the longest prefix "__" allows: the notes tools' names must be shortened.
const LONG = 'a'.repeat(12) + 'b'.repeat(12) + 'c'.repeat(12);

interface Listed {
  readonly instance: string;
  readonly name: string;
  readonly upstreamName: string;
  readonly hidden?: string;
}

const dir = mkdtempSync(join(tmpdir(), 'mcplex-list-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const config = join(dir, '.mcplex.jsonc');
writeFileSync(
  config,
  JSON.stringify({
    servers: {
      notes: {
        command: process.execPath,
        args: [NOTES],
        instances: {
          [LONG]: { env: { ACCOUNT: 'work' } },
          home: { env: { ACCOUNT: 'personal' }, tools: { deny: ['add_*'], allow: ['add_note', 'list_notes'] } },
        },
      },
    },
  }),
);

async function servedNames(args: readonly string[] = ['serve', '--config', config], env: Record<string, string> = {}): Promise<string[]> {
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, ...args], cwd: dir, stderr: 'ignore', env: { ...(process.env as Record<string, string>), ...env } }));
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

describe('mcplex list and mcplex serve', () => {
  it('give the same names for one configuration, shortened names included, as wrap does for the instance', async () => {
    const listed = await runMcplex(['list', '--config', config, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const tools = JSON.parse(listed.stdout) as Listed[];
    const exposed = tools.filter((tool) => tool.hidden === undefined).map((tool) => tool.name);
    const shortened = exposed.filter((name) => name.startsWith(`${LONG}__`) && /_[0-9a-f]{6}$/.test(name));
    assert.ok(shortened.length >= 2, `names past the budget are shortened: ${exposed.join(', ')}`);
    assert.deepEqual((await servedNames()).sort(), [...exposed].sort());
    // One instance alone, from the file (`serve --instance`) or from flags (`wrap`): the same names.
    const long = tools.filter((tool) => tool.instance === `notes/${LONG}` && tool.hidden === undefined).map((tool) => tool.name).sort();
    assert.deepEqual((await servedNames(['serve', '--config', config, '--instance', `notes/${LONG}`])).sort(), long);
    assert.deepEqual((await servedNames(['wrap', '--prefix', LONG, '--', process.execPath, NOTES], { ACCOUNT: 'work' })).sort(), long);
  });

  it('list shows the hidden tools and why, in the table and in --json', async () => {
    const listed = await runMcplex(['list', '--config', config, '--json']);
    const hidden = (JSON.parse(listed.stdout) as Listed[]).filter((tool) => tool.hidden !== undefined);
    assert.deepEqual(
      hidden.map((tool) => [tool.instance, tool.name, tool.hidden]).sort(),
      [['notes/home', 'home__add_note', 'denied'], ['notes/home', 'home__read_note', 'filtered'], ['notes/home', 'home__search_notes', 'filtered']],
    );
    const table = await runMcplex(['list', '--config', config], { cwd: dir });
    assert.match(table.stdout, /^notes\/home\s+\(.*\)\s+1 tool, 3 hidden$/m);
    assert.match(table.stdout, /^\s+\(hidden\) add_note: denied by tools\.deny$/m);
    assert.match(table.stdout, /^\s+\(hidden\) read_note: not in tools\.allow$/m);
  });
});
