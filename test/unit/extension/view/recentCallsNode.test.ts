// The "Recent calls" row under an instance: absent before the first call, newest first,
// an icon per outcome, relative times from the `now` it is given, the duration in the tooltip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry } from '../../../../src/core/audit';
import { ago } from '../../../../src/extension/view/recentCallsNode';
import { InstancesTree } from '../../../../src/extension/view/instancesTree';
import { buildTree, type InstanceNode, type RecentCallsNode, type ServerNode } from '../../../../src/extension/view/treeModel';
import { createFakeVscode, FakeTreeItemCollapsibleState } from '../../../helpers/fakeVscode';
import { FakeRuntime } from '../../../helpers/fakeRuntime';
import { ManualTimers } from '../../../helpers/manualTimers';
import { instanceView } from '../../../helpers/instanceView';

const FOLDER = { id: 'file:///ws/app', name: 'app' };
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const call = (tool: string, outcome: AuditEntry['outcome'], secondsAgo: number, durationMs = 5): AuditEntry => ({
  time: new Date(NOW - secondsAgo * 1000).toISOString(),
  instance: 'notes/work',
  tool,
  outcome,
  durationMs,
});

function instanceNode(view: ReturnType<typeof instanceView>): InstanceNode {
  const server = buildTree([view], [FOLDER], [], NOW)[0]?.children[0] as ServerNode;
  return server.children[0] as InstanceNode;
}

test('no row before the first call; then one row, first under the instance, calls newest first', () => {
  assert.ok(instanceNode(instanceView({ folderId: FOLDER.id })).children.every((child) => child.kind !== 'recentCalls'));
  const node = instanceNode(
    instanceView({
      folderId: FOLDER.id,
      auditFile: '/state/records/app-1/notes/work/audit.jsonl',
      recentCalls: [call('add_note', 'declined', 2), call('search', 'timed-out', 90, 300_000), call('list_notes', 'error', 4000), call('list_notes', 'ok', 200_000)],
    }),
  );
  const recent = node.children[0] as RecentCallsNode;
  assert.equal(recent.kind, 'recentCalls');
  assert.equal(recent.label, 'Recent calls');
  assert.equal(recent.description, '4 · last just now');
  assert.match(recent.tooltip ?? '', /audit\.jsonl/);
  assert.equal(recent.instance.auditFile, '/state/records/app-1/notes/work/audit.jsonl');
  assert.deepEqual(
    recent.children.map((row) => [row.label, row.description, row.icon?.id]),
    [
      ['add_note', 'declined · just now', 'circle-slash'],
      ['search', 'timed-out · 1 min ago', 'watch'],
      ['list_notes', 'error · 1 h ago', 'error'],
      ['list_notes', 'ok · 2 d ago', 'pass'],
    ],
  );
  assert.equal(recent.children[1]?.tooltip, `search: timed-out in 300000 ms\n${call('search', 'timed-out', 90).time}`);
  assert.equal(new Set(recent.children.map((row) => row.id)).size, 4, 'row ids are unique');
});

test('the tree adapter shows the row collapsed under the instance, with the context value its inline action matches', () => {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/app', 'app');
  const runtime = new FakeRuntime();
  runtime.instanceList = [instanceView({ folderId: 'file:///ws/app', recentCalls: [call('search', 'ok', 10)] })];
  const tree = new InstancesTree(api, runtime, new ManualTimers());
  const [folder] = tree.getChildren();
  const instance = tree.getChildren(tree.getChildren(folder!)[0]!)[0]!;
  const recent = tree.getChildren(instance)[0]!;
  const item = tree.getTreeItem(recent);
  assert.equal(item.contextValue, 'recentCalls');
  assert.equal(item.label, 'Recent calls');
  assert.equal(item.collapsibleState, FakeTreeItemCollapsibleState.Collapsed);
  assert.equal(tree.getChildren(recent).length, 1);
  tree.dispose();
});

test('relative times', () => {
  assert.equal(ago('2026-03-01T11:59:58.000Z', NOW), 'just now');
  assert.equal(ago('2026-03-01T11:59:30.000Z', NOW), '30 s ago');
  assert.equal(ago('2026-03-01T11:59:00.000Z', NOW), '1 min ago');
  assert.equal(ago('not a time', NOW), 'at an unknown time');
});
