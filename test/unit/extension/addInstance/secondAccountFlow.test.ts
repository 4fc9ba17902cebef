// "Add a Second Account": from an mcp.json server with one account to two instances of it
// in .mcplex.jsonc, in one command. The first questions name the account mcp.json runs now;
// the second account's come from Add Account Instance (so it cannot be a copy of the first);
// both are written in one edit, then the mcp.json entry is retired. Cancelling writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { addSecondAccount } from '../../../../src/extension/addInstance/secondAccountFlow';
import { importableServers } from '../../../../src/extension/addInstance/serverChoices';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import type { InputOptions, PickOptions } from '../../../../src/extension/addInstance/prompter';
import { byLabel, ScriptedPrompter, type Step } from '../../../helpers/scriptedPrompter';
import { createFakeVscode } from '../../../helpers/fakeVscode';

const APP = '/ws/app';
const CONFIG = `${APP}/.mcplex.jsonc`;
const MCP_JSON = `${APP}/.vscode/mcp.json`;
const TEXT = { input: (options: InputOptions) => options.value ?? '' };

const ONE_SERVER = `{
  // VS Code's servers
  "servers": {
    "memory": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "env": { "MEMORY_FILE_PATH": "/data/work.json" }
    }
  }
}
`;

function setup(mcpJson: string) {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  state.files.set(MCP_JSON, mcpJson);
  const changes: string[] = [];
  const boxes: { counter: string; title: string; prompt: string; placeholder: string }[] = [];
  const record = (options: PickOptions<unknown> | InputOptions): void =>
    void boxes.push({ counter: `${options.step ?? '-'}/${options.totalSteps ?? '-'}`, title: options.title, prompt: 'prompt' in options ? options.prompt : '', placeholder: options.placeholder ?? '' });
  const run = (steps: Step[], serverName?: string) =>
    addSecondAccount(
      {
        prompter: new ScriptedPrompter(steps.map((step): Step => ('pick' in step ? { pick: (labels, options) => (record(options), step.pick(labels, options)) } : { input: (options) => (record(options), step.input(options)) }))),
        files: new ConfigFiles(api),
        storeSecret: async () => undefined,
        instances: () => [],
        configChanged: (reason) => void changes.push(reason),
      },
      serverName,
    );
  return { state, changes, boxes, run };
}

test('one mcp.json server: name its account, add the second, retire the entry; both accounts are written, comments stay', async () => {
  const { state, changes, boxes, run } = setup(ONE_SERVER);
  let firstPrefix: InputOptions | undefined;
  let secondPrefix: InputOptions | undefined;
  let removal: string[] = [];
  const done = await run([
    { input: (options) => ((firstPrefix = options), 'work') },
    TEXT, // Work
    { input: (options) => ((secondPrefix = options), 'personal') },
    TEXT, // Personal
    { pick: byLabel('MEMORY_FILE_PATH') }, // the value that tells the accounts apart comes first
    { input: () => '/data/personal.json' }, // a path: not asked where to keep it
    { pick: byLabel('Write the instance') },
    { pick: (labels) => ((removal = labels), 0) }, // Enter: remove
  ]);
  assert.deepEqual(done && { serverId: done.serverId, first: done.first, prefix: done.added.prefix }, { serverId: 'memory', first: { prefix: 'work', label: 'Work' }, prefix: 'personal' });
  // The first box says it names the account mcp.json runs now, and suggests without deciding.
  assert.match(firstPrefix?.prompt ?? '', /name the account "memory" runs now in \.vscode\/mcp\.json/);
  assert.equal(firstPrefix?.placeholder, 'work');
  assert.equal(firstPrefix?.value, '');
  assert.deepEqual(firstPrefix?.check?.(''), { incomplete: true }, 'a name is needed; the empty box keeps its prompt rather than an error');
  assert.match(secondPrefix?.check?.('work').error ?? '', /work/, 'the first account\'s prefix is taken');
  assert.deepEqual(boxes.map((box) => box.counter), ['1/5', '2/5', '3/5', '4/5', '5/5', '5/5', '5/5', '-/-']);
  assert.ok(boxes.every((box) => box.title.startsWith('Add a Second Account')), JSON.stringify(boxes.map((box) => box.title)));
  assert.match(boxes.at(-1)?.placeholder ?? '', /that account would run twice/);
  assert.equal(removal[0], 'Remove "memory" from .vscode/mcp.json');
  const data = parse(state.files.get(CONFIG) ?? '') as { servers: { memory: Record<string, unknown> & { instances: Record<string, unknown> } } };
  assert.deepEqual(data.servers.memory.instances, {
    work: { label: 'Work', env: { MEMORY_FILE_PATH: '/data/work.json' } },
    personal: { label: 'Personal', env: { MEMORY_FILE_PATH: '/data/personal.json' } },
  });
  assert.deepEqual(data.servers.memory['args'], ['-y', '@modelcontextprotocol/server-memory']);
  assert.match(state.files.get(CONFIG) ?? '', /"work": \{\n\s+"label": "Work",/, 'label first, as the flows write every instance');
  const mcpJson = state.files.get(MCP_JSON) ?? '';
  assert.ok(!mcpJson.includes('"memory"') && mcpJson.includes("// VS Code's servers"), mcpJson);
  assert.deepEqual(changes, ['instance memory/personal added', '"memory" removed from .vscode/mcp.json'], 'one write of the file, then mcp.json');
});

test('cancelling at the second account writes nothing: no half import, mcp.json untouched', async () => {
  const { state, changes, run } = setup(ONE_SERVER);
  const done = await run([{ input: () => 'work' }, TEXT, { input: () => undefined }]);
  assert.equal(done, undefined);
  assert.equal(state.files.get(CONFIG), undefined);
  assert.equal(state.files.get(MCP_JSON), ONE_SERVER);
  assert.deepEqual(changes, []);
});

test('keeping the entry keeps mcp.json as it was', async () => {
  const { state, run } = setup(ONE_SERVER);
  await run([{ input: () => 'work' }, TEXT, { input: () => 'home' }, TEXT, { pick: byLabel('MEMORY_FILE_PATH') }, { input: () => '/data/home.json' }, { pick: byLabel('Write the instance') }, { pick: byLabel('Keep it') }]);
  assert.equal(state.files.get(MCP_JSON), ONE_SERVER);
  assert.match(state.files.get(CONFIG) ?? '', /"home"/);
});

const TWO_SERVERS = '{ "servers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }, "notes": { "command": "node", "args": ["notes.js"], "env": { "ACCOUNT": "me" } } } }';

test('several mcp.json servers: "Add a second account to <server>" is asked first; a server named beforehand is not asked', async () => {
  const asked = setup(TWO_SERVERS);
  let rows: string[] = [];
  await asked.run([{ pick: (labels) => ((rows = labels), labels.indexOf('Add a second account to notes')) }, { input: () => 'work' }, TEXT, { input: () => undefined }]);
  assert.deepEqual(rows, ['Add a second account to memory', 'Add a second account to notes']);

  const named = setup(TWO_SERVERS);
  let prompt = '';
  await named.run([{ input: (options) => ((prompt = options.prompt), undefined) }], 'notes');
  assert.match(prompt, /"notes" runs now/);
  await assert.rejects(named.run([], 'nothing-like-it'), /No server "nothing-like-it" of \.vscode\/mcp\.json/);
});

test('entries that wrapped the server in the proxy named their accounts: no first questions, the new account is the next', async () => {
  const wrap = (prefix: string) => ({ command: 'npx', args: ['-y', 'mcplexer', '--prefix', prefix, '--label', prefix.toUpperCase(), '--', 'npx', '-y', '@modelcontextprotocol/server-memory'] });
  const { state, boxes, run } = setup(JSON.stringify({ servers: { 'memory-work': wrap('work') } }));
  await run([{ input: () => 'home' }, TEXT, { pick: byLabel('Write the instance') }, { pick: byLabel('Remove') }]);
  assert.deepEqual(boxes.slice(0, 3).map((box) => box.counter), ['1/3', '2/3', '3/3']);
  const data = parse(state.files.get(CONFIG) ?? '') as { servers: { memory: { instances: Record<string, unknown> } } };
  assert.deepEqual(Object.keys(data.servers.memory.instances), ['work', 'home']);
});

test('the door shows while a folder\'s mcp.json has a server its .mcplex.jsonc does not (from the texts the window read)', () => {
  const mcpJson = { path: MCP_JSON, text: ONE_SERVER };
  assert.deepEqual(importableServers({ mcpJson }).map((choice) => choice.serverId), ['memory']);
  assert.deepEqual(importableServers({ mcpJson, file: { path: CONFIG, text: '{ "servers": { "memory": { "command": "npx", "instances": {} } } }' } }), []);
  assert.deepEqual(importableServers({ file: { path: CONFIG, text: '{ "servers": {} }' } }), []);
  assert.deepEqual(importableServers({ mcpJson: { path: MCP_JSON, text: '{ not json' } }), [], 'a broken mcp.json offers no door (VS Code reports it)');
});
