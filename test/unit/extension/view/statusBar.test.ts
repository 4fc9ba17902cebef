// The status bar: counts, the untrusted shield, the tooltip listing every instance, the
// click; and the instances quick pick it opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstanceStatus, InstanceView } from '../../../../src/core/runtime';
import { instancePickItems, showInstancePicker } from '../../../../src/extension/view/instancePicker';
import { McplexStatusBar, statusBarView } from '../../../../src/extension/view/statusBar';
import { createFakeVscode, FakeThemeColor } from '../../../helpers/fakeVscode';

function instance(instanceId: string, status: InstanceStatus): InstanceView {
  const label = `Notes · ${instanceId[0]?.toUpperCase()}${instanceId.slice(1)}`;
  return {
    folderId: 'file:///ws',
    key: `notes/${instanceId}`,
    serverId: 'notes',
    instanceId,
    prefix: instanceId,
    slug: `notes-${instanceId}`,
    label,
    serverLabel: 'Notes',
    instanceLabel: label.slice('Notes · '.length),
    status,
  };
}

const running = (id: string) => instance(id, { kind: 'running', pid: 42 });

test('running instances are counted', () => {
  const view = statusBarView([running('work'), running('personal')], true);
  assert.equal(view.visible, true);
  assert.equal(view.text, '$(server) 2 running');
  assert.equal(view.tooltip, 'MCPlex\nNotes · Work: running\nNotes · Personal: running');
  assert.equal(view.background, undefined);
});

test('a failure wins over the running count and its message is in the tooltip', () => {
  const view = statusBarView([running('work'), instance('personal', { kind: 'failed', message: 'exited with code 2', retrying: true })], true);
  assert.equal(view.text, '$(error) 1 failed');
  assert.match(view.tooltip, /Notes · Personal: failed, retrying \(exited with code 2\)/);
  assert.equal(view.background, 'statusBarItem.errorBackground');
});

test('starting and needs-a-secret read as such', () => {
  assert.equal(statusBarView([running('work'), instance('personal', { kind: 'starting', attempt: 1 })], true).text, '$(sync~spin) 1 starting');
  const secret = statusBarView([instance('work', { kind: 'needs-secret', secrets: ['work-key'] })], true);
  assert.equal(secret.text, '$(key) 1 needs a secret');
  assert.match(secret.tooltip, /Set \$\{secret:work-key\} to start it/);
});

test('an untrusted workspace shows the shield whatever the instances say', () => {
  const view = statusBarView([instance('work', { kind: 'untrusted' })], false);
  assert.equal(view.text, '$(shield) untrusted');
  assert.match(view.tooltip, /Nothing starts until you trust this workspace/);
});

test('no instances: the item is hidden', () => {
  assert.equal(statusBarView([], true).visible, false);
  assert.equal(statusBarView([], false).visible, false);
});

test('the item renders the view and its click opens the instances', () => {
  const { api, state } = createFakeVscode();
  const bar = new McplexStatusBar(api);
  const item = state.statusBarItems[0];
  assert.ok(item);
  assert.equal(item.command, 'mcplex.showInstances');
  bar.render([running('work')], true);
  assert.deepEqual([item.text, item.visible], ['$(server) 1 running', true]);
  bar.render([instance('work', { kind: 'failed', message: 'boom', retrying: false })], true);
  assert.ok(item.backgroundColor instanceof FakeThemeColor);
  assert.equal(item.backgroundColor.id, 'statusBarItem.errorBackground');
  bar.render([], true);
  assert.equal(item.visible, false);
  bar.dispose();
  assert.equal(item.disposed, true);
});

test('the instances quick pick lists each instance with its state; picking one gives it back', async () => {
  const items = instancePickItems([running('work'), instance('personal', { kind: 'failed', message: 'boom', retrying: false })]);
  assert.deepEqual(
    items.map(({ label, description, detail }) => ({ label, description, detail })),
    [
      { label: '$(pass) Notes · Work', description: 'running', detail: undefined },
      { label: '$(error) Notes · Personal', description: 'failed', detail: 'boom' },
    ],
  );
  const { api, state } = createFakeVscode();
  state.quickPickAnswer = 1;
  assert.equal((await showInstancePicker(api, [running('work'), running('personal')]))?.instanceId, 'personal');
  assert.equal(state.quickPicks.length, 1);
  state.quickPickAnswer = undefined;
  assert.equal(await showInstancePicker(api, [running('work')]), undefined);
  assert.equal(await showInstancePicker(api, []), undefined);
  assert.match(state.informationMessages[0]?.message ?? '', /has no instances/);
});
