// A server row's actions: "Add Account to This Server" starts the flow with its folder and
// server chosen, "Restart This Server's Instances" restarts the ones of that server that run
// or tried to (not one the user stopped, not one waiting for a secret), and neither acts on
// an argument that is not a server row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { ServerActions, serverFromArgument } from '../../../../src/extension/commands/serverActions';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { buildTree, type ServerNode } from '../../../../src/extension/view/treeModel';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import { FakeRuntime } from '../../../helpers/fakeRuntime';
import { instanceView } from '../../../helpers/instanceView';

const APP = 'file:///ws/app';
const OTHER = 'file:///ws/other';

function setup() {
  const { api, state } = createFakeVscode();
  state.addFolder('/ws/app', 'app');
  state.addFolder('/ws/other', 'other');
  const runtime = new FakeRuntime();
  runtime.instanceList = [
    instanceView({ folderId: APP, instanceId: 'work', status: { kind: 'running' } }),
    instanceView({ folderId: APP, instanceId: 'personal', status: { kind: 'failed', message: 'boom', retrying: false } }),
    instanceView({ folderId: APP, instanceId: 'next', status: { kind: 'starting', attempt: 1 } }),
    instanceView({ folderId: APP, instanceId: 'old', status: { kind: 'stopped' } }),
    instanceView({ folderId: APP, instanceId: 'team', status: { kind: 'needs-secret', secrets: ['k'] } }),
    instanceView({ folderId: APP, instanceId: 'mail', key: 'mail/mail', serverId: 'mail', status: { kind: 'running' } }),
    instanceView({ folderId: OTHER, instanceId: 'work', status: { kind: 'running' } }),
  ];
  const started: { folder: vscode.WorkspaceFolder; serverId: string }[] = [];
  const actions = new ServerActions({ runtime, files: new ConfigFiles(api), addAccount: async (start) => void started.push(start) });
  const serverRow = (folderId: string, serverId: string): ServerNode => {
    const folder = buildTree(runtime.instances(), [{ id: APP, name: 'app' }, { id: OTHER, name: 'other' }]).find((node) => node.folderId === folderId);
    const row = folder?.children.find((child): child is ServerNode => child.kind === 'server' && child.serverId === serverId);
    assert.ok(row, `${folderId} has the server ${serverId}`);
    return row;
  };
  return { runtime, actions, started, serverRow };
}

test('Restart This Server\'s Instances restarts its running, starting and failed instances, in that folder only', async () => {
  const { runtime, actions, serverRow } = setup();
  await actions.restart(serverRow(APP, 'notes'));
  assert.deepEqual(runtime.calls.sort(), [`restart ${APP}#notes/next`, `restart ${APP}#notes/personal`, `restart ${APP}#notes/work`]);
});

test('Add Account to This Server starts the flow with the row\'s folder and server', async () => {
  const { actions, started, serverRow } = setup();
  await actions.addAccount(serverRow(OTHER, 'notes'));
  assert.deepEqual(started.map((start) => [start.folder.uri.toString(), start.folder.name, start.serverId]), [[OTHER, 'other', 'notes']]);
});

test('an argument that is not a server row does nothing', async () => {
  const { runtime, actions, started } = setup();
  const instanceRow = { kind: 'instance', folderId: APP, serverId: 'notes' };
  for (const argument of [undefined, null, 'notes', instanceRow, { kind: 'server', folderId: APP }, { kind: 'server', folderId: 'file:///gone', serverId: 'notes' }]) {
    await actions.restart(argument);
    await actions.addAccount(argument);
  }
  assert.deepEqual(runtime.calls, []);
  assert.deepEqual(started, [], 'a folder that is gone starts no flow');
  assert.equal(serverFromArgument(instanceRow), undefined);
});
