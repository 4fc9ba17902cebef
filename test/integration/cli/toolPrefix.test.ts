// `--tool-prefix none`: one instance's tools under the upstream's own names, for clients
// that already namespace by server (Claude Code's mcp__<server>__<tool>, VS Code).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { REPO_ROOT, runMcplex, stdioClient } from '../../helpers/cli';
import { startServe } from '../../helpers/serveProcess';

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

describe('toolPrefix in the configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-tool-prefix-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A configuration with `toolPrefix` on line 2, column 17, and one instance per account. */
  function configOf(toolPrefix: boolean, accounts: readonly string[]): string {
    const path = join(dir, `${accounts.join('-')}-${String(toolPrefix)}.jsonc`);
    const instances = Object.fromEntries(accounts.map((account) => [account, { env: { ACCOUNT: account } }]));
    const servers = JSON.stringify({ notes: { command: process.execPath, args: [NOTES], instances } });
    writeFileSync(path, `{\n  "toolPrefix": ${String(toolPrefix)},\n  "servers": ${servers}\n}\n`);
    return path;
  }

  it('false: a configuration with one instance serves the tools\' own names', async () => {
    const client = await stdioClient(['serve', '--config', configOf(false, ['work'])]);
    try {
      assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), OWN_NAMES);
      assert.match(textOf(await client.callTool({ name: 'list_notes', arguments: {} })), /Standup/);
    } finally {
      await client.close();
    }
  });

  it('false: serve --instance serves the own names; --tool-prefix prefix wins over the file', async () => {
    const config = configOf(false, ['work', 'home']);
    const alone = await stdioClient(['serve', '--config', config, '--instance', 'home']);
    try {
      assert.deepEqual((await alone.listTools()).tools.map((tool) => tool.name).sort(), OWN_NAMES);
    } finally {
      await alone.close();
    }
    const flagged = await stdioClient(['serve', '--config', config, '--instance', 'home', '--tool-prefix', 'prefix']);
    try {
      assert.deepEqual((await flagged.listTools()).tools.map((tool) => tool.name).sort(), OWN_NAMES.map((name) => `home__${name}`));
    } finally {
      await flagged.close();
    }
  });

  it('true: --tool-prefix none wins over the file', async () => {
    const client = await stdioClient(['serve', '--config', configOf(true, ['work']), '--tool-prefix', 'none']);
    try {
      assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), OWN_NAMES);
    } finally {
      await client.close();
    }
  });

  it('false: mcplex list (and --json) shows the names serve lists, the own ones for one instance, prefixed in an aggregate', async () => {
    for (const accounts of [['work'], ['work', 'home']]) {
      const config = configOf(false, accounts);
      const client = await stdioClient(['serve', '--config', config]);
      let served: string[];
      try {
        served = (await client.listTools()).tools.map((tool) => tool.name).sort();
      } finally {
        await client.close();
      }
      const json = await runMcplex(['list', '--config', config, '--json']);
      assert.equal(json.code, 0, json.stderr);
      const listed = (JSON.parse(json.stdout) as { name: string; hidden?: string }[]).filter((tool) => tool.hidden === undefined).map((tool) => tool.name);
      assert.deepEqual(listed.sort(), served, `${accounts.join(', ')}: list --json names what serve lists`);
      const table = await runMcplex(['list', '--config', config]);
      assert.equal(table.code, 0, table.stderr);
      for (const name of served) assert.match(table.stdout, new RegExp(`^  ${name}\\b`, 'm'), `${accounts.join(', ')}: the table shows ${name}`);
    }
    // One instance: its tools' own names, in list as in serve.
    const alone = await runMcplex(['list', '--config', configOf(false, ['work']), '--json']);
    assert.deepEqual((JSON.parse(alone.stdout) as { name: string }[]).map((tool) => tool.name).sort(), OWN_NAMES);
  });

  it('false in an aggregate: a warning with the position, and the tools keep their prefixes', async () => {
    const config = configOf(false, ['work', 'home']);
    const serve = await startServe(['--config', config, '--http', '0']);
    const client = new Client({ name: 'test', version: '0' });
    try {
      assert.match(serve.stderr(), /\.jsonc:2:17: warning: `toolPrefix: false` does not apply here: 2 instances share one endpoint/);
      await client.connect(new StreamableHTTPClientTransport(new URL(serve.url)));
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      assert.ok(names.length > 0 && names.every((name) => name.startsWith('work__') || name.startsWith('home__')), names.join(', '));
    } finally {
      await client.close();
      await serve.stop();
    }
  });
});
