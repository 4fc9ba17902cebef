// The window runtime's logic with upstreams in memory (no process): trust, diffing by hash and
// by secret value, statuses, tool views, definitions over TCP, and the folder loader.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { RuntimeError, SETTINGS_LABEL, WindowRuntime, type FolderInput } from '../../../../src/core/runtime';
import { loadFolder, type FolderLoad } from '../../../../src/core/runtime/loadFolder';
import { planFromLoads } from '../../../../src/core/runtime/planFromLoads';
import { memoryConnect, type Connect } from '../../../helpers/memoryConnect';

const CONFIG = (env = 'a', key = '${secret:k}') => `{ "servers": { "mem": { "label": "Mem", "command": "mem",
  "instances": { "one": { "env": { "X": "${env}", "KEY": "${key}" }, "tools": { "deny": ["delete_*"] } }, "two": {} } } } }`;

function folder(text: string, options: Partial<FolderInput['options']> = {}): FolderInput {
  return { id: 'file:///w', name: 'w', path: '/w', file: { path: '/w/.mcplex.jsonc', text }, options: { toolPrefix: false, exposure: 'instances', ...options } };
}

const open: WindowRuntime[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((runtime) => runtime.close()));
});

async function runtimeWith(connect: Connect, secrets: Map<string, string> = new Map([['k', 'v1-secret']]), startup: 'eager' | 'onDemand' = 'eager') {
  const runtime = await WindowRuntime.start({
    listen: { kind: 'tcp' },
    token: 't0ken',
    secrets: { get: async (name) => secrets.get(name) },
    env: {},
    userHome: '/home/u',
    startup,
    supervisorOptions: { connect, retry: { maxAttempts: 1 } },
  });
  open.push(runtime);
  return runtime;
}

async function settled(runtime: WindowRuntime): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (runtime.instances().every((v) => v.status.kind !== 'starting' && (v.status.kind !== 'running' || v.tools !== undefined))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not settled: ${JSON.stringify(runtime.instances().map((v) => v.status))}`);
}

describe('WindowRuntime (in memory)', () => {
  it('connects nothing while untrusted and everything once trusted', async () => {
    const memory = memoryConnect();
    const runtime = await runtimeWith(memory.connect);
    const untrusted = await runtime.update([folder(CONFIG())], false);
    assert.equal(untrusted.definitionsChanged, false);
    assert.deepEqual(runtime.definitions(), []);
    assert.deepEqual(runtime.instances().map((v) => [v.key, v.status.kind, v.definitionId]), [['mem/one', 'untrusted', undefined], ['mem/two', 'untrusted', undefined]]);
    await assert.rejects(runtime.ensureRunning('file:///w#mem/one'), (error: unknown) => error instanceof RuntimeError && error.code === 'untrusted');
    assert.equal(memory.calls.length, 0);

    const trusted = await runtime.update([folder(CONFIG())], true);
    assert.equal(trusted.definitionsChanged, true);
    await settled(runtime);
    assert.equal(memory.calls.length, 2);
    assert.deepEqual(runtime.instances().map((v) => (v.status.kind === 'running' ? v.status.pid : undefined)).sort(), [1000, 1001]);
    assert.deepEqual(runtime.instances().map((v) => v.status.kind), ['running', 'running']);
  });

  it('defines each instance on loopback TCP with the token header and its hash as version', async () => {
    const runtime = await runtimeWith(memoryConnect().connect);
    await runtime.update([folder(CONFIG())], true);
    const [one] = runtime.definitions();
    assert.ok(one);
    assert.match(one.url, /^http:\/\/127\.0\.0\.1:\d+\/i\/mem-one$/);
    assert.deepEqual(one.headers, { 'X-Mcplex-Token': 't0ken' });
    assert.equal(one.label, 'Mem (one)');
    assert.deepEqual(one.instanceKeys, ['file:///w#mem/one']);
    assert.match(one.version, /^[0-9a-f]{16}$/);
  });

  it('shows the tools as the model sees them, denied ones marked, and prefixes them with toolPrefix', async () => {
    const runtime = await runtimeWith(memoryConnect().connect);
    await runtime.update([folder(CONFIG())], true);
    await settled(runtime);
    const one = runtime.instances().find((v) => v.key === 'mem/one');
    assert.deepEqual(one?.tools?.map((t) => [t.exposedName, t.upstreamName, t.hidden === 'denied']), [['read', 'read', false], ['delete_all', 'delete_all', true], ['hello-world', 'hello-world', false]]);
    await runtime.update([folder(CONFIG(), { toolPrefix: true })], true);
    await settled(runtime);
    const prefixed = runtime.instances().find((v) => v.key === 'mem/one');
    assert.deepEqual(prefixed?.tools?.filter((t) => t.hidden === undefined).map((t) => t.exposedName), ['one__read', 'one__hello-world']);
  });

  it('refreshes the tool views when the upstream’s list changes', async () => {
    const memory = memoryConnect();
    const runtime = await runtimeWith(memory.connect);
    await runtime.update([folder(CONFIG())], true);
    await settled(runtime);
    let changes = 0;
    const subscription = runtime.onDidChange(() => changes++);
    memory.servers[0]?.registerTool('fresh', { description: 'New.' }, async () => ({ content: [] }));
    for (let i = 0; i < 100 && !runtime.instances().some((v) => v.tools?.some((t) => t.upstreamName === 'fresh')); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(runtime.instances().some((v) => v.tools?.some((t) => t.exposedName === 'fresh')));
    assert.ok(changes > 0);
    subscription.dispose();
    const before = changes;
    await runtime.restartAll();
    assert.equal(changes, before, 'a disposed listener hears nothing');
  });

  it('leaves unchanged instances alone, and restarts on a new secret value without a new version', async () => {
    const memory = memoryConnect();
    const secrets = new Map([['k', 'v1-secret']]);
    const runtime = await runtimeWith(memory.connect, secrets);
    await runtime.update([folder(CONFIG())], true);
    await settled(runtime);
    const same = await runtime.update([folder(CONFIG())], true);
    assert.deepEqual([same.started, same.stopped, same.restarted, same.definitionsChanged], [[], [], [], false]);
    assert.equal(memory.calls.length, 2);

    secrets.set('k', 'v2-secret');
    const rotated = await runtime.update([folder(CONFIG())], true);
    assert.deepEqual([rotated.restarted, rotated.definitionsChanged], [['file:///w#mem/one'], false]);
    await settled(runtime);
    assert.equal(memory.calls.length, 3);
    const spec = memory.calls[2];
    assert.ok(spec?.kind === 'stdio' && spec.env['KEY'] === 'v2-secret');
  });

  it('on demand: starts nothing until asked; ensureRunning rejects with the real error', async () => {
    const memory = memoryConnect();
    const runtime = await runtimeWith(memory.connect, undefined, 'onDemand');
    await runtime.update([folder(CONFIG().replace('"command": "mem"', '"command": "missing"'))], true);
    assert.equal(memory.calls.length, 0);
    assert.deepEqual(runtime.instances().map((v) => v.status.kind), ['stopped', 'stopped']);
    await assert.rejects(runtime.ensureRunning('file:///w#mem/two'), /"Mem \(two\)" could not start: .*ENOENT/);
    assert.deepEqual(runtime.instances().find((v) => v.key === 'mem/two')?.status, { kind: 'failed', message: 'command "missing" not found (ENOENT)', retrying: false });
    await assert.rejects(runtime.ensureRunning('file:///nowhere#x/y'), (error: unknown) => error instanceof RuntimeError && error.code === 'unknown-definition');
  });

  it('serves a folder as one aggregate definition, with the prefixed names', async () => {
    const runtime = await runtimeWith(memoryConnect().connect);
    await runtime.update([folder(CONFIG(), { exposure: 'aggregate' })], true);
    await settled(runtime);
    const definitions = runtime.definitions();
    assert.deepEqual(definitions.map((d) => [d.id, d.label, d.instanceKeys]), [['file:///w#aggregate', 'MCPlex (w)', ['file:///w#mem/one', 'file:///w#mem/two']]]);
    assert.match(definitions[0]?.url ?? '', /\/f\/[0-9a-f]{12}$/);
    assert.deepEqual(runtime.instances().map((v) => v.definitionId), ['file:///w#aggregate', 'file:///w#aggregate']);
    assert.deepEqual(runtime.instances().find((v) => v.key === 'mem/two')?.tools?.map((t) => t.exposedName), ['two__read', 'two__delete_all', 'two__hello-world']);
    await runtime.ensureRunning('file:///w#aggregate');
  });

  it('leaves an instance out of the aggregate when its prefix is taken, and says so', async () => {
    const memory = memoryConnect();
    const runtime = await runtimeWith(memory.connect);
    const text = '{ "servers": { "a": { "command": "a", "instances": { "work": {} } }, "b": { "command": "b", "instances": { "work": {} } } } }';
    const result = await runtime.update([folder(text, { exposure: 'aggregate' })], true);
    assert.deepEqual(result.problems.get('/w/.mcplex.jsonc')?.map((p) => [p.code, p.path.join('.')]), [['duplicate-prefix', 'servers.b.instances.work']]);
    await settled(runtime);
    assert.equal(memory.calls.length, 1, 'the left-out instance is not started');
    const left = runtime.instances().find((v) => v.key === 'b/work');
    assert.equal(left?.status.kind, 'failed');
    await runtime.ensureRunning('file:///w#aggregate');
  });

  it('the views list the secrets each instance uses: stored or missing, none for an instance without', async () => {
    const runtime = await runtimeWith(memoryConnect().connect, new Map([['k', 'v1-secret']]), 'onDemand');
    const text = CONFIG('a', '${secret:k}-${secret:k2}').replace('"two": {}', '"two": { "args": ["${secret:k}"] }, "three": {}');
    await runtime.update([folder(text)], true);
    const secretsOf = () => runtime.instances().map((v) => [v.instanceId, v.status.kind, v.secrets]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(secretsOf(), [['one', 'needs-secret', ['k2']], ['three', 'stopped', undefined], ['two', 'stopped', ['k']]]);
    assert.equal('secrets' in (runtime.instances().find((v) => v.instanceId === 'three') ?? {}), false, 'absent, not an empty list');
    await runtime.update([folder(text.replace('-${secret:k2}', ''))], false);
    assert.deepEqual(secretsOf(), [['one', 'untrusted', ['k']], ['three', 'untrusted', undefined], ['two', 'untrusted', ['k']]]);
  });

  it('each view says how its upstream starts (the server row\'s tooltip), secrets as written, never their values', async () => {
    const runtime = await runtimeWith(memoryConnect().connect, new Map([['k', 'v1-secret']]), 'onDemand');
    const text = CONFIG().replace('"two": {}', '"two": { "args": ["--key", "${secret:k}"] }, "three": { "args": ["${secret:missing}"] }');
    await runtime.update([folder(text)], true);
    const launches = Object.fromEntries(runtime.instances().map((v) => [v.instanceId, v.launch]));
    assert.deepEqual(launches, { one: 'mem', two: 'mem --key ${secret:k}', three: undefined }, 'one waiting for a secret has no command to show yet');
    assert.ok(!JSON.stringify(runtime.instances()).includes('v1-secret'));
  });

  it('says why an instance without a runner cannot start: untrusted, missing secrets, unknown', async () => {
    const runtime = await runtimeWith(memoryConnect().connect, new Map(), 'onDemand');
    await runtime.update([folder(CONFIG())], false);
    await assert.rejects(runtime.start('file:///w#mem/one'), (error: unknown) => error instanceof RuntimeError && error.code === 'untrusted');
    await runtime.update([folder(CONFIG())], true);
    await assert.rejects(runtime.start('file:///w#mem/one'), (error: unknown) => error instanceof RuntimeError && error.code === 'needs-secret' && error.message === '"Mem (one)" needs the secret "k", which is not stored; store it and start the server again.');
    await assert.rejects(runtime.restart('file:///w#mem/gone'), (error: unknown) => error instanceof RuntimeError && error.code === 'unknown-instance');
    await assert.rejects(runtime.signIn('file:///w#mem/two'), (error: unknown) => error instanceof RuntimeError && error.code === 'no-sign-in');
  });

  it('keeps every instance running through a misspelt key, and reports the folder as running its last good version', async () => {
    const memory = memoryConnect();
    const runtime = await runtimeWith(memory.connect);
    await runtime.update([folder(CONFIG())], true);
    await settled(runtime);
    const pids = runtime.instances().map((v) => (v.status.kind === 'running' ? v.status.pid : undefined));
    assert.deepEqual(runtime.brokenConfigs(), []);

    for (const typo of [CONFIG().replace('"two": {}', '"two": { "lable": "Two" }'), CONFIG().replace('"command"', '"comand"')]) {
      const result = await runtime.update([folder(typo)], true);
      assert.deepEqual([result.started, result.stopped, result.restarted, result.reconfigured, result.definitionsChanged], [[], [], [], [], false], typo);
      assert.deepEqual(runtime.instances().map((v) => (v.status.kind === 'running' ? v.status.pid : undefined)), pids);
      const [broken] = runtime.brokenConfigs();
      assert.deepEqual([broken?.folderId, broken?.problem.code, broken?.runsLastGood], ['file:///w', 'unknown-key', true]);
      assert.ok((result.problems.get('/w/.mcplex.jsonc') ?? []).some((p) => p.code === 'unknown-key'));
    }
    await runtime.update([folder(CONFIG())], true);
    assert.deepEqual(runtime.brokenConfigs(), []);
    assert.equal(memory.calls.length, 2, 'nothing was ever restarted');

    // A secret not stored is no broken file: its instance waits for it, and stops when it is cleared.
    const cleared = await runtime.update([folder(CONFIG('a', '${secret:gone}'))], true);
    assert.deepEqual(runtime.brokenConfigs(), []);
    assert.deepEqual(cleared.stopped, ['file:///w#mem/one']);
    assert.deepEqual(runtime.instances().find((v) => v.key === 'mem/one')?.status, { kind: 'needs-secret', secrets: ['gone'] });
  });

  it('refuses to work once closed', async () => {
    const runtime = await runtimeWith(memoryConnect().connect);
    await runtime.close();
    await runtime.close();
    await assert.rejects(runtime.update([], true), (error: unknown) => error instanceof RuntimeError && error.code === 'runtime-closed');
  });
});

describe('loadFolder', () => {
  const context = { env: { HOME_X: '1' }, secrets: { get: async () => undefined }, userHome: '/home/u' };

  it('merges the setting under the file and files each problem under its source', async () => {
    const load = await loadFolder(
      {
        id: 'f',
        name: 'f',
        path: '/w',
        file: { path: '/w/.mcplex.jsonc', text: '{ "servers": { "notes": { "command": "node", "instances": { "work": { "label": "Work" } } } } }' },
        settingsServers: { notes: { instances: { work: { label: 'Old' }, home: {} } }, bad: { command: 3, instances: { x: {} } } },
        options: { toolPrefix: false, exposure: 'instances', separator: '--' },
      },
      context,
    );
    assert.deepEqual(load.instances.map((i) => [i.serverId, i.instanceId, i.instanceLabel]), [['notes', 'work', 'Work'], ['notes', 'home', 'home']]);
    assert.equal(load.separator, '--', 'the setting applies when the file has no separator');
    assert.equal(load.syntaxError, false);
    assert.deepEqual([...load.problems.keys()].sort(), ['/w/.mcplex.jsonc', SETTINGS_LABEL]);
    assert.deepEqual(load.problems.get('/w/.mcplex.jsonc'), []);
    assert.ok((load.problems.get(SETTINGS_LABEL) ?? []).some((p) => p.code === 'invalid-type'));
  });

  it('flags a syntax error and lists instances waiting for secrets', async () => {
    const broken = await loadFolder({ id: 'f', name: 'f', path: '/w', file: { path: '/w/x', text: '{ "servers": { ' }, options: { toolPrefix: false, exposure: 'instances' } }, context);
    assert.equal(broken.syntaxError, true);
    const waiting = await loadFolder(
      { id: 'f', name: 'f', path: '/w', file: { path: '/w/x', text: '{ "separator": "-", "servers": { "s": { "label": "S", "command": "c", "env": { "K": "${secret:key}" }, "instances": { "i": { "label": "I" } } } } }' }, options: { toolPrefix: false, exposure: 'instances', separator: '--' } },
      context,
    );
    assert.deepEqual(waiting.instances, []);
    assert.deepEqual(waiting.pending.map((p) => [p.serverLabel, p.instanceLabel, p.secrets]), [['S', 'I', ['key']]]);
    assert.equal(waiting.separator, '-', 'the file’s separator wins');
  });
});

describe('planFromLoads', () => {
  const context = { env: {}, secrets: { get: async () => undefined }, userHome: '/home/u' };
  const input = (id: string, text: string): FolderInput => ({ id, name: id, path: `/${id}`, file: { path: `/${id}/.mcplex.jsonc`, text }, options: { toolPrefix: false, exposure: 'instances' } });
  const good = '{ "servers": { "s": { "command": "c", "instances": { "work": {} } } } }';
  const broken = '{ "servers": { "s": { "command": "c", "instances": { "home": {} ';

  it('keeps a folder’s last good instances while its file does not parse, with the syntax problem, and forgets removed folders', async () => {
    const lastGood = new Map<string, FolderLoad>();
    const folders = [input('a', good), input('b', good)];
    const first = planFromLoads(folders, await Promise.all(folders.map((f) => loadFolder(f, context))), lastGood);
    assert.deepEqual(first.plan.instances.map((i) => i.id), ['a#s/work', 'b#s/work']);
    assert.deepEqual([...lastGood.keys()], ['a', 'b']);

    const edited = [input('a', broken)];
    const second = planFromLoads(edited, await Promise.all(edited.map((f) => loadFolder(f, context))), lastGood);
    assert.deepEqual(second.plan.instances.map((i) => i.id), ['a#s/work'], 'the last good instance, not the half-typed one');
    assert.ok((second.problems.get('/a/.mcplex.jsonc') ?? []).some((p) => p.code === 'syntax'));
    assert.deepEqual([...lastGood.keys()], ['a'], 'b is gone');
    assert.equal(lastGood.get('a')?.syntaxError, false, 'a broken load never becomes the last good one');

    const fresh = planFromLoads([input('c', broken)], [await loadFolder(input('c', broken), context)], lastGood);
    assert.deepEqual(fresh.plan.instances.map((i) => i.id), ['c#s/home'], 'a folder with no good load yet plans what parses of it');
    assert.equal(lastGood.has('c'), false);
  });

  it('keeps the last good instances while an instance or a server has an unknown key, and says which folder runs its last good version', async () => {
    const lastGood = new Map<string, FolderLoad>();
    const two = '{ "servers": { "s": { "command": "c", "instances": { "work": {}, "home": {} } } } }';
    planFromLoads([input('a', two)], [await loadFolder(input('a', two), context)], lastGood);
    for (const typo of [two.replace('"home": {}', '"home": { "lable": "Home" }'), two.replace('"command"', '"comand"')]) {
      const after = planFromLoads([input('a', typo)], [await loadFolder(input('a', typo), context)], lastGood);
      assert.deepEqual(after.plan.instances.map((i) => i.id), ['a#s/work', 'a#s/home'], typo);
      const unknown = (after.problems.get('/a/.mcplex.jsonc') ?? []).find((p) => p.code === 'unknown-key');
      assert.ok(unknown, 'the problem is still reported');
      assert.deepEqual(after.broken.get('a'), { folderId: 'a', problem: unknown, errorCount: 1, runsLastGood: true });
    }
    const fixed = planFromLoads([input('a', good)], [await loadFolder(input('a', good), context)], lastGood);
    assert.deepEqual(fixed.plan.instances.map((i) => i.id), ['a#s/work'], 'a fixed file is planned as written');
    assert.equal(fixed.broken.size, 0);

    const typo = good.replace('"command"', '"comand"');
    const first = planFromLoads([input('n', typo)], [await loadFolder(input('n', typo), context)], lastGood);
    assert.equal(first.broken.get('n')?.runsLastGood, false, 'a folder with no good load yet has no last good version');
  });

  it('keeps the last good instances when the file is nested deeper than the parser recurses, with a positioned problem', async () => {
    const lastGood = new Map<string, FolderLoad>();
    planFromLoads([input('a', good)], [await loadFolder(input('a', good), context)], lastGood);
    const deep = `{ "servers": { "s": { "command": "c", "env": ${'['.repeat(5000)}${']'.repeat(5000)} } } }`;
    const after = planFromLoads([input('a', deep)], [await loadFolder(input('a', deep), context)], lastGood);
    assert.deepEqual(after.plan.instances.map((i) => i.id), ['a#s/work']);
    const [problem] = after.problems.get('/a/.mcplex.jsonc') ?? [];
    assert.deepEqual([problem?.code, problem?.line], ['syntax', 1]);
    assert.ok((problem?.column ?? 0) > 1);
  });
});
