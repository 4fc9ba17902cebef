// The window runtime with real processes, reached over its unix socket by the SDK's client
// exactly as VS Code reaches a `unix://…#/path` definition: socket fetch + the token header.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeError, WindowRuntime, type FolderInput, type InstanceView } from '../../../../src/core/runtime';
import { REPO_ROOT, fixturePath } from '../../../fixtures/servers';
import { until } from '../../../helpers/runtimeWait';
import { alive } from '../../../helpers/processes';
import { connectDefinition as connect } from '../../../helpers/definitionClient';

const NODE = JSON.stringify(process.execPath);
const NOTES = JSON.stringify(join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs'));
const ECHO = JSON.stringify(fixturePath('echo'));
const noSecrets = { get: async () => undefined };
const dir = mkdtempSync(join(tmpdir(), 'mcplex-rt-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function alphaText(workEnv = '"ACCOUNT": "work"', marker = 'm'): string {
  return `{
  // two accounts of one server
  "servers": {
    "notes": {
      "label": "Notes", "command": ${NODE}, "args": [${NOTES}, "${marker}"],
      "instances": {
        "personal": { "label": "Personal", "env": { "ACCOUNT": "personal" } },
        "work": { "label": "Work", "env": { ${workEnv} }, "tools": { "deny": ["add_*"] } },
      },
    },
  },
}`;
}

function folder(name: string, extra: Partial<FolderInput> = {}, options: Partial<FolderInput['options']> = {}): FolderInput {
  mkdirSync(join(dir, name), { recursive: true });
  return { id: `file:///${name}`, name, path: join(dir, name), options: { toolPrefix: false, exposure: 'instances', ...options }, ...extra };
}

const alpha = (text = alphaText()) => folder('alpha', { file: { path: join(dir, 'alpha', '.mcplex.jsonc'), text } });
const beta = (options: Partial<FolderInput['options']> = {}) =>
  folder(
    'beta',
    {
      file: { path: join(dir, 'beta', '.mcplex.jsonc'), text: `{ "servers": { "notes": { "label": "Notes", "command": ${NODE}, "args": [${NOTES}], "instances": { "work": { "label": "Work", "env": { "ACCOUNT": "work" } } } } } }` },
      settingsServers: { echo: { command: process.execPath, args: [fixturePath('echo')], instances: { main: { label: 'Main' } } } },
    },
    options,
  );

const view = (runtime: WindowRuntime, id: string): InstanceView | undefined => runtime.instances().find((instance) => `${instance.folderId}#${instance.key}` === id);
const pidOf = (runtime: WindowRuntime, id: string): number | undefined => {
  const status = view(runtime, id)?.status;
  return status?.kind === 'running' ? status.pid : undefined;
};
const allRunning = (runtime: WindowRuntime) => runtime.instances().every((instance) => instance.status.kind === 'running' && instance.tools !== undefined);

function processesWith(marker: string): number {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(marker)).length;
}

describe('WindowRuntime with two folders', () => {
  const socket = join(dir, 'w.sock');
  let runtime: WindowRuntime;
  const A_PERSONAL = 'file:///alpha#notes/personal';
  const A_WORK = 'file:///alpha#notes/work';
  const B_WORK = 'file:///beta#notes/work';
  const B_ECHO = 'file:///beta#echo/main';

  before(async () => {
    runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: socket }, secrets: noSecrets, env: process.env, userHome: dir, startup: 'eager' });
  });
  after(() => runtime.close());

  it('plans the window: unique labels and slugs, one definition per instance on the socket', async () => {
    const result = await runtime.update([alpha(), beta()], true);
    assert.equal(result.definitionsChanged, true);
    assert.deepEqual([...result.started].sort(), [A_PERSONAL, A_WORK, B_ECHO, B_WORK].sort());
    const definitions = runtime.definitions();
    assert.deepEqual(definitions.map((d) => d.label).sort(), ['Notes (Personal)', 'Notes (Work, alpha)', 'Notes (Work, beta)', 'echo (Main)']);
    const slugs = runtime.instances().map((i) => i.slug);
    assert.equal(new Set(slugs).size, 4);
    for (const definition of definitions) {
      assert.match(definition.url, new RegExp(`^unix://${socket.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#/i/[a-z0-9_-]{1,13}$`));
      assert.deepEqual(Object.keys(definition.headers), ['X-Mcplex-Token']);
    }
    await until(runtime, () => allRunning(runtime), 'every instance running with its tools');
  });

  it('serves each definition to an SDK client with the token: slug as server name, unprefixed tools, the filter applied', async () => {
    for (const definition of runtime.definitions()) {
      const client = await connect(definition);
      try {
        const instance = view(runtime, definition.id);
        assert.equal(client.getServerVersion()?.name, instance?.slug);
        const { tools } = await client.listTools();
        const visible = instance?.tools?.filter((tool) => tool.hidden === undefined).map((tool) => tool.exposedName);
        assert.deepEqual(tools.map((tool) => tool.name), visible, `tool views of ${definition.label} are what the client sees`);
        if (definition.id === A_WORK) {
          assert.ok(!tools.some((tool) => tool.name === 'add_note'));
          assert.deepEqual(instance?.tools?.find((tool) => tool.upstreamName === 'add_note')?.hidden, 'denied');
        }
      } finally {
        await client.close();
      }
    }
    const personal = runtime.definitions().find((d) => d.id === A_PERSONAL);
    assert.ok(personal);
    const client = await connect(personal);
    const result = await client.callTool({ name: 'list_notes', arguments: {} });
    assert.match(JSON.stringify(result.content), /Groceries/);
    await client.close();
  });

  it('refuses a wrong or missing token', async () => {
    const [definition] = runtime.definitions();
    assert.ok(definition);
    await assert.rejects(connect(definition, { 'X-Mcplex-Token': 'wrong' }), /401|Unauthorized/);
    await assert.rejects(connect(definition, {}), /401|Unauthorized/);
  });

  it('prefixes tool names with toolPrefix, reconfiguring only that folder and keeping its processes', async () => {
    const pids = [A_PERSONAL, A_WORK, B_ECHO, B_WORK].map((id) => pidOf(runtime, id));
    const result = await runtime.update([alpha(), beta({ toolPrefix: true })], true);
    assert.deepEqual([...result.reconfigured].sort(), [B_ECHO, B_WORK].sort());
    assert.deepEqual([result.started, result.stopped, result.restarted], [[], [], []]);
    await until(runtime, () => allRunning(runtime) && view(runtime, B_ECHO)?.tools?.[0]?.exposedName === 'main__echo', 'prefixed tools');
    assert.deepEqual([A_PERSONAL, A_WORK, B_ECHO, B_WORK].map((id) => pidOf(runtime, id)), pids);
    const echo = runtime.definitions().find((d) => d.id === B_ECHO);
    assert.ok(echo);
    const client = await connect(echo);
    assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name), ['main__echo']);
    const reply = await client.callTool({ name: 'main__echo', arguments: { text: 'hi' } });
    assert.deepEqual(reply.content, [{ type: 'text', text: 'hi' }]);
    await client.close();
  });

  it('restarts only the instance whose env changed, and changes only its version', async () => {
    const before = new Map(runtime.definitions().map((d) => [d.id, d.version]));
    const pids = new Map([A_PERSONAL, A_WORK, B_WORK, B_ECHO].map((id) => [id, pidOf(runtime, id)]));
    const result = await runtime.update([alpha(alphaText('"ACCOUNT": "work", "EXTRA": "1"')), beta({ toolPrefix: true })], true);
    assert.deepEqual(result.restarted, [A_WORK]);
    assert.deepEqual([result.started, result.stopped, result.reconfigured], [[], [], []]);
    assert.equal(result.definitionsChanged, true);
    for (const [id, version] of before) {
      const now = runtime.definitions().find((d) => d.id === id)?.version;
      if (id === A_WORK) assert.notEqual(now, version);
      else assert.equal(now, version, id);
    }
    await until(runtime, () => allRunning(runtime), 'running again');
    assert.notEqual(pidOf(runtime, A_WORK), pids.get(A_WORK));
    for (const id of [A_PERSONAL, B_WORK, B_ECHO]) assert.equal(pidOf(runtime, id), pids.get(id), id);
  });

  it('keeps the last good instances of a file with a syntax error, and reports it with its position', async () => {
    const pids = runtime.instances().map((i) => (i.status.kind === 'running' ? i.status.pid : undefined));
    const broken = alphaText('"ACCOUNT": "work", "EXTRA": "1"').replace('"label": "Personal",', '"label": "Personal"');
    const result = await runtime.update([alpha(broken), beta({ toolPrefix: true })], true);
    const problems = result.problems.get(join(dir, 'alpha', '.mcplex.jsonc')) ?? [];
    const syntax = problems.find((problem) => problem.code === 'syntax');
    assert.ok(syntax, JSON.stringify(problems));
    assert.deepEqual([syntax.line, syntax.column], [7, 43]); // where the missing `,` belongs, before "env"
    assert.deepEqual([result.started, result.stopped, result.restarted, result.reconfigured, result.definitionsChanged], [[], [], [], [], false]);
    assert.deepEqual(runtime.instances().map((i) => (i.status.kind === 'running' ? i.status.pid : undefined)), pids);
  });

  it('removes what is gone, and close() stops every process and removes the socket', async () => {
    const echoPid = pidOf(runtime, B_ECHO);
    const workPid = pidOf(runtime, A_WORK);
    const result = await runtime.update([alpha(alphaText('"ACCOUNT": "work", "EXTRA": "1"'))], true);
    assert.deepEqual([...result.stopped].sort(), [B_ECHO, B_WORK].sort());
    // "Notes (Work)" is alpha's alone now: its label loses the folder, a new surface on the same process.
    assert.deepEqual([result.restarted, result.reconfigured], [[], [A_WORK]]);
    assert.equal(pidOf(runtime, A_WORK), workPid);
    assert.deepEqual(runtime.definitions().map((d) => d.label).sort(), ['Notes (Personal)', 'Notes (Work)']);
    assert.ok(echoPid !== undefined && !alive(echoPid));
    await until(runtime, () => allRunning(runtime), 'alpha running');
    const pids = runtime.instances().map((i) => (i.status.kind === 'running' ? i.status.pid : undefined));
    assert.ok(pids.every((pid) => pid !== undefined));
    await runtime.close();
    assert.equal(existsSync(socket), false);
    for (const pid of pids) assert.equal(alive(pid as number), false, `pid ${pid} is gone`);
  });
});

describe('WindowRuntime trust, secrets, failures and on-demand start', () => {
  it('spawns nothing while untrusted, then starts on trust', async () => {
    const marker = `mcplex-untrusted-${process.pid}-${Date.now()}`;
    const runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, 't.sock') }, secrets: noSecrets, env: process.env, userHome: dir, startup: 'eager' });
    try {
      const result = await runtime.update([alpha(alphaText(undefined, marker))], false);
      assert.deepEqual(runtime.definitions(), []);
      assert.deepEqual(result.started, []);
      assert.deepEqual(runtime.instances().map((i) => i.status.kind), ['untrusted', 'untrusted']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(processesWith(marker), 0);
      await assert.rejects(runtime.start('file:///alpha#notes/work'), (error: unknown) => error instanceof RuntimeError && error.code === 'untrusted');

      await runtime.update([alpha(alphaText(undefined, marker))], true);
      assert.equal(runtime.definitions().length, 2);
      await until(runtime, () => allRunning(runtime), 'running after trust');
      assert.equal(processesWith(marker), 2);
    } finally {
      await runtime.close();
    }
    assert.equal(processesWith(marker), 0);
  });

  it('starts on demand, reports needs-secret, and rejects ensureRunning with the real error', async () => {
    const secrets = new Map<string, string>();
    const runtime = await WindowRuntime.start({
      listen: { kind: 'socket', path: join(dir, 'd.sock') },
      secrets: { get: async (name) => secrets.get(name) },
      env: process.env,
      userHome: dir,
      startup: 'onDemand',
    });
    const text = `{ "servers": {
      "echo": { "command": ${NODE}, "args": [${ECHO}], "instances": { "ok": {}, "keyed": { "env": { "KEY": "\${secret:echo-key}" } } } },
      "broken": { "command": "mcplex-no-such-command-for-tests", "instances": { "x": {} } },
    } }`;
    const input = [folder('gamma', { file: { path: join(dir, 'gamma', '.mcplex.jsonc'), text } })];
    try {
      await runtime.update(input, true);
      const status = (key: string) => runtime.instances().find((i) => i.key === key)?.status;
      assert.deepEqual(status('echo/ok'), { kind: 'stopped' });
      assert.deepEqual(status('echo/keyed'), { kind: 'needs-secret', secrets: ['echo-key'] });

      await runtime.ensureRunning('file:///gamma#echo/ok');
      assert.equal(status('echo/ok')?.kind, 'running');
      assert.equal(status('broken/x')?.kind, 'stopped');

      await assert.rejects(runtime.ensureRunning('file:///gamma#broken/x'), (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        assert.equal(error.code, 'instance-failed');
        assert.match(error.message, /ENOENT/);
        return true;
      });
      assert.equal(status('broken/x')?.kind, 'failed');
      await assert.rejects(runtime.ensureRunning('file:///gamma#echo/keyed'), (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        assert.equal(error.code, 'needs-secret');
        assert.match(error.message, /"echo-key"/);
        return true;
      });

      secrets.set('echo-key', 'sekrit-value-123');
      const result = await runtime.update(input, true);
      assert.deepEqual([result.started, result.restarted], [['file:///gamma#echo/keyed'], []]);
      assert.equal(status('echo/keyed')?.kind, 'stopped'); // on demand: not before it is asked for
      await runtime.ensureRunning('file:///gamma#echo/keyed');
      assert.equal(status('echo/keyed')?.kind, 'running');
      assert.ok(!JSON.stringify(runtime.instances()).includes('sekrit-value-123'));
    } finally {
      await runtime.close();
    }
  });

  it('serves a folder as one aggregate definition with prefixed tools', async () => {
    const runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, 'a.sock') }, secrets: noSecrets, env: process.env, userHome: dir, startup: 'eager' });
    try {
      await runtime.update([{ ...alpha(), options: { toolPrefix: false, exposure: 'aggregate' } }], true);
      const [definition, ...rest] = runtime.definitions();
      assert.ok(definition);
      assert.equal(rest.length, 0);
      assert.equal(definition.id, 'file:///alpha#aggregate');
      assert.deepEqual([...definition.instanceKeys].sort(), ['file:///alpha#notes/personal', 'file:///alpha#notes/work']);
      await until(runtime, () => allRunning(runtime), 'aggregate members running');
      const client = await connect(definition);
      const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
      const viewed = runtime.instances().flatMap((i) => i.tools ?? []).filter((tool) => tool.hidden === undefined).map((tool) => tool.exposedName).sort();
      assert.deepEqual(names, viewed);
      assert.ok(names.includes('personal__add_note') && !names.includes('work__add_note'));
      await client.close();
    } finally {
      await runtime.close();
    }
  });

  it("serves a file's `exposure: accounts` over the setting: one definition, a shared tool once with `account`", async () => {
    const runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, 'acc.sock') }, secrets: noSecrets, env: process.env, userHome: dir, startup: 'eager' });
    try {
      const text = alphaText().replace('// two accounts of one server', '"exposure": "accounts",');
      await runtime.update([alpha(text)], true);
      const [definition, ...rest] = runtime.definitions();
      assert.ok(definition);
      assert.equal(rest.length, 0, 'one definition, though the setting says instances');
      await until(runtime, () => allRunning(runtime), 'accounts members running');
      const client = await connect(definition);
      const tools = (await client.listTools()).tools;
      const names = tools.map((tool) => tool.name);
      // work denies add_*: add_note is personal's alone and keeps the per-instance form.
      assert.ok(names.includes('list_notes') && names.includes('personal__add_note') && !names.some((name) => name.startsWith('work__')), names.join(', '));
      const account = (tools.find((tool) => tool.name === 'list_notes')?.inputSchema.properties as Record<string, { enum: string[] }>)['account'];
      assert.deepEqual(account?.enum, ['personal', 'work']);
      const answer = (await client.callTool({ name: 'list_notes', arguments: { account: 'work' } })) as { content: { type: string; text: string }[] };
      assert.match(answer.content[0]?.text ?? '', /Standup/);
      const viewed = runtime.instances().map((instance) => (instance.tools ?? []).find((tool) => tool.upstreamName === 'list_notes')?.exposedName);
      assert.deepEqual(viewed, ['list_notes', 'list_notes'], 'the tree shows the name the model sees');
      await client.close();
    } finally {
      await runtime.close();
    }
  });
});
