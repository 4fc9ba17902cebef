// From VS Code events to runtime updates: a burst of changes (a save, a settings edit,
// folders added) leads to ONE update and ONE provider change event; updates never overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { InputWatcher } from '../../../../src/extension/inputs/inputWatcher';
import { RuntimeSync } from '../../../../src/extension/inputs/runtimeSync';
import { readWorkspaceInputs } from '../../../../src/extension/inputs/workspaceInputs';
import { createFakeVscode } from '../../../helpers/fakeVscode';
import { FakeRuntime } from '../../../helpers/fakeRuntime';
import { ManualTimers } from '../../../helpers/manualTimers';

const APP = '/ws/app';
const LIB = '/ws/lib';
const CONFIG = '{ "servers": { "notes": { "command": "node", "instances": { "work": {} } } } }';

/** Lets every pending promise callback run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await tick();
}

function setup() {
  const { api, state } = createFakeVscode();
  state.addFolder(APP);
  state.files.set(`${APP}/.mcplex.jsonc`, CONFIG);
  const runtime = new FakeRuntime();
  const timers = new ManualTimers();
  const changes: number[] = [];
  const logged: string[] = [];
  let untrustedNotices = 0;
  const sync = new RuntimeSync({
    runtime,
    readInputs: () => readWorkspaceInputs(api),
    isTrusted: () => state.isTrusted,
    publishProblems: () => [],
    onDefinitionsChanged: () => changes.push(runtime.updates.length),
    onUntrustedConfig: () => untrustedNotices++,
    log: { info: (m) => logged.push(`info ${m}`), warn: (m) => logged.push(`warn ${m}`), error: (m) => logged.push(`error ${m}`) },
    timers,
  });
  const watcher = new InputWatcher(api, (reason) => sync.trigger(reason));
  return { api, state, runtime, timers, sync, watcher, changes, logged, untrustedNotices: () => untrustedNotices };
}

test('readWorkspaceInputs reads each folder’s file and settings; a missing file is no file', async () => {
  const { api, state } = createFakeVscode();
  state.folders = [];
  state.addFolder(APP);
  state.addFolder(LIB);
  state.files.set(`${APP}/.mcplex.jsonc`, CONFIG);
  state.settings.set('mcplex.exposure', 'aggregate');
  state.settings.set(`${LIB}|mcplex.toolPrefix`, true);
  state.settings.set('mcplex.servers', { shared: { command: 'x', instances: { a: {} } } });
  const inputs = await readWorkspaceInputs(api);
  assert.deepEqual(inputs.folders, [
    {
      id: 'file:///ws/app',
      name: 'app',
      path: APP,
      file: { path: `${APP}/.mcplex.jsonc`, text: CONFIG },
      settingsServers: { shared: { command: 'x', instances: { a: {} } } },
      options: { toolPrefix: false, exposure: 'aggregate' },
    },
    {
      id: 'file:///ws/lib',
      name: 'lib',
      path: LIB,
      settingsServers: { shared: { command: 'x', instances: { a: {} } } },
      options: { toolPrefix: true, exposure: 'aggregate' },
    },
  ]);
  assert.deepEqual([...inputs.texts], [[`${APP}/.mcplex.jsonc`, CONFIG]]);
  assert.deepEqual(inputs.readFailures, []);
});

test('a burst of file, settings and folder events leads to one update and one change event', async () => {
  const { state, runtime, timers, changes, watcher, sync } = setup();
  await sync.syncNow();
  assert.equal(runtime.updates.length, 1);
  assert.deepEqual(changes, [1]);

  const [appWatcher] = state.watchersOf(APP);
  assert.ok(appWatcher);
  const file = `${APP}/.mcplex.jsonc`;
  state.files.set(file, CONFIG.replace('work', 'personal'));
  appWatcher.changed.fire({ fsPath: file } as never);
  appWatcher.changed.fire({ fsPath: file } as never);
  timers.advance(100);
  state.setSetting('mcplex.note', 'Account {label}.');
  state.setSetting('editor.fontSize', 12); // not ours: no trigger
  state.addFolder(LIB);
  timers.advance(149);
  await settle();
  assert.equal(runtime.updates.length, 1, 'nothing before the burst has been quiet for 150 ms');
  timers.advance(1);
  await settle();
  assert.equal(runtime.updates.length, 2);
  assert.deepEqual(changes, [1, 2]);
  const last = runtime.updates[1];
  assert.deepEqual(last?.folders.map((folder) => folder.name), ['app', 'lib']);
  assert.match(last?.folders[0]?.file?.text ?? '', /personal/);
  assert.equal(last?.folders[0]?.options.note, 'Account {label}.');
  // The new folder got its own watcher.
  assert.equal(state.watchersOf(LIB).length, 1);
  watcher.dispose();
  sync.dispose();
});

test('no change event when the update says the definitions did not change', async () => {
  const { runtime, changes, sync, watcher } = setup();
  runtime.definitionsChanged = false;
  await sync.syncNow();
  assert.equal(runtime.updates.length, 1);
  assert.deepEqual(changes, []);
  watcher.dispose();
  sync.dispose();
});

test('updates never overlap: requests during an update are folded into one more', async () => {
  const { runtime, sync, watcher } = setup();
  let release!: () => void;
  runtime.gate = new Promise((resolve) => (release = resolve));
  const first = sync.syncNow();
  await settle();
  assert.equal(runtime.updates.length, 1);
  const second = sync.syncNow();
  const third = sync.syncNow();
  assert.equal(second, third);
  await settle();
  assert.equal(runtime.updates.length, 1, 'the second waits for the first');
  runtime.gate = undefined;
  release();
  await Promise.all([first, second]);
  assert.equal(runtime.updates.length, 2);
  watcher.dispose();
  sync.dispose();
});

test('deleting a folder’s file and removing a folder are changes too', async () => {
  const { state, runtime, timers, sync, watcher } = setup();
  const [appWatcher] = state.watchersOf(APP);
  state.files.delete(`${APP}/.mcplex.jsonc`);
  appWatcher?.deleted.fire({ fsPath: `${APP}/.mcplex.jsonc` } as never);
  timers.advance(150);
  await settle();
  assert.equal(runtime.updates.at(-1)?.folders[0]?.file, undefined);
  state.removeFolder(APP);
  assert.equal(state.watchersOf(APP).length, 0, 'the removed folder’s watcher is disposed');
  timers.advance(150);
  await settle();
  assert.deepEqual(runtime.updates.at(-1)?.folders, []);
  watcher.dispose();
  sync.dispose();
});

test('untrusted: the runtime is told so, and the caller hears there is something to start', async () => {
  const { state, runtime, sync, watcher, untrustedNotices } = setup();
  state.isTrusted = false;
  await sync.syncNow();
  assert.equal(runtime.updates[0]?.trusted, false);
  assert.equal(untrustedNotices(), 1);
  state.files.clear();
  await sync.syncNow();
  assert.equal(untrustedNotices(), 1, 'nothing to start: nothing to say');
  watcher.dispose();
  sync.dispose();
});

test('a failing update is logged, never thrown, and `ready` settles', async () => {
  const { runtime, sync, watcher, logged } = setup();
  runtime.update = async () => {
    throw new Error('host is closed');
  };
  await sync.syncNow();
  await sync.ready;
  assert.deepEqual(logged.filter((line) => line.startsWith('error')), ['error Updating the MCP servers failed: host is closed']);
  watcher.dispose();
  sync.dispose();
});

test('dispose cancels a pending update and the watcher leaves no listener behind', async () => {
  const { state, runtime, timers, sync, watcher } = setup();
  sync.trigger('x');
  sync.dispose();
  timers.advance(1000);
  await settle();
  assert.equal(runtime.updates.length, 0);
  assert.equal(timers.count, 0);
  watcher.dispose();
  assert.equal(state.folderChanges.listenerCount, 0);
  assert.equal(state.configurationChanges.listenerCount, 0);
  for (const fileWatcher of state.watchers) {
    assert.equal(fileWatcher.disposed, true);
    assert.deepEqual([fileWatcher.created, fileWatcher.changed, fileWatcher.deleted].map((event) => event.listenerCount), [0, 0, 0]);
  }
});
