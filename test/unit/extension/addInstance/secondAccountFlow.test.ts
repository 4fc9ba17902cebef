// "Add a Second Account" (issue 16): from a .vscode/mcp.json that runs one server, one
// command ends with that server in .mcplex.jsonc with two instances (the account mcp.json
// ran, and the new one, which must differ from it), and offers to retire the mcp.json entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { addSecondAccount, mcpJsonServers } from '../../../../src/extension/addInstance/secondAccountFlow';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { byLabel, ScriptedPrompter } from '../../../helpers/scriptedPrompter';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import type { InputOptions } from '../../../../src/extension/addInstance/prompter';

const APP = '/ws/app';
const CONFIG = `${APP}/.mcplex.jsonc`;
const MCP_JSON = `${APP}/.vscode/mcp.json`;
const ONE_SERVER = `{
  // mine
  "servers": {
    "memory": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "env": { "MEMORY_FILE_PATH": "/data/work.json" }
    }
  }
}
`;

function setup() {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  const files = new ConfigFiles(api);
  const changes: string[] = [];
  const deps = (prompter: ScriptedPrompter) => ({
    prompter,
    files,
    storeSecret: async () => undefined,
    instances: () => [],
    configChanged: (reason: string) => void changes.push(reason),
  });
  return { state, files, deps, changes };
}

type Config = { servers: Record<string, { command?: string; env?: unknown; instances: Record<string, unknown> }> };

test('one mcp.json server: named first account, second account asked with the value that differs, entry retired; the file ends with two instances', async () => {
  const { state, deps, changes } = setup();
  state.files.set(MCP_JSON, ONE_SERVER);
  let valueInput: InputOptions | undefined;
  const prompter = new ScriptedPrompter([
    { input: (options) => (assert.equal(options.value, 'work'), 'work') }, // the account mcp.json runs
    { input: (options) => (assert.equal(options.value, 'personal'), 'personal') }, // the second: no server question
    { input: (options) => options.value ?? '' }, // label Personal
    { pick: (labels, options) => (assert.match(options.items[0]?.description ?? '', /MEMORY|differs per account/), assert.equal(labels[0], '$(edit) MEMORY_FILE_PATH'), 0) }, // the value that tells the accounts apart comes first
    { input: (options) => ((valueInput = options), '/data/personal.json') }, // a path: no "where" question
    { pick: byLabel('Write the instance') },
    { pick: byLabel('Remove "memory"') },
  ]);
  const result = await addSecondAccount(deps(prompter));
  assert.equal(result?.first, 'work');
  assert.equal(result?.added?.prefix, 'personal');
  assert.equal(valueInput?.value, undefined, 'the first account\'s value is its own, not the server\'s: nothing to inherit');
  const data = parse(state.files.get(CONFIG) ?? '') as Config;
  assert.deepEqual(data.servers['memory']?.instances, {
    work: { label: 'Work', env: { MEMORY_FILE_PATH: '/data/work.json' } },
    personal: { label: 'Personal', env: { MEMORY_FILE_PATH: '/data/personal.json' } },
  });
  assert.equal(data.servers['memory']?.env, undefined, 'the server keeps no account\'s values');
  assert.deepEqual(parse(state.files.get(MCP_JSON) ?? ''), { servers: {} });
  assert.match(state.files.get(MCP_JSON) ?? '', /\/\/ mine/, 'comments stay');
  assert.deepEqual(changes, ['memory imported from .vscode/mcp.json', 'instance memory/personal added', '"memory" removed from .vscode/mcp.json']);
  assert.deepEqual(await mcpJsonServers(deps(prompter)), [], 'nothing left to offer: the door closes');
});

test('cancelled at the first question: nothing written', async () => {
  const { state, deps } = setup();
  state.files.set(MCP_JSON, ONE_SERVER);
  const prompter = new ScriptedPrompter([{ input: () => undefined }]);
  assert.equal(await addSecondAccount(deps(prompter)), undefined);
  assert.equal(state.files.get(CONFIG), undefined);
  assert.equal(state.files.get(MCP_JSON), ONE_SERVER);
});

test('cancelled after the import: the first account stays imported, and the entry can still be kept', async () => {
  const { state, deps } = setup();
  state.files.set(MCP_JSON, ONE_SERVER);
  const prompter = new ScriptedPrompter([{ input: () => 'work' }, { input: () => undefined }, { pick: byLabel('Keep it') }]);
  const result = await addSecondAccount(deps(prompter));
  assert.deepEqual(result, { serverId: 'memory', first: 'work' });
  assert.deepEqual(Object.keys((parse(state.files.get(CONFIG) ?? '') as Config).servers['memory']?.instances ?? {}), ['work']);
  assert.equal(state.files.get(MCP_JSON), ONE_SERVER);
});

test('several mcp.json servers: which one is asked first; none: the door says what to do instead', async () => {
  const { state, deps } = setup();
  state.files.set(MCP_JSON, JSON.stringify({ servers: { memory: { command: 'npx' }, notes: { command: 'node', args: ['notes.js'] } } }));
  let offered: string[] = [];
  const prompter = new ScriptedPrompter([{ pick: (labels) => ((offered = labels), undefined) }]);
  assert.equal(await addSecondAccount(deps(prompter)), undefined);
  assert.deepEqual(offered, ['memory', 'notes']);
  state.files.delete(MCP_JSON);
  await assert.rejects(addSecondAccount(deps(new ScriptedPrompter([]))), /Add Account Instance/);
});
