// A folder whose configuration has errors: a row that says so and that its instances run the
// last good version, opening the first problem; and never the welcome view ("no instance yet")
// while such a folder exists, even when none of its instances could be planned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrokenConfig } from '../../../../src/core/runtime';
import type { Problem } from '../../../../src/core/problems';
import { McplexUi } from '../../../../src/extension/ui';
import { CONTEXT_KEYS } from '../../../../src/extension/view/contextKeys';
import { InstancesTree, TREE_COALESCE_MS } from '../../../../src/extension/view/instancesTree';
import { buildTree } from '../../../../src/extension/view/treeModel';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import { FakeRuntime } from '../../../helpers/fakeRuntime';
import { instanceView } from '../../../helpers/instanceView';
import { ManualTimers } from '../../../helpers/manualTimers';

const FOLDER = { id: 'file:///ws/app', name: 'app' };
const FILE = '/ws/app/.mcplex.jsonc';

function problem(file = FILE): Problem {
  return { severity: 'error', code: 'unknown-key', message: 'Unknown key `lable` in instance `work`. Did you mean `label`?', file, line: 5, column: 17, offset: 80, length: 7, path: ['servers', 'notes', 'instances', 'work', 'lable'] };
}

function broken(extra: Partial<BrokenConfig> = {}): BrokenConfig {
  return { folderId: FOLDER.id, problem: problem(), errorCount: 1, runsLastGood: true, ...extra };
}

test('the folder shows a row first that says the file has errors and its instances run the last good version', () => {
  const [folder] = buildTree([instanceView({ folderId: FOLDER.id, instanceId: 'work', status: { kind: 'running' } })], [FOLDER], [broken()]);
  const [row, server] = folder?.children ?? [];
  assert.equal(row?.kind, 'configError');
  assert.equal(server?.kind, 'server');
  assert.equal(row?.label, 'The configuration file has errors');
  assert.equal(row?.description, '1 error · running its last good version');
  assert.match(row?.tooltip ?? '', /nothing was stopped/);
  assert.match(row?.tooltip ?? '', /\/ws\/app\/\.mcplex\.jsonc:5:17/);
  assert.match(row?.tooltip ?? '', /Did you mean `label`\?/);

  const [first] = buildTree([], [FOLDER], [broken({ runsLastGood: false, errorCount: 2 })]);
  assert.deepEqual(first?.children.map((child) => [child.kind, child.description]), [['configError', '2 errors · only its valid part runs']], 'no "No instances" message under it');
  const [setting] = buildTree([], [FOLDER], [broken({ problem: problem('settings (mcplex.servers)') })]);
  assert.equal(setting?.children[0]?.label, 'The mcplex.servers setting has errors');
});

test('the row opens the first problem at its line and column; the tree is not empty while it shows', () => {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/app', 'app');
  const runtime = new FakeRuntime();
  const timers = new ManualTimers();
  const tree = new InstancesTree(api, runtime, timers);
  assert.deepEqual(tree.getChildren(), []);
  runtime.brokenList = [broken({ runsLastGood: false })];
  runtime.fireChange();
  timers.advance(TREE_COALESCE_MS);
  const [folder] = tree.getChildren();
  assert.ok(folder, 'a configuration with errors is never the empty welcome view');
  const [row] = tree.getChildren(folder);
  assert.ok(row);
  const item = tree.getTreeItem(row);
  assert.equal(item.contextValue, 'configError');
  assert.equal(item.command?.command, 'vscode.open');
  const [uri, options] = item.command?.arguments ?? [];
  assert.equal((uri as { fsPath: string }).fsPath, FILE);
  const selection = (options as { selection: { start: { line: number; character: number } } }).selection;
  assert.deepEqual([selection.start.line, selection.start.character], [4, 16]);
  tree.dispose();
});

test('hasConfig is true while a folder has a configuration with errors and no instance, so the welcome view hides', () => {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/app', 'app');
  const runtime = new FakeRuntime();
  const ui = new McplexUi({ api, runtime, secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined }, log: { info: () => undefined, showInstance: () => undefined, error: () => undefined }, isTrusted: () => true, configChanged: () => undefined, timers: new ManualTimers() });
  const hasConfig = () => state.executed.filter((call) => call.command === 'setContext' && call.args[0] === CONTEXT_KEYS.hasConfig).at(-1)?.args[1];
  assert.equal(hasConfig(), false);
  runtime.brokenList = [broken({ runsLastGood: false })];
  ui.tree.refresh();
  assert.equal(hasConfig(), true);
  ui.dispose();
});
