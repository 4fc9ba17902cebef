// "Remove from mcp.json": the tree row of an instance that an mcp.json server duplicates says
// so and carries the `.mcpJson` suffix, whose menu entry removes that entry (comments kept)
// and takes no other action away; from the palette only such instances are offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstanceStatus } from '../../../../src/core/runtime';
import { COMMANDS } from '../../../../src/extension/commands/commands';
import { McpJsonActions } from '../../../../src/extension/commands/mcpJsonActions';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { buildTree, MCP_JSON_DUPLICATE_CONTEXT, type InstanceNode, type ServerNode } from '../../../../src/extension/view/treeModel';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import { instanceView } from '../../../helpers/instanceView';

const MCP_JSON = '/ws/app/.vscode/mcp.json';
const TEXT = `{
  "servers": {
    // work's notes, before mcplex
    "notes": { "command": "node", "args": ["notes.js"] },
    // stays
    "other": { "command": "node", "args": ["other.js"] }
  }
}
`;

function rowOf(view: ReturnType<typeof instanceView>): InstanceNode {
  const server = buildTree([view], [{ id: view.folderId, name: 'app' }])[0]?.children[0] as ServerNode;
  const node = server.children[0];
  assert.ok(node?.kind === 'instance');
  return node;
}

test('the row says the account also runs from mcp.json, in its description, tooltip and context value', () => {
  const row = rowOf(instanceView({ duplicateOfMcpJson: 'notes' }));
  assert.match(row.description ?? '', /also in mcp\.json/);
  assert.match(row.tooltip ?? '', /"notes" in \.vscode\/mcp\.json starts the same server/);
  assert.ok(row.contextValue.endsWith(MCP_JSON_DUPLICATE_CONTEXT));
  assert.ok(!rowOf(instanceView()).contextValue.includes(MCP_JSON_DUPLICATE_CONTEXT));
});

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
  readonly group?: string;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuEntry[]>; commands: { command: string; title: string }[] };
};
const itemMenu = manifest.contributes.menus['view/item/context'] ?? [];
function menuFor(viewItem: string): string[] {
  return itemMenu
    .filter((entry) => {
      const pattern = /viewItem =~ \/(.+?)\/(?: |$)/.exec(entry.when ?? '')?.[1];
      if (pattern !== undefined) return new RegExp(pattern).test(viewItem);
      const equals = /viewItem == (\S+)/.exec(entry.when ?? '')?.[1];
      return equals === undefined || equals === viewItem;
    })
    .map((entry) => `${entry.command}@${entry.group ?? ''}`);
}

test('the manifest: "Remove from mcp.json" has a title and shows exactly on such rows; the suffix takes nothing else away', () => {
  assert.ok(manifest.contributes.commands.some((command) => command.command === COMMANDS.removeFromMcpJson && command.title !== ''));
  const statuses: InstanceStatus[] = [
    { kind: 'running' },
    { kind: 'starting', attempt: 1 },
    { kind: 'failed', message: 'boom', retrying: false },
    { kind: 'stopped' },
    { kind: 'untrusted' },
    { kind: 'needs-secret', secrets: ['key'] },
    { kind: 'needs-sign-in', message: 'sign in' },
  ];
  for (const status of statuses) {
    for (const extra of [{}, { signsIn: true }, { secrets: ['key'] }, { signsIn: true, secrets: ['key'] }]) {
      const plain = rowOf(instanceView({ status, ...extra })).contextValue;
      const duplicate = rowOf(instanceView({ status, ...extra, duplicateOfMcpJson: 'notes' })).contextValue;
      const remove = menuFor(duplicate).filter((entry) => entry.startsWith(`${COMMANDS.removeFromMcpJson}@`));
      assert.equal(remove.length, 1, `${duplicate} offers Remove from mcp.json`);
      assert.ok(!menuFor(plain).some((entry) => entry.startsWith(`${COMMANDS.removeFromMcpJson}@`)), `${plain} does not`);
      assert.deepEqual(menuFor(duplicate).filter((entry) => !remove.includes(entry)), menuFor(plain), `${duplicate} vs ${plain}`);
    }
  }
});

test('the action removes the entry the instance duplicates, comments kept, and re-reads; the palette offers only duplicates', async () => {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/app', 'app');
  state.files.set(MCP_JSON, TEXT);
  const changes: string[] = [];
  const views = [instanceView({ duplicateOfMcpJson: 'notes' }), instanceView({ instanceId: 'personal' })];
  const actions = new McpJsonActions({ api, files: new ConfigFiles(api), instances: () => views, configChanged: (reason) => void changes.push(reason) });
  const node = { kind: 'instance', instance: { runtimeId: 'file:///ws/app#notes/work' } };
  await actions.removeFromMcpJson(node);
  assert.equal(state.files.get(MCP_JSON), `{\n  "servers": {\n    // stays\n    "other": { "command": "node", "args": ["other.js"] }\n  }\n}\n`);
  assert.deepEqual(changes, ['"notes" removed from .vscode/mcp.json']);

  state.files.set(MCP_JSON, TEXT);
  await actions.removeFromMcpJson(undefined); // the palette: nothing picked
  assert.deepEqual((state.quickPicks.at(-1)?.items as { label: string }[]).map((item) => item.label.replace(/^\$\([^)]*\) /, '')), ['Notes · work']);
  assert.equal(state.files.get(MCP_JSON), TEXT);
});
