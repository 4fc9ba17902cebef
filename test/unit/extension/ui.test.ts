// The UI's glue with the fake VS Code: Add Account Instance answered by a scripted prompter
// (import from mcp.json, back button, secrets), the tree actions' file edits and modal
// confirmation, Create Configuration and Set Secret, and the manifest's menus and views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAccountInstance } from '../../../src/extension/addInstance/addInstanceFlow';
import { COMMANDS } from '../../../src/extension/commands/commands';
import { CLEAR_SECRET_ACTION, ConfigCommands } from '../../../src/extension/commands/configCommands';
import { ConfigFiles } from '../../../src/extension/inputs/configFiles';
import { CONTEXT_KEYS } from '../../../src/extension/view/contextKeys';
import { InstanceActions, REMOVE_ACTION, REMOVE_WITH_STATE_ACTION } from '../../../src/extension/commands/instanceActions';
import { INSTANCES_VIEW_ID } from '../../../src/extension/view/instancesTree';
import { BACK, type InputOptions } from '../../../src/extension/addInstance/prompter';
import { byLabel, ScriptedPrompter } from '../../helpers/scriptedPrompter';
import type { InstanceRef, ToolNode } from '../../../src/extension/view/treeModel';
import { createFakeVscode } from '../../helpers/fakeVscode';
import { instanceView } from '../../helpers/instanceView';
import { FakeRuntime } from '../../helpers/fakeRuntime';

const APP = '/ws/app';
const CONFIG = `${APP}/.mcplex.jsonc`;
const MCP_JSON = `{ "inputs": [{ "id": "token", "password": true }], "servers": { "github": { "url": "https://api.example.com/mcp", "headers": { "Authorization": "Bearer \${input:token}" } } } }`;


function setup() {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  const runtime = new FakeRuntime();
  const files = new ConfigFiles(api);
  const stored = new Map<string, string>();
  const changes: string[] = [];
  return { api, state, runtime, files, stored, changes };
}

test('Add Account Instance imports a server from mcp.json, goes back a step, and keeps the token as a secret', async () => {
  const { state, runtime, files, stored, changes } = setup();
  state.files.set(`${APP}/.vscode/mcp.json`, MCP_JSON);
  let prefixCheck: InputOptions['check'];
  const prompter = new ScriptedPrompter([
    // The one server (mcp.json's) is not asked.
    { input: (options) => ((prefixCheck = options.check), 'wrk') },
    { input: () => BACK }, // the label step: back to the prefix
    { input: (options) => (assert.equal(options.value, 'wrk'), 'work') },
    { input: (options) => (assert.equal(options.value, 'Work'), 'Work') },
    { pick: byLabel('Authorization') },
    { input: (options) => (assert.equal(options.password, true), 'Bearer ghp_secret') },
    { pick: (labels) => (assert.equal(labels[0], 'Keep it in SecretStorage'), 0) },
    { pick: byLabel('Write the instance') },
    { pick: byLabel('Keep it') }, // the mcp.json entry stays (removal: its own test)
  ]);
  const added = await addAccountInstance({
    prompter,
    files,
    storeSecret: async (name, value) => void stored.set(name, value),
    instances: () => runtime.instances(),
    configChanged: (reason) => void changes.push(reason),
  });
  assert.deepEqual(added && { serverId: added.serverId, prefix: added.prefix, imported: added.imported, vscodeName: added.vscodeName }, {
    serverId: 'github',
    prefix: 'work',
    imported: true,
    vscodeName: 'mcp_github-work_tool',
  });
  assert.deepEqual(prefixCheck?.('my team').error, 'Use only letters, digits, "_" and "-" in a prefix (" " is not allowed).');
  assert.match(prefixCheck?.('work').hint ?? '', /mcp_github-work_tool in VS Code, work__tool elsewhere/);
  assert.deepEqual([...stored], [['github-work-authorization', 'Bearer ghp_secret']]);
  const text = state.files.get(CONFIG) ?? '';
  assert.ok(text.startsWith('{\n  "$schema": "mcplex-schema:/mcplex.schema.json",'), text);
  assert.match(text, /"Authorization": "Bearer \$\{secret:github-token\}"/);
  assert.match(text, /"work": \{\n {10}"label": "Work",\n {10}"headers": \{\n {12}"Authorization": "\$\{secret:github-work-authorization\}"/);
  assert.ok(!text.includes('ghp_secret'), 'no secret value in the file');
  assert.deepEqual(changes, ['instance github/work added']);
});

test('cancelling the flow writes nothing', async () => {
  const { state, runtime, files } = setup();
  state.files.set(CONFIG, '{ "servers": { "notes": { "command": "node", "instances": { "work": {} } } } }');
  const prompter = new ScriptedPrompter([{ input: (options) => (assert.equal(options.value, 'personal'), undefined) }]);
  const added = await addAccountInstance({ prompter, files, storeSecret: async () => undefined, instances: () => runtime.instances(), configChanged: () => assert.fail('no change') });
  assert.equal(added, undefined);
  assert.equal(state.files.get(CONFIG), '{ "servers": { "notes": { "command": "node", "instances": { "work": {} } } } }');
});

const WORK: InstanceRef = {
  runtimeId: 'file:///ws/app#notes/work',
  folderId: 'file:///ws/app',
  serverId: 'notes',
  instanceId: 'work',
  label: 'Notes · Work',
  location: { file: CONFIG, path: ['servers', 'notes', 'instances', 'work'], offset: 0, length: 0, line: 1, column: 1 },
};
const TOOL = { kind: 'tool', instance: WORK, modelName: 'mcp_notes-work_add_note', upstreamName: 'add_note' } as unknown as ToolNode;

test('Remove Instance offers to delete an existing state folder, keeps it by default, and deletes it only when asked', async () => {
  const { api, state, runtime, files, changes } = setup();
  const text = '{\n  "servers": {\n    "notes": {\n      "command": "node",\n      "instances": {\n        "work": {},\n        "personal": {}\n      }\n    }\n  }\n}\n';
  const log: string[] = [];
  const actions = new InstanceActions({ api, runtime, log: { info: (line) => void log.push(line), showInstance: () => undefined }, files, configChanged: (reason) => void changes.push(reason) });
  const stateDir = join(mkdtempSync(join(tmpdir(), 'mcplex-remove-')), 'notes', 'work');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'memory.jsonl'), '{}\n');
  const node = { kind: 'instance', instance: { ...WORK, stateDir } };

  // No folder on disk yet: the dialog is as before.
  state.files.set(CONFIG, text);
  state.warningAnswer = undefined;
  await actions.remove({ kind: 'instance', instance: { ...WORK, stateDir: join(stateDir, 'absent') } });
  assert.deepEqual(state.warningMessages.at(-1)?.items, [REMOVE_ACTION]);

  // "Remove" (listed first): the instance goes, its state stays.
  state.warningAnswer = REMOVE_ACTION;
  await actions.remove(node);
  const asked = state.warningMessages.at(-1);
  assert.deepEqual(asked?.items, [REMOVE_ACTION, REMOVE_WITH_STATE_ACTION]);
  assert.match((asked?.options as { detail?: string }).detail ?? '', new RegExp(`state folder stays unless you delete it too: ${stateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.doesNotMatch(state.files.get(CONFIG) ?? '', /"work"/);
  assert.equal(existsSync(join(stateDir, 'memory.jsonl')), true, 'kept');
  assert.deepEqual(runtime.calls, []);

  // "Remove and Delete Its State": stopped, removed, and its folder deleted.
  state.files.set(CONFIG, text);
  state.warningAnswer = REMOVE_WITH_STATE_ACTION;
  await actions.remove(node);
  assert.doesNotMatch(state.files.get(CONFIG) ?? '', /"work"/);
  assert.equal(existsSync(stateDir), false, 'deleted');
  assert.deepEqual(runtime.calls, ['stop file:///ws/app#notes/work']);
  assert.match(log.at(-1) ?? '', /deleted its state folder/);
});

test('tree actions: lifecycle by node, deny/allow edit the file, copy the model name, remove asks first', async () => {
  const { api, state, runtime, files, changes } = setup();
  state.files.set(CONFIG, '{\n  "servers": {\n    "notes": {\n      "command": "node",\n      "instances": {\n        "work": {},\n        "personal": {}\n      }\n    }\n  }\n}\n');
  const log: string[] = [];
  const actions = new InstanceActions({ api, runtime, log: { info: (line) => void log.push(line), showInstance: (tag, label) => void log.push(`shown ${tag} ${label}`) }, files, configChanged: (reason) => void changes.push(reason) });
  const node = { kind: 'instance', instance: WORK };
  await actions.start(node);
  await actions.restart(node);
  await actions.stop(node);
  assert.deepEqual(runtime.calls, ['start file:///ws/app#notes/work', 'restart file:///ws/app#notes/work', 'stop file:///ws/app#notes/work']);
  await actions.showLog(node);
  assert.deepEqual(log, [`shown notes/work ${WORK.label}`], 'its own channel, not a marker in the shared one');
  log.length = 0;

  await actions.denyTool(TOOL);
  assert.match(state.files.get(CONFIG) ?? '', /"work": \{\n {10}"tools": \{\n {12}"deny": \["add_note"\]\n {10}\}\n {8}\},/);
  await actions.allowTool({ ...TOOL, hidden: 'denied' });
  assert.match(state.files.get(CONFIG) ?? '', /"work": \{\},/, 'allowing the last denied tool gives back the instance as it was');
  await actions.copyToolName(TOOL);
  assert.equal(state.clipboard, 'mcp_notes-work_add_note');

  state.warningAnswer = undefined;
  await actions.remove(node);
  assert.match(state.files.get(CONFIG) ?? '', /"work"/, 'dismissed: nothing removed');
  assert.deepEqual((state.warningMessages[0]?.options as { modal?: boolean }).modal, true);
  state.warningAnswer = REMOVE_ACTION;
  await actions.remove(node);
  assert.doesNotMatch(state.files.get(CONFIG) ?? '', /"work"/);
  assert.match(state.files.get(CONFIG) ?? '', /"personal": \{\}/);
  assert.deepEqual(changes, ['notes/work: deny add_note', 'notes/work: allow add_note', 'notes/work: remove instance']);

  // From the palette (no node) with nothing picked: nothing happens.
  runtime.calls.length = 0;
  await actions.start(undefined);
  assert.deepEqual(runtime.calls, []);
  assert.match(state.informationMessages.at(-1)?.message ?? '', /no instances yet/);
});

test('Create Configuration writes the file with $schema once; Set Secret stores under the namespaced key', async () => {
  const { api, state, runtime, files, changes } = setup();
  const stored = new Map<string, string>();
  const opened: string[] = [];
  Object.assign(api.workspace, { openTextDocument: async (uri: { fsPath: string }) => (opened.push(uri.fsPath), { positionAt: (offset: number) => ({ offset }) }) });
  Object.assign(api.window, { showTextDocument: async () => undefined });
  Object.assign(api, { Selection: class { constructor(readonly anchor: unknown, readonly active: unknown) {} } });
  const commands = new ConfigCommands({
    api,
    files,
    secrets: { get: async (key) => stored.get(key), store: async (key, value) => void stored.set(key, value), delete: async (key) => void stored.delete(key) },
    instances: () => runtime.instances(),
    configChanged: (reason) => void changes.push(reason),
  });
  await commands.createConfiguration();
  assert.equal(state.files.get(CONFIG), '{\n  "$schema": "mcplex-schema:/mcplex.schema.json",\n  "servers": {}\n}\n');
  state.files.set(CONFIG, '{ "servers": { "n": { "command": "x", "env": { "K": "${secret:n-key}" }, "instances": { "w": {} } } } }');
  await commands.createConfiguration();
  assert.match(state.files.get(CONFIG) ?? '', /n-key/, 'an existing file is opened, not replaced');
  assert.deepEqual(opened, [CONFIG, CONFIG]);

  state.quickPickAnswer = 0;
  state.inputAnswers.push('s3cret');
  await commands.setSecret();
  assert.deepEqual((state.quickPicks.at(-1)?.items as { label: string; description: string }[]).map((item) => [item.label, item.description]), [['n-key', 'not set']]);
  assert.deepEqual([...stored], [['mcplex.secret.n-key', 's3cret']]);
  await commands.clearSecret();
  assert.deepEqual([...stored], []);
  assert.deepEqual(changes, ['configuration created', 'secret n-key set', 'secret n-key cleared']);
});

test('Set Secret from a running instance offers every secret it uses, and changes the one picked', async () => {
  const { api, state, files, changes } = setup();
  const stored = new Map<string, string>([['mcplex.secret.work-token', 'old']]);
  const running = instanceView({ secrets: ['work-token', 'work-api-key'] });
  const other = instanceView({ instanceId: 'personal', secrets: ['personal-token'] });
  const commands = new ConfigCommands({
    api,
    files,
    secrets: { get: async (key) => stored.get(key), store: async (key, value) => void stored.set(key, value), delete: async (key) => void stored.delete(key) },
    instances: () => [running, other],
    configChanged: (reason) => void changes.push(reason),
  });
  state.quickPickAnswer = 0;
  state.inputAnswers.push('new-value');
  await commands.setSecret({ kind: 'instance', instance: { runtimeId: 'file:///ws/app#notes/work' } });
  const offered = (state.quickPicks.at(-1)?.items as { label: string; description: string }[]).map((item) => [item.label, item.description]);
  assert.deepEqual(offered, [['work-token', 'set'], ['work-api-key', 'not set']], 'only this instance\'s secrets, with whether each is set');
  assert.equal(stored.get('mcplex.secret.work-token'), 'new-value');
  assert.deepEqual(changes, ['secret work-token set']);
});

interface Manifest {
  contributes: {
    commands: { command: string; title: string; icon?: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; name: string }[]>;
    viewsWelcome: { view: string; contents: string; when: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
    walkthroughs: { steps: { when?: string; media: { svg: string; altText: string } }[] }[];
  };
}

test('the manifest: the view, its welcome, menus of contributed commands only, walkthrough files, the icon', () => {
  const root = join(__dirname, '..', '..', '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  const { contributes } = manifest;
  const container = contributes.viewsContainers.activitybar[0];
  assert.equal(container?.id, 'mcplex');
  assert.ok(existsSync(join(root, container?.icon ?? '')));
  assert.match(readFileSync(join(root, container?.icon ?? ''), 'utf8'), /currentColor/, 'a monochrome icon');
  assert.deepEqual(contributes.views['mcplex']?.map((view) => [view.id, view.name]), [[INSTANCES_VIEW_ID, 'Instances']]);
  const ids = new Set(contributes.commands.map((command) => command.command));
  for (const [menu, items] of Object.entries(contributes.menus)) {
    for (const item of items) assert.ok(ids.has(item.command), `${menu} names ${item.command}, which is not contributed`);
  }
  const keys = new Set<string>(Object.values(CONTEXT_KEYS));
  const used = JSON.stringify(contributes).match(/mcplex\.(?:trusted|hasFolder|hasConfig|[a-zA-Z]+)(?=[\s)&|]|$)/g) ?? [];
  for (const key of used.filter((name) => /^mcplex\.(has|trusted)/.test(name))) assert.ok(keys.has(key), `unknown context key ${key}`);
  // One door per situation: mcp.json has a server → the second account; nothing at all → Add Account Instance.
  const doors = (when: string) => [...(contributes.viewsWelcome.find((entry) => entry.when.endsWith(when))?.contents.matchAll(/\(command:(mcplex\.[a-zA-Z]+)/g) ?? [])].map((match) => match[1]);
  assert.deepEqual(doors('!mcplex.hasConfig && mcplex.mcpJsonServers'), [COMMANDS.addSecondAccount]);
  // "== false": not before the window has read mcp.json (an unset key would show the wrong door while the extension starts).
  assert.deepEqual(doors('!mcplex.hasConfig && mcplex.mcpJsonServers == false'), [COMMANDS.addInstance]);
  const steps = contributes.walkthroughs[0]?.steps ?? [];
  // The first step shown never writes an empty file when mcp.json has a server.
  assert.deepEqual(steps.filter((step) => step.when !== undefined).map((step) => step.when), ['mcplex.mcpJsonServers', '!mcplex.mcpJsonServers']);
  for (const step of steps) {
    assert.match(readFileSync(join(root, step.media.svg), 'utf8'), /<svg[^>]*viewBox/, step.media.svg);
    assert.ok(step.media.altText.length > 0, `${step.media.svg} has no alt text`);
  }
  const inline = contributes.menus['view/item/context']?.filter((item) => item.group?.startsWith('inline')) ?? [];
  for (const item of inline) assert.ok(contributes.commands.find((command) => command.command === item.command)?.icon, `${item.command} is inline but has no icon`);
});

test('Clear Secret asks first, modally, naming the instances it stops; with none running it just clears', async () => {
  const { api, state, files, changes } = setup();
  const stored = new Map<string, string>([['mcplex.secret.work-key', 'v']]);
  let views = [
    instanceView({ secrets: ['work-key'], status: { kind: 'running' } }),
    instanceView({ instanceId: 'personal', secrets: ['work-key'], status: { kind: 'failed', message: 'boom', retrying: true } }),
    instanceView({ instanceId: 'other', secrets: ['other-key'], status: { kind: 'running' } }),
  ];
  const commands = new ConfigCommands({
    api,
    files,
    secrets: { get: async (key) => stored.get(key), store: async (key, value) => void stored.set(key, value), delete: async (key) => void stored.delete(key) },
    instances: () => views,
    configChanged: (reason) => void changes.push(reason),
  });
  const node = { kind: 'instance', instance: WORK };
  state.warningAnswer = undefined;
  await commands.clearSecret(node);
  assert.equal(state.warningMessages.length, 1);
  const [asked] = state.warningMessages;
  assert.equal(asked?.message, 'Clear the secret "work-key"? "Notes · work" and "Notes · personal" use it and stop until it is set again.');
  assert.deepEqual(asked?.options, { modal: true });
  assert.deepEqual(asked?.items, [CLEAR_SECRET_ACTION]);
  assert.deepEqual([...stored.keys()], ['mcplex.secret.work-key'], 'dismissed: kept');
  assert.deepEqual(changes, []);

  state.warningAnswer = CLEAR_SECRET_ACTION;
  await commands.clearSecret(node);
  assert.deepEqual([...stored], []);
  assert.deepEqual(changes, ['secret work-key cleared']);

  // Nothing of it runs: cleared without a question.
  stored.set('mcplex.secret.work-key', 'v');
  views = views.map((view) => ({ ...view, status: { kind: 'stopped' } }));
  await commands.clearSecret(node);
  assert.equal(state.warningMessages.length, 2);
  assert.deepEqual([...stored], []);
});
