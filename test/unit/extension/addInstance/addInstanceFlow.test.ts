// Add Account Instance and the two traps: the second account's Enter never writes a
// copy of the first (the values that differ come first, prefilled, and the inherited value is
// refused), and an import ends with the offer to remove the entry from mcp.json, where VS
// Code would go on running it beside the instance. Proxy entries are unwrapped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { addAccountInstance } from '../../../../src/extension/addInstance/addInstanceFlow';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { byLabel, ScriptedPrompter } from '../../../helpers/scriptedPrompter';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import { FakeRuntime } from '../../../helpers/fakeRuntime';
import type { InputOptions } from '../../../../src/extension/addInstance/prompter';

const APP = '/ws/app';
const CONFIG = `${APP}/.mcplex.jsonc`;
const MCP_JSON = `${APP}/.vscode/mcp.json`;
/** Enter: the first item of a pick, the prefilled value of an input. */
const ENTER = { pick: () => 0 };
const ENTER_TEXT = { input: (options: InputOptions) => options.value ?? '' };

function setup() {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  const runtime = new FakeRuntime();
  const files = new ConfigFiles(api);
  const changes: string[] = [];
  const deps = (prompter: ScriptedPrompter) => ({
    prompter,
    files,
    storeSecret: async () => undefined,
    instances: () => runtime.instances(),
    configChanged: (reason: string) => void changes.push(reason),
  });
  return { state, deps, changes };
}

const MEMORY = `{
  "servers": {
    "memory": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "env": { "MEMORY_FILE_PATH": "/data/work.json" },
      "instances": { "work": { "label": "Work" } }
    }
  }
}
`;

test('the second account: Enter edits the value that differs (prefilled with the inherited one), never writes a clone', async () => {
  const { state, deps } = setup();
  state.files.set(CONFIG, MEMORY);
  let valueInput: InputOptions | undefined;
  let firstList: string[] = [];
  const prompter = new ScriptedPrompter([
    // One server: not asked.
    ENTER_TEXT, // prefix: personal
    ENTER_TEXT, // label: Personal
    { pick: (labels) => ((firstList = labels), 0) }, // Enter on the values list
    { input: (options) => ((valueInput = options), '/data/personal.json') },
    // A path: written into the file without asking where to keep it.
    ENTER, // now "Write the instance" comes first
  ]);
  const added = await addAccountInstance(deps(prompter));
  assert.equal(added?.prefix, 'personal');
  assert.equal(firstList[0], '$(edit) MEMORY_FILE_PATH', 'the value that differs per account comes first');
  assert.equal(firstList[1], '$(check) Write the instance');
  assert.equal(valueInput?.value, '/data/work.json', 'prefilled with what it would inherit');
  assert.match(valueInput?.check?.('/data/work.json').error ?? '', /"work"/, 'the inherited value is the other account\'s');
  assert.equal(valueInput?.check?.('/data/personal.json').error, undefined);
  const data = parse(state.files.get(CONFIG) ?? '') as { servers: { memory: { instances: Record<string, unknown> } } };
  assert.deepEqual(data.servers.memory.instances['personal'], { label: 'Personal', env: { MEMORY_FILE_PATH: '/data/personal.json' } });
});

test('a second account that already differs (its own args) gets "Write the instance" first, as before', async () => {
  const { state, deps } = setup();
  state.files.set(CONFIG, '{ "servers": { "notes": { "command": "node", "instances": { "work": { "args": ["work"] } } } } }');
  let list: string[] = [];
  const prompter = new ScriptedPrompter([ENTER_TEXT, ENTER_TEXT, { pick: (labels) => ((list = labels), 0) }]);
  await addAccountInstance(deps(prompter));
  assert.equal(list[0], '$(check) Write the instance');
});

const PLAIN = `{
  // VS Code's servers
  "servers": {
    "memory": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "env": { "MEMORY_FILE_PATH": "/data/work.json" }
    },
    // kept
    "other": { "command": "node", "args": ["other.js"] }
  }
}
`;

test('an import puts the env values into the first instance and, by default, removes the entry from mcp.json', async () => {
  const { state, deps, changes } = setup();
  state.files.set(MCP_JSON, PLAIN);
  let removal: string[] = [];
  const prompter = new ScriptedPrompter([
    { pick: byLabel('memory') },
    ENTER_TEXT, // work
    ENTER_TEXT, // Work
    { pick: byLabel('Write the instance') },
    { pick: (labels) => ((removal = labels), 0) }, // Enter: remove
  ]);
  const added = await addAccountInstance(deps(prompter));
  assert.equal(added?.imported, true);
  assert.equal(removal[0], 'Remove "memory" from .vscode/mcp.json');
  assert.equal(removal[1], 'Keep it');
  const data = parse(state.files.get(CONFIG) ?? '') as { servers: { memory: Record<string, unknown> & { instances: Record<string, unknown> } } };
  assert.equal(data.servers.memory['env'], undefined, 'the server keeps no account\'s values');
  assert.deepEqual(data.servers.memory.instances, { work: { label: 'Work', env: { MEMORY_FILE_PATH: '/data/work.json' } } });
  const mcpJson = state.files.get(MCP_JSON) ?? '';
  assert.ok(!mcpJson.includes('"memory"'), mcpJson);
  assert.ok(mcpJson.includes('// kept') && mcpJson.includes('// VS Code\'s servers'), 'comments stay');
  assert.deepEqual(changes, ['instance memory/work added', '"memory" removed from .vscode/mcp.json']);
});

test('entries that wrap one server in the proxy import as one server with an instance per prefix and label', async () => {
  const { state, deps } = setup();
  const wrap = (prefix: string, label: string, file: string) => ({
    command: 'npx',
    args: ['-y', 'mcplexer', '--prefix', prefix, '--label', label, '--', 'npx', '-y', '@modelcontextprotocol/server-memory'],
    env: { MEMORY_FILE_PATH: file },
  });
  state.files.set(MCP_JSON, JSON.stringify({ servers: { 'memory-work': wrap('work', 'Work', '/w.json'), 'memory-home': wrap('home', 'Home', '/h.json') } }, null, 2));
  let prefix: InputOptions | undefined;
  let label: InputOptions | undefined;
  const prompter = new ScriptedPrompter([
    { input: (options) => ((prefix = options), options.value ?? '') },
    { input: (options) => ((label = options), options.value ?? '') },
    { pick: byLabel('Write the instance') },
    { pick: byLabel('Remove') },
  ]);
  await addAccountInstance(deps(prompter));
  assert.equal(prefix?.value, 'work', 'the proxy\'s prefix');
  assert.equal(label?.value, 'Work', 'and its label');
  const data = parse(state.files.get(CONFIG) ?? '') as { servers: Record<string, Record<string, unknown>> };
  assert.deepEqual(Object.keys(data.servers), ['memory']);
  assert.deepEqual(data.servers['memory'], {
    label: 'memory',
    command: 'npx',
    args: ['-y', '@modelcontextprotocol/server-memory'],
    instances: { work: { label: 'Work', env: { MEMORY_FILE_PATH: '/w.json' } }, home: { label: 'Home', env: { MEMORY_FILE_PATH: '/h.json' } } },
  });
  assert.deepEqual(parse(state.files.get(MCP_JSON) ?? ''), { servers: {} }, 'both wrapped entries are gone');
});

test('the imported instance is written label first, its env after, as any instance the flow writes', async () => {
  const { state, deps } = setup();
  state.files.set(MCP_JSON, PLAIN);
  const prompter = new ScriptedPrompter([{ pick: byLabel('memory') }, ENTER_TEXT, ENTER_TEXT, { pick: byLabel('Write the instance') }, { pick: byLabel('Keep it') }]);
  await addAccountInstance(deps(prompter));
  assert.match(state.files.get(CONFIG) ?? '', /"work": \{\n {10}"label": "Work",\n {10}"env": \{\n {12}"MEMORY_FILE_PATH": "\/data\/work.json"/);
  assert.equal(state.files.get(MCP_JSON), PLAIN, 'kept');
});

test('started from a server row (folder and server given), the flow asks neither: the prefix is its first question', async () => {
  const { state, deps } = setup();
  const folder = state.addFolder('/ws/other', 'other');
  state.files.set('/ws/other/.mcplex.jsonc', '{ "servers": { "notes": { "command": "node", "instances": { "work": { "args": ["work"] } } }, "mail": { "command": "mail" } } }');
  let prefixStep: number | undefined;
  const prompter = new ScriptedPrompter([{ input: (options) => ((prefixStep = options.step), 'personal') }, ENTER_TEXT, ENTER]);
  const added = await addAccountInstance(deps(prompter), { folder, serverId: 'notes' });
  assert.deepEqual(added && [added.folder.name, added.serverId, added.prefix], ['other', 'notes', 'personal']);
  assert.ok(!prompter.asked.some((question) => question.startsWith('pick Which')), prompter.asked.join(' | '));
  assert.equal(prefixStep, 1);
  assert.match(state.files.get('/ws/other/.mcplex.jsonc') ?? '', /"personal": \{/);
});
