// Issue 18: `mcplex serve --exposure discovery` — three accounts of the notes server and
// three of server-everything behind three tools (search, describe, call), real processes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { REPO_ROOT, runMcplex, stdioClient } from '../../helpers/cli';
import { EVERYTHING_ENTRY } from '../../helpers/everything';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const CHANGING = join(REPO_ROOT, 'test', 'fixtures', 'servers', 'changing-tools.mjs');

interface CallResult {
  readonly content?: readonly { type: string; text?: string }[];
  readonly isError?: boolean;
}

function textOf(result: unknown): string {
  return ((result as CallResult).content ?? []).map((part) => part.text ?? '').join('\n');
}

/** Waits for `check` to hold, asking again until `ms` have passed (the machine is loaded). */
async function eventually<T>(ask: () => Promise<T>, check: (value: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await ask();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('mcplex serve --exposure discovery', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-discovery-'));
  const config = join(dir, '.mcplex.jsonc');
  let client: Client;

  before(async () => {
    writeFileSync(
      config,
      JSON.stringify({
        servers: {
          notes: {
            command: process.execPath,
            args: [NOTES],
            instances: {
              personal: { label: 'Personal', env: { ACCOUNT: 'personal' } },
              work: { label: 'Work', env: { ACCOUNT: 'work' }, tools: { deny: ['add_*'] } },
              team: { label: 'Team Alpha', env: { ACCOUNT: 'team' } },
            },
          },
          everything: {
            command: process.execPath,
            args: [EVERYTHING_ENTRY, 'stdio'],
            instances: { e1: { label: 'Everything One' }, e2: { label: 'Everything Two' }, e3: { label: 'Everything Three' } },
          },
          changing: { command: process.execPath, args: [CHANGING], instances: { live: { label: 'Live' } } },
        },
      }),
    );
    client = await stdioClient(['serve', '--config', config, '--exposure', 'discovery']);
  });

  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (name: string, args: Record<string, unknown>): Promise<CallResult> => client.callTool({ name, arguments: args }) as Promise<CallResult>;
  const search = async (query: string, limit?: number): Promise<string[]> =>
    textOf(await call('search_tools', { query, ...(limit !== undefined && { limit }) }))
      .split('\n')
      .map((line) => line.split(' — ')[0] ?? '');

  it('lists its three tools, not the 40-odd behind it', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['call_tool', 'describe_tool', 'search_tools']);
  });

  it('search finds a tool from words of its description, with its account', async () => {
    // notes' search_notes: "Find notes whose title or body contains the query".
    const found = await eventually(() => search('title or body contains'), (names) => names.includes('work__search_notes'));
    assert.deepEqual(found.slice(0, 3).sort(), ['personal__search_notes', 'team__search_notes', 'work__search_notes']);
    const text = textOf(await call('search_tools', { query: 'title body contains', limit: 3 }));
    assert.match(text, /work__search_notes — Find notes whose title or body contains the query \(case-insensitive\)\. \[account: Work\]/);
  });

  it('search ranks by account label words too, and honours limit', async () => {
    const found = await search('alpha notes', 2);
    assert.equal(found.length, 2);
    assert.ok(found.every((name) => name.startsWith('team__')), found.join(', '));
  });

  it('searches server-everything\'s tools in each of its three accounts', async () => {
    const found = await eventually(() => search('echo', 50), (names) => ['e1__echo', 'e2__echo', 'e3__echo'].every((name) => names.includes(name)));
    assert.ok(['e1__echo', 'e2__echo', 'e3__echo'].every((name) => found.includes(name)), found.join(', '));
  });

  it('describe_tool returns the tool\'s input schema and its account', async () => {
    const described = JSON.parse(textOf(await call('describe_tool', { name: 'team__read_note' }))) as { name: string; account: string; inputSchema: { properties: Record<string, unknown>; required?: string[] } };
    assert.equal(described.name, 'team__read_note');
    assert.equal(described.account, 'Team Alpha');
    assert.ok('id' in described.inputSchema.properties);
    assert.deepEqual(described.inputSchema.required, ['id']);
  });

  it('call_tool reaches the right instance (each account its own notes)', async () => {
    assert.match(textOf(await call('call_tool', { name: 'work__list_notes', arguments: {} })), /Standup/);
    assert.match(textOf(await call('call_tool', { name: 'personal__list_notes' })), /Groceries/);
    const added = await call('call_tool', { name: 'team__add_note', arguments: { title: 'Retro', body: 'Friday' } });
    assert.notEqual(added.isError, true, textOf(added));
    assert.match(textOf(await call('call_tool', { name: 'team__list_notes', arguments: {} })), /Retro/);
    assert.doesNotMatch(textOf(await call('call_tool', { name: 'personal__list_notes', arguments: {} })), /Retro/);
    const echoed = await call('call_tool', { name: 'e2__echo', arguments: { message: 'via discovery' } });
    assert.match(textOf(echoed), /via discovery/);
  });

  it('a hidden tool (tools.deny) is neither found nor described nor called', async () => {
    const found = await search('add note', 50);
    assert.ok(found.includes('personal__add_note'));
    assert.ok(!found.includes('work__add_note'), found.join(', '));
    const described = await call('describe_tool', { name: 'work__add_note' });
    assert.equal(described.isError, true);
    const called = await call('call_tool', { name: 'work__add_note', arguments: { title: 'x', body: 'y' } });
    assert.equal(called.isError, true);
    assert.match(textOf(called), /Tool "work__add_note" is not available: this account denies it/);
    assert.doesNotMatch(textOf(await call('call_tool', { name: 'work__list_notes', arguments: {} })), /\bx\b/);
  });

  it('an unknown name is an error that suggests the closest names', async () => {
    const described = await call('describe_tool', { name: 'work__read_notes' });
    assert.equal(described.isError, true);
    assert.match(textOf(described), /Unknown tool "work__read_notes"\. Closest: work__read_note\b/);
    const called = await call('call_tool', { name: 'lst_notes', arguments: {} });
    assert.equal(called.isError, true);
    assert.match(textOf(called), /Closest: [^\n]*list_notes/);
    assert.match(textOf(called), /search_tools/);
  });

  it('bad search arguments say what is expected', async () => {
    const empty = await call('search_tools', { query: ' ' });
    assert.equal(empty.isError, true);
    assert.match(textOf(empty), /needs "query"/);
    const limit = await call('search_tools', { query: 'note', limit: 500 });
    assert.equal(limit.isError, true);
    assert.match(textOf(limit), /"limit" is a whole number from 1 to 50/);
  });

  it('a member\'s list_changed refreshes the search (the three tools stay the same)', async () => {
    assert.match(textOf(await call('search_tools', { query: 'zebra' })), /^No tool matches "zebra"/);
    const added = await call('call_tool', { name: 'live__add_tool', arguments: { name: 'zebra_counter' } });
    assert.notEqual(added.isError, true, textOf(added));
    const found = await eventually(() => search('zebra'), (names) => names.includes('live__zebra_counter'));
    assert.deepEqual(found, ['live__zebra_counter']);
    assert.match(textOf(await call('call_tool', { name: 'live__zebra_counter' })), /zebra_counter/);
    const { tools } = await client.listTools();
    assert.equal(tools.length, 3);
  });
});

describe('--exposure as a usage error', () => {
  it('an unknown value names the valid ones and the closest', async () => {
    const result = await runMcplex(['serve', '--config', join(REPO_ROOT, 'examples', 'two-accounts', '.mcplex.jsonc'), '--exposure', 'discovry']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--exposure is aggregate, accounts or discovery \(got "discovry"\); did you mean discovery\?/);
  });
});
