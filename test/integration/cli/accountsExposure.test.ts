// Exposure `accounts` through `mcplex serve` and `mcplex list`, with real processes: three
// accounts of the notes server (each knows its ACCOUNT), of server-everything (get-env tells
// which process answered) and two of changing-tools. A tool every account publishes alike is
// listed once with an `account` enum; each account is reached by its value; a bad or missing
// value is refused with the valid ones; a list change in one instance updates the collapsed tool.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { REPO_ROOT, runMcplex, stdioClient } from '../../helpers/cli';
import { EVERYTHING_ENTRY } from '../../helpers/everything';
import { fixturePath } from '../../fixtures/servers';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mcplex-accounts-'));
const config = join(dir, '.mcplex.jsonc');
writeFileSync(
  config,
  JSON.stringify({
    exposure: 'accounts',
    servers: {
      notes: {
        command: process.execPath,
        args: [NOTES],
        instances: { work: { label: 'Work (alice@acme.com)', env: { ACCOUNT: 'work' } }, personal: { env: { ACCOUNT: 'personal' } }, spare: { env: { ACCOUNT: 'spare' } } },
      },
      everything: {
        command: process.execPath,
        args: [EVERYTHING_ENTRY],
        instances: { ev1: { env: { WHO: 'ev1' }, default: true }, ev2: { env: { WHO: 'ev2' } }, ev3: { env: { WHO: 'ev3' } } },
      },
      changing: { command: process.execPath, args: [fixturePath('changing-tools')], instances: { x: {}, y: {} } },
    },
  }),
);

let client: Client;
let changes = 0;

before(async () => {
  client = await stdioClient(['serve', '--config', config]);
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changes++;
  });
  // All eight upstreams up: server-everything takes a while on a loaded machine.
  await until(async () => (await tools()).some((tool) => tool.name === 'get-env') && (await tools()).some((tool) => tool.name === 'list_notes') && (await tools()).some((tool) => tool.name === 'add_tool'));
});
after(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function tools(): Promise<Tool[]> {
  return (await client.listTools()).tools;
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function texts(result: CallToolResult): string[] {
  return result.content.flatMap((block) => (block.type === 'text' ? [block.text] : []));
}

async function until(condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('exposure accounts (mcplex serve)', () => {
  it('lists three accounts as many tools as one, each shared tool with an `account` enum of the instances, described by their labels', async () => {
    const listed = await tools();
    const names = listed.map((tool) => tool.name);
    assert.equal(names.filter((name) => name.startsWith('work__') || name.startsWith('ev2__')).length, 0, `no per-instance copies: ${names.join(', ')}`);
    const listNotes = listed.find((tool) => tool.name === 'list_notes');
    const account = (listNotes?.inputSchema.properties as Record<string, { enum: string[]; description: string }>)['account'];
    assert.deepEqual(account?.enum, ['work', 'personal', 'spare']);
    assert.match(account?.description ?? '', /work: Work \(alice@acme\.com\); personal; spare/);
    assert.deepEqual(listNotes?.inputSchema.required, ['account'], 'the notes server has no default account');
    const getEnv = listed.find((tool) => tool.name === 'get-env');
    assert.equal(getEnv?.inputSchema.required, undefined, 'server-everything has a default account');
    assert.equal(names.filter((name) => name === 'get-env').length, 1);
  });

  it('reaches each account by its `account` value, and says which answered', async () => {
    for (const [account, seeded] of [['work', /Standup/], ['personal', /Groceries/], ['spare', /\(no notes\)/]] as const) {
      const result = await call('list_notes', { account });
      assert.match(texts(result)[0] ?? '', seeded, account);
      assert.equal(texts(result).at(-1), `[account: ${account}]`);
      assert.equal(result._meta?.['mcplex/account'], account);
    }
    const env = JSON.parse(texts(await call('get-env', { account: 'ev3' }))[0] ?? '{}') as Record<string, string>;
    assert.equal(env['WHO'], 'ev3');
    assert.equal(env['account'], undefined);
  });

  it('goes to the `default: true` account when `account` is left out; keeps structuredContent and its first text', async () => {
    const env = JSON.parse(texts(await call('get-env', {}))[0] ?? '{}') as Record<string, string>;
    assert.equal(env['WHO'], 'ev1');
    const structured = await call('get-structured-content', { location: 'New York', account: 'ev2' });
    assert.ok(structured.structuredContent !== undefined);
    assert.deepEqual(JSON.parse(texts(structured)[0] ?? 'null'), structured.structuredContent);
    assert.equal(texts(structured).at(-1), '[account: ev2]');
  });

  it('refuses an unknown account and a missing one without a default, listing the valid ones', async () => {
    await assert.rejects(call('list_notes', { account: 'nope' }), /no account "nope": use one of "work" \(Work \(alice@acme\.com\)\), "personal", "spare"/);
    await assert.rejects(call('list_notes', {}), /needs the argument "account".*"work" \(Work \(alice@acme\.com\)\), "personal", "spare"/);
  });

  it('follows a list change in one instance: its tool alone is per-instance, shared once both have it', async () => {
    const before = changes;
    assert.match(texts(await call('add_tool', { name: 'extra', account: 'x' }))[0] ?? '', /added extra/);
    await until(async () => (await tools()).some((tool) => tool.name === 'x__extra'), 60_000);
    assert.ok(changes > before, 'clients were told the list changed');
    assert.ok(!(await tools()).some((tool) => tool.name === 'extra'));
    await call('add_tool', { name: 'extra', account: 'y' });
    await until(async () => (await tools()).some((tool) => tool.name === 'extra'), 60_000);
    const extra = (await tools()).find((tool) => tool.name === 'extra');
    assert.deepEqual((extra?.inputSchema.properties as Record<string, { enum: string[] }>)['account']?.enum, ['x', 'y']);
    assert.ok(!(await tools()).some((tool) => tool.name === 'x__extra'));
    assert.deepEqual(texts(await call('extra', { account: 'y' }))[0], 'extra');
  });
});

describe('exposure accounts (mcplex list)', () => {
  it('names a shared tool once, for each account', async () => {
    const listed = await runMcplex(['list', '--config', config, '--json']);
    const rows = JSON.parse(listed.stdout) as { instance: string; name: string }[];
    assert.deepEqual(rows.filter((row) => row.name === 'list_notes').map((row) => row.instance), ['notes/work', 'notes/personal', 'notes/spare']);
    assert.ok(!rows.some((row) => row.name.startsWith('work__')));
  });
});
