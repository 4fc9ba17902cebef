// The status bar's picker acts by state: an instance, then what it needs first (Set Secret,
// Sign In, Restart), its own log and its place in the file, each run as the tree runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstanceStatus } from '../../../../src/core/runtime';
import { COMMANDS } from '../../../../src/extension/commands/commands';
import { ConfigCommands } from '../../../../src/extension/commands/configCommands';
import { actionsFor, MANAGE_TRUST_COMMAND, showStatusPicker } from '../../../../src/extension/commands/statusPicker';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import { instanceView } from '../../../helpers/instanceView';

const LOCATION = { file: '/ws/app/.mcplex.jsonc', path: ['servers', 'notes', 'instances', 'work'], line: 3, column: 5, offset: 40, length: 2 };
const commandsOf = (status: InstanceStatus, located = true): string[] =>
  actionsFor(instanceView({ status, ...(located && { location: LOCATION }) })).map((action) => action.command);

test('each state offers what it calls for first, then the log and the place in the file', () => {
  assert.deepEqual(commandsOf({ kind: 'needs-secret', secrets: ['k'] }), [COMMANDS.setSecret, COMMANDS.showInstanceLog, COMMANDS.openInstanceConfig]);
  assert.deepEqual(commandsOf({ kind: 'needs-sign-in', message: 'm' }), [COMMANDS.signIn, COMMANDS.showInstanceLog, COMMANDS.openInstanceConfig]);
  assert.deepEqual(commandsOf({ kind: 'failed', message: 'boom', retrying: false }), [COMMANDS.restartInstance, COMMANDS.showInstanceLog, COMMANDS.openInstanceConfig]);
  assert.deepEqual(commandsOf({ kind: 'running' }), [COMMANDS.showInstanceLog, COMMANDS.restartInstance, COMMANDS.openInstanceConfig]);
  assert.deepEqual(commandsOf({ kind: 'starting', attempt: 1 }), [COMMANDS.showInstanceLog, COMMANDS.stopInstance, COMMANDS.openInstanceConfig]);
  assert.deepEqual(commandsOf({ kind: 'stopped' }), [COMMANDS.startInstance, COMMANDS.showInstanceLog, COMMANDS.openInstanceConfig]);
  assert.deepEqual(commandsOf({ kind: 'untrusted' }), [MANAGE_TRUST_COMMAND, COMMANDS.openInstanceConfig]);
  assert.deepEqual(commandsOf({ kind: 'running' }, false), [COMMANDS.showInstanceLog, COMMANDS.restartInstance], 'no place in a file: not offered');
});

test('picking an instance that needs a secret, then Set Secret, asks for that secret and stores it', async () => {
  const { api, state } = createFakeVscode();
  const needsSecret = instanceView({ status: { kind: 'needs-secret', secrets: ['work-key'] }, secrets: ['work-key'], location: LOCATION });
  const running = instanceView({ instanceId: 'personal', status: { kind: 'running' }, clients: 0 });
  const stored = new Map<string, string>();
  const changes: string[] = [];
  const config = new ConfigCommands({
    api,
    files: new ConfigFiles(api),
    secrets: { get: async (key) => stored.get(key), store: async (key, value) => void stored.set(key, value), delete: async (key) => void stored.delete(key) },
    instances: () => [needsSecret, running],
    configChanged: (reason) => void changes.push(reason),
  });
  api.commands.registerCommand(COMMANDS.setSecret, (argument) => config.setSecret(argument));
  state.quickPickAnswers.push(0, 0);
  state.inputAnswers.push('sk-work');
  await showStatusPicker(api, [needsSecret, running]);

  const [instances, actions] = state.quickPicks;
  assert.deepEqual((instances?.items as { description: string }[]).map((item) => item.description), ['needs a secret', 'running · not connected by VS Code yet']);
  assert.deepEqual((actions?.items as { label: string }[]).map((item) => item.label), ['$(key) Set Secret…', '$(output) Show Log', '$(go-to-file) Open in File']);
  assert.equal((actions?.options as { title: string }).title, 'Notes · work: needs a secret');
  const [executed] = state.executed;
  assert.equal(executed?.command, COMMANDS.setSecret);
  assert.deepEqual(executed?.args[0], { kind: 'instance', instance: { runtimeId: 'file:///ws/app#notes/work', folderId: 'file:///ws/app', serverId: 'notes', instanceId: 'work', label: 'Notes · work', location: LOCATION } });
  assert.match((state.inputBoxes[0] as { title: string }).title, /Set Secret work-key/);
  assert.deepEqual([...stored], [['mcplex.secret.work-key', 'sk-work']]);
  assert.deepEqual(changes, ['secret work-key set']);
});

test('a running instance: Show Log runs on it; dismissing either step does nothing', async () => {
  const { api, state } = createFakeVscode();
  const running = instanceView({ status: { kind: 'running' }, clients: 1 });
  state.quickPickAnswers.push(0, 0);
  await showStatusPicker(api, [running]);
  assert.deepEqual(state.executed.map((call) => call.command), [COMMANDS.showInstanceLog]);
  state.quickPickAnswers.push(0, undefined);
  await showStatusPicker(api, [running]);
  state.quickPickAnswers.push(undefined);
  await showStatusPicker(api, [running]);
  assert.equal(state.executed.length, 1);
  assert.equal(state.quickPicks.length, 5);
});
