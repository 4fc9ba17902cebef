// The server row's actions (issue 16): "Restart This Server's Instances" restarts the ones
// that run or tried to (not one the user stopped, nor another server's), and "Add Account to
// This Server" starts the flow with its folder and server chosen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServerActions, serverFromArgument } from '../../../../src/extension/commands/serverActions';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { buildTree, type ServerNode } from '../../../../src/extension/view/treeModel';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import { FakeRuntime } from '../../../helpers/fakeRuntime';
import { instanceView } from '../../../helpers/instanceView';

function setup() {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/app', 'app');
  const runtime = new FakeRuntime();
  runtime.instanceList = [
    instanceView({ instanceId: 'work', status: { kind: 'running' } }),
    instanceView({ instanceId: 'personal', status: { kind: 'failed', message: 'boom', retrying: false } }),
    instanceView({ instanceId: 'old', status: { kind: 'stopped' } }),
    instanceView({ instanceId: 'team', status: { kind: 'needs-secret', secrets: ['k'] } }),
    instanceView({ instanceId: 'x', serverId: 'other', key: 'other/x' }),
  ];
  const started: unknown[] = [];
  const actions = new ServerActions({ runtime, files: new ConfigFiles(api), addAccount: async (start) => void started.push(start) });
  const server = buildTree(runtime.instances(), [{ id: 'file:///ws/app', name: 'app' }])[0]?.children[0] as ServerNode;
  return { runtime, actions, started, server };
}

test('Restart This Server\'s Instances: the running and failed ones of that server, nothing else', async () => {
  const { runtime, actions, server } = setup();
  await actions.restart(server);
  assert.deepEqual(runtime.calls, ['restart file:///ws/app#notes/work', 'restart file:///ws/app#notes/personal']);
});

test('Add Account to This Server: the flow starts with the row\'s folder and server; from the palette, with nothing chosen', async () => {
  const { actions, started, server } = setup();
  await actions.addAccount(server);
  await actions.addAccount();
  const [fromRow, fromPalette] = started as [{ folder?: { name: string }; serverId?: string }, object];
  assert.deepEqual([fromRow.folder?.name, fromRow.serverId], ['app', 'notes']);
  assert.deepEqual(fromPalette, {});
});

test('an argument that is not a server row is no server', () => {
  assert.equal(serverFromArgument({ kind: 'instance', folderId: 'a', serverId: 'b' }), undefined);
  assert.equal(serverFromArgument(undefined), undefined);
  assert.deepEqual(serverFromArgument({ kind: 'server', folderId: 'a', serverId: 'b' }), { folderId: 'a', serverId: 'b' });
});
