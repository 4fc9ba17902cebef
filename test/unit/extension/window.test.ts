// The whole shell wired together (fake VS Code, fake runtime): activation registers the
// provider and the commands, trust gates everything, and close stops the runtime and
// leaves no listener, watcher or registration behind.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import type { DefinitionSpec } from '../../../src/core/runtime';
import { COMMANDS } from '../../../src/extension/commands/commands';
import { McplexWindow, instanceTag, type RuntimeStartRequest } from '../../../src/extension/mcplexWindow';
import { MANAGE_TRUST_ACTION, WorkspaceTrustGate } from '../../../src/extension/inputs/trust';
import { createFakeVscode } from '../../helpers/fakeVscode';
import { FakeRuntime } from '../../helpers/fakeRuntime';
import { ManualTimers } from '../../helpers/manualTimers';

const APP = '/ws/two-accounts';
const CONFIG = '{ "servers": { "notes": { "command": "node", "instances": { "work": {}, "personal": {} } } } }';
const WORK: DefinitionSpec = {
  id: 'file:///ws/two-accounts#notes/work',
  label: 'Notes · Work',
  url: 'unix:///tmp/mcplex-x/host.sock#/i/notes-work',
  headers: { 'X-Mcplex-Token': 't' },
  version: 'v1',
  instanceKeys: ['file:///ws/two-accounts#notes/work'],
};

/** The window's socket directories go here; the fake runtime never creates them. */
const SOCKET_BASE = mkdtempSync(join(tmpdir(), 'mcplex-unit-'));
after(() => rmSync(SOCKET_BASE, { recursive: true, force: true }));

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await tick();
}

async function activate(options: { trusted?: boolean; secrets?: Record<string, string>; globalStorage?: string; settings?: Record<string, unknown> } = {}) {
  const { api, state } = createFakeVscode();
  state.isTrusted = options.trusted ?? true;
  for (const [key, value] of Object.entries(options.settings ?? {})) state.settings.set(key, value);
  state.addFolder(APP);
  state.files.set(`${APP}/.mcplex.jsonc`, CONFIG);
  const runtime = new FakeRuntime();
  runtime.definitionList = [WORK];
  const requests: RuntimeStartRequest[] = [];
  const timers = new ManualTimers();
  const socketBase = SOCKET_BASE;
  for (const [key, value] of Object.entries(options.secrets ?? {})) state.secrets.values.set(key, value);
  const window = await McplexWindow.start(
    api,
    { secrets: state.secrets as never, ...(options.globalStorage !== undefined && { globalStorageUri: { fsPath: options.globalStorage } as never }) },
    {
      startRuntime: async (request) => {
        requests.push(request);
        return runtime;
      },
      platform: 'linux',
      tmpdir: socketBase,
      randomId: 'abc123',
      env: { HOME: '/home/u' },
      userHome: '/home/u',
      timers,
    },
  );
  await window.sync.ready;
  await settle();
  return { api, state, runtime, window, requests, timers, socketBase };
}

test('activation starts the runtime on a private socket and registers the provider and commands', async () => {
  const { state, runtime, window, requests, socketBase } = await activate();
  try {
    assert.equal(requests.length, 1);
    assert.deepEqual(requests[0]?.listen, { kind: 'socket', path: join(socketBase, 'mcplex-abc123', 'host.sock') });
    assert.equal(requests[0]?.startup, 'eager');
    assert.deepEqual(state.providers.map((provider) => provider.id), ['mcplex']);
    assert.deepEqual([...state.commands.keys()].sort(), Object.values(COMMANDS).sort());
    assert.deepEqual(state.treeViews.map((view) => view.id), ['mcplex.instances']);
    assert.equal(runtime.updates.length, 1);
    assert.equal(runtime.updates[0]?.trusted, true);
    const definitions = await state.providers[0]?.provider.provideMcpServerDefinitions();
    assert.deepEqual(definitions?.map((definition) => definition.label), ['Notes · Work']);
    await state.commands.get('mcplex.restartAll')?.();
    assert.deepEqual(runtime.calls, ['restartAll']);
  } finally {
    await window.close();
  }
});

test('the provider change event fires once for a burst of edits', async () => {
  const { state, window, timers } = await activate();
  try {
    let fired = 0;
    state.providers[0]?.provider.onDidChangeMcpServerDefinitions?.(() => fired++);
    const [fileWatcher] = state.watchersOf(APP);
    for (let i = 0; i < 5; i++) fileWatcher?.changed.fire({ fsPath: `${APP}/.mcplex.jsonc` } as never);
    state.setSetting('mcplex.separator', '_');
    timers.advance(150);
    await settle();
    assert.equal(fired, 1);
  } finally {
    await window.close();
  }
});

test('untrusted: nothing runs, no definitions, the user is told once; granting trust starts them', async () => {
  const { state, runtime, window, timers } = await activate({ trusted: false });
  try {
    assert.equal(runtime.updates[0]?.trusted, false);
    assert.deepEqual(await state.providers[0]?.provider.provideMcpServerDefinitions(), []);
    assert.equal(state.informationMessages.length, 1);
    assert.match(state.informationMessages[0]?.message ?? '', /untrusted workspace/);
    assert.deepEqual(state.informationMessages[0]?.items, [MANAGE_TRUST_ACTION]);
    assert.equal(state.statusBarItems[0]?.visible, false, 'the fake runtime reports no instances');

    // Another change while untrusted: no second message.
    state.setSetting('mcplex.note', 'x');
    timers.advance(150);
    await settle();
    assert.equal(runtime.updates.length, 2);
    assert.equal(state.informationMessages.length, 1);

    let fired = 0;
    state.providers[0]?.provider.onDidChangeMcpServerDefinitions?.(() => fired++);
    state.grantTrust();
    timers.advance(150);
    await settle();
    assert.equal(runtime.updates.at(-1)?.trusted, true);
    assert.equal(fired, 1);
    assert.deepEqual((await state.providers[0]?.provider.provideMcpServerDefinitions())?.map((d) => d.label), ['Notes · Work']);
  } finally {
    await window.close();
  }
});

test('the trust message’s button opens the trust editor', async () => {
  const { api, state } = createFakeVscode();
  state.informationAnswer = MANAGE_TRUST_ACTION;
  const gate = new WorkspaceTrustGate(api, () => undefined);
  gate.explainOnce();
  gate.explainOnce();
  await settle();
  assert.equal(state.informationMessages.length, 1);
  assert.deepEqual(state.executed.map((call) => call.command), ['workbench.trust.manage']);
  gate.dispose();
  assert.equal(state.trustGranted.listenerCount, 0);
});

test('the runtime keeps ${instanceDir} folders in the extension\'s global storage', async () => {
  const { window, requests } = await activate({ globalStorage: '/vscode/globalStorage/mcplex.mcplex' });
  try {
    assert.equal(requests[0]?.stateRoot, '/vscode/globalStorage/mcplex.mcplex');
  } finally {
    await window.close();
  }
});

test('upstream stderr and events reach the log under their instance, with secret values redacted', async () => {
  const { state, window, requests } = await activate({ secrets: { 'mcplex.secret.work-key': 'sk-live-123456' } });
  try {
    const request = requests[0];
    assert.ok(request);
    assert.equal(await request.secrets.get('work-key'), 'sk-live-123456');
    request.onStderr('file:///ws/two-accounts#notes/work', 'using key sk-live-123456');
    request.onEvent('file:///ws/two-accounts#notes/personal', 'running (pid 42)');
    assert.ok(state.log.lines.includes('info [notes/work] using key ‹secret›'), state.log.lines.join('\n'));
    assert.ok(state.log.lines.includes('info [notes/personal] running (pid 42)'));
    assert.ok(!state.log.lines.some((line) => line.includes('sk-live-123456')));
  } finally {
    await window.close();
  }
});

test('each state change of an instance is logged in the words of the render table', async () => {
  const { state, window, requests } = await activate({ secrets: { 'mcplex.secret.work-key': 'sk-live-123456' } });
  try {
    const request = requests[0];
    assert.ok(request);
    assert.equal(await request.secrets.get('work-key'), 'sk-live-123456');
    request.onState('file:///ws/two-accounts#notes/work', { kind: 'starting', attempt: 2 });
    request.onState('file:///ws/two-accounts#notes/work', { kind: 'running', pid: 123 });
    request.onState('file:///ws/two-accounts#notes/personal', { kind: 'failed', message: 'key sk-live-123456 refused', retrying: true });
    request.onState('file:///ws/two-accounts#notes/personal', { kind: 'needs-sign-in', message: 'notes/personal needs you to sign in' });
    request.onState('file:///ws/two-accounts#notes/personal', { kind: 'stopped' });
    assert.deepEqual(state.log.lines.filter((line) => /^info \[notes\//.test(line)), [
      'info [notes/work] starting (attempt 2)',
      'info [notes/work] running (pid 123)',
      'info [notes/personal] failed, retrying: key ‹secret› refused',
      'info [notes/personal] needs a sign-in: notes/personal needs you to sign in',
      'info [notes/personal] stopped',
    ]);
  } finally {
    await window.close();
  }
});

test('close disposes every registration and listener, closes the runtime and removes the socket directory', async () => {
  const { state, runtime, window, socketBase } = await activate();
  const socketDir = join(socketBase, 'mcplex-abc123');
  // The real host creates the directory; stand in for it.
  mkdirSync(socketDir, { recursive: true });
  await window.close();
  await window.close(); // twice is fine
  assert.equal(runtime.closed, true);
  assert.equal(existsSync(socketDir), false);
  assert.equal(state.providers[0]?.disposed, true);
  assert.equal(state.commands.size, 0);
  assert.equal(runtime.listenerCount, 0);
  assert.equal(state.folderChanges.listenerCount, 0);
  assert.equal(state.configurationChanges.listenerCount, 0);
  assert.equal(state.trustGranted.listenerCount, 0);
  assert.ok(state.watchers.every((watcher) => watcher.disposed));
  assert.ok(state.statusBarItems.every((item) => item.disposed));
  assert.ok(state.diagnosticCollections.every((collection) => collection.disposed));
  assert.ok(state.treeViews.every((view) => view.disposed));
  assert.ok(state.log.disposed);
});

test('a runtime that cannot start fails activation with its reason in the log', async () => {
  const { api, state } = createFakeVscode();
  await assert.rejects(
    McplexWindow.start(api, { secrets: { get: async () => undefined } as never }, {
      startRuntime: async () => {
        throw new Error('EADDRINUSE');
      },
      platform: 'win32',
      tmpdir: '/tmp',
      randomId: 'r',
      env: {},
      userHome: '/home/u',
    }),
    /EADDRINUSE/,
  );
  assert.ok(state.log.lines.some((line) => line === 'error MCPlex could not start its host: EADDRINUSE'));
  assert.equal(state.providers.length, 0);
});

test("the host's session expiries reach the log: an instance's in its own log, an aggregate's in the window's, named", async () => {
  const { state, window, requests } = await activate();
  try {
    const request = requests[0];
    assert.ok(request);
    const expiry = (reason: 'idle' | 'cap', path: string) => ({ path, sessionId: 's1', reason, idleMs: 5, message: `closed session s1 at ${path}: ${reason}` });
    request.onSessionExpired({ endpoint: 'Notes · Work', instanceKeys: [WORK.id], expiry: expiry('idle', '/i/notes-work') });
    request.onSessionExpired({ endpoint: 'two-accounts', instanceKeys: [WORK.id, 'file:///ws/two-accounts#notes/personal'], expiry: expiry('cap', '/f/abc') });
    assert.deepEqual(state.log.lines.filter((line) => line.includes('closed session')), [
      'info [notes/work] closed session s1 at /i/notes-work: idle',
      'warn two-accounts: closed session s1 at /f/abc: cap',
    ]);
    const work = state.logChannels.find((channel) => channel.name === 'MCPlex: notes/work');
    assert.deepEqual(work?.lines, ['info closed session s1 at /i/notes-work: idle']);
  } finally {
    await window.close();
  }
});

test('mcplex.maxMessageMB reaches the runtime as the upstreams\' message cap in bytes; absent or invalid, the 64 MiB default', async () => {
  for (const [settings, expected] of [
    [{ 'mcplex.maxMessageMB': 8 }, 8 * 1024 * 1024],
    [{}, 64 * 1024 * 1024],
    [{ 'mcplex.maxMessageMB': 0 }, 64 * 1024 * 1024],
  ] as const) {
    const { window, requests } = await activate({ settings });
    try {
      assert.equal(requests[0]?.maxMessageBytes, expected, JSON.stringify(settings));
    } finally {
      await window.close();
    }
  }
});

test('instanceTag keeps the part of an instance id a user recognises', () => {
  assert.equal(instanceTag('file:///ws/a#notes/work'), 'notes/work');
  assert.equal(instanceTag('notes/work'), 'notes/work');
});

test('onboarding: mcplex.mcpJsonServers follows the mcp.json the window reads (which welcome door and walkthrough step lead)', async () => {
  const { state, window, timers } = await activate();
  try {
    const lastContext = (key: string) => state.executed.filter((call) => call.command === 'setContext' && call.args[0] === key).at(-1)?.args[1];
    assert.equal(lastContext('mcplex.mcpJsonServers'), false, 'no mcp.json');
    const [watcher] = state.watchersOf(APP);
    const changeMcpJson = async (text: string) => {
      state.files.set(`${APP}/.vscode/mcp.json`, text);
      watcher?.changed.fire({ fsPath: `${APP}/.vscode/mcp.json` } as never);
      timers.advance(150);
      await settle();
    };
    await changeMcpJson('{ "servers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }');
    assert.equal(lastContext('mcplex.mcpJsonServers'), true, 'a server not in .mcplex.jsonc');
    await changeMcpJson('{ "servers": { "notes": { "command": "node" } } }');
    assert.equal(lastContext('mcplex.mcpJsonServers'), false, 'its only server is already in .mcplex.jsonc');
  } finally {
    await window.close();
  }
});
