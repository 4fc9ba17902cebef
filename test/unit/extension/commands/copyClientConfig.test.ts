// "Copy Configuration for Another Client": from an instance row, a folder row or the palette,
// the client's entry goes to the clipboard with the absolute path of the folder's
// .mcplex.jsonc, the message says where to paste it (and which secrets the CLI needs), and
// "Open in Editor" shows the same text. An instance of the mcplex.servers setting is refused:
// the CLI never reads it. The menus offer the command on instance and folder rows only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENTS } from '../../../../src/core/clients';
import type { InstanceView } from '../../../../src/core/runtime';
import { COMMANDS } from '../../../../src/extension/commands/commands';
import { CopyClientConfig, OPEN_IN_EDITOR } from '../../../../src/extension/commands/copyClientConfig';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { buildTree, type InstanceNode, type ServerNode } from '../../../../src/extension/view/treeModel';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import { instanceView } from '../../../helpers/instanceView';

const CONFIG = '/ws/my app/.mcplex.jsonc';
const inFile = { file: CONFIG, path: ['servers', 'notes'], line: 1, column: 1, offset: 0, length: 1 };
const inSettings = { ...inFile, file: 'settings (mcplex.servers)' };

function setup(views: readonly InstanceView[], platform: NodeJS.Platform = 'linux') {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/my app', 'my app');
  const opened: { content: string; language: string }[] = [];
  const shown: unknown[] = [];
  // The fake has no editors; these two record what the command opens.
  const withEditors = {
    ...api,
    workspace: { ...api.workspace, openTextDocument: (options: { content: string; language: string }) => (opened.push(options), Promise.resolve(options)) },
    window: { ...api.window, showTextDocument: (document: unknown) => (shown.push(document), Promise.resolve(undefined)) },
  } as unknown as typeof api;
  const folderId = state.folders[0]?.uri.toString() ?? '';
  const command = new CopyClientConfig({ api: withEditors, files: new ConfigFiles(withEditors), instances: () => views.map((view) => ({ ...view, folderId })), platform });
  return { command, state, opened, shown, folderId };
}

const CLIENT = (kind: string): number => CLIENTS.findIndex((client) => client.kind === kind);

function instanceRow(view: InstanceView): InstanceNode {
  const server = buildTree([view], [{ id: view.folderId, name: 'my app' }])[0]?.children[0] as ServerNode;
  const node = server.children[0];
  assert.ok(node?.kind === 'instance');
  return node;
}

test('from an instance row: the client\'s entry for that instance on the clipboard, and where it goes', async () => {
  const views = [instanceView({ location: inFile }), instanceView({ instanceId: 'personal', location: inFile })];
  const { command, state, folderId } = setup(views);
  state.quickPickAnswer = CLIENT('mcp-json');
  await command.run(instanceRow({ ...views[0], folderId } as InstanceView));
  assert.deepEqual(JSON.parse(state.clipboard), { servers: { 'notes-work': { type: 'stdio', command: 'npx', args: ['mcplex', 'serve', '--config', CONFIG, '--instance', 'notes/work'] } } });
  assert.deepEqual((state.quickPicks[0]?.items as { label: string }[]).map((item) => item.label), CLIENTS.map((client) => client.label));
  const message = state.informationMessages[0];
  assert.match(message?.message ?? '', /Copied the VS Code mcp\.json configuration of "Notes · work" to the clipboard: paste it into \.vscode\/mcp\.json/);
  assert.deepEqual(message?.items, [OPEN_IN_EDITOR]);
});

test('from a folder row: one entry for every instance of its file, named after the folder; on Windows through cmd /c, quoted for its shell', async () => {
  const { command, state, folderId } = setup([instanceView({ location: inFile }), instanceView({ instanceId: 'personal', location: inFile })], 'win32');
  state.quickPickAnswer = CLIENT('claude-code');
  await command.run({ kind: 'folder', folderId });
  assert.equal(state.clipboard, `claude mcp add mcplex-my-app -- cmd /c npx mcplex serve --config "${CONFIG}"\n`);
});

test('the secrets the instances read are named, with the CLI command that stores them; their values are nowhere', async () => {
  const { command, state, folderId } = setup([instanceView({ location: inFile, secrets: ['notes_token'] }), instanceView({ instanceId: 'personal', location: inFile, secrets: ['notes_token', 'other_key'] })]);
  state.quickPickAnswer = CLIENT('cursor');
  await command.run({ kind: 'folder', folderId });
  assert.match(state.informationMessages[0]?.message ?? '', /reads \$\{secret:notes_token\}, \$\{secret:other_key\} from its own store: set each once with "npx mcplex secret set NAME"/);
  assert.doesNotMatch(state.clipboard, /secret|token/);
});

test('"Open in Editor" opens the copied text in an untitled editor, in its language', async () => {
  const { command, state, opened, shown, folderId } = setup([instanceView({ location: inFile })]);
  state.quickPickAnswer = CLIENT('copilot-cli');
  state.informationAnswer = OPEN_IN_EDITOR;
  await command.run({ kind: 'folder', folderId });
  assert.deepEqual(opened, [{ content: state.clipboard, language: 'json' }]);
  assert.equal(shown.length, 1);
});

test('from the palette: the folder first, then each instance of a file; an instance of the setting is not offered', async () => {
  const { command, state } = setup([instanceView({ location: inFile }), instanceView({ instanceId: 'personal', location: inSettings })]);
  state.quickPickAnswers.push(1, CLIENT('claude-code-json'));
  await command.run();
  assert.deepEqual((state.quickPicks[0]?.items as { label: string }[]).map((item) => item.label), ['$(root-folder) my app', '$(server) Notes · work']);
  assert.deepEqual(Object.keys((JSON.parse(state.clipboard) as { mcpServers: object }).mcpServers), ['notes-work']);
});

test('an instance of the mcplex.servers setting is refused with why; nothing is copied', async () => {
  const view = instanceView({ location: inSettings });
  const { command, state, folderId } = setup([view]);
  state.quickPickAnswer = 0;
  await command.run(instanceRow({ ...view, folderId }));
  assert.match(state.errorMessages[0] ?? '', /mcplex\.servers setting, which the CLI does not read/);
  assert.equal(state.clipboard, '');
  await command.run({ kind: 'folder', folderId });
  assert.match(state.informationMessages[0]?.message ?? '', /my app has no instance in \.mcplex\.jsonc/);
  assert.equal(state.clipboard, '');
});

test('the menus offer it on every instance row and on folder rows, and in the palette once there is a configuration', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> };
  };
  const entries = (manifest.contributes.menus['view/item/context'] ?? []).filter((entry) => entry.command === COMMANDS.copyClientConfig);
  const matches = (when: string | undefined, viewItem: string): boolean => {
    const pattern = /viewItem =~ \/(.+?)\/(?: |$)/.exec(when ?? '')?.[1];
    return pattern !== undefined ? new RegExp(pattern).test(viewItem) : /viewItem == (\S+)/.exec(when ?? '')?.[1] === viewItem;
  };
  for (const viewItem of ['instance.running', 'instance.needsSecret.secrets', 'instance.stopped.auth.mcpJson', 'folder']) {
    assert.ok(entries.some((entry) => matches(entry.when, viewItem)), viewItem);
  }
  for (const viewItem of ['server', 'tool.allowed', 'recentCalls']) assert.ok(!entries.some((entry) => matches(entry.when, viewItem)), viewItem);
  assert.equal(buildTree([], [{ id: 'f', name: 'f' }])[0]?.contextValue, 'folder');
  assert.deepEqual((manifest.contributes.menus['commandPalette'] ?? []).filter((entry) => entry.command === COMMANDS.copyClientConfig).map((entry) => entry.when), ['mcplex.hasConfig']);
});
