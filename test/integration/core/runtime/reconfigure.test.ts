// An edit that changes only what clients see of an instance (a `tools.deny`, the exposure)
// keeps its upstream process, so an in-memory server keeps its state; an edit of how it is
// launched (its env) still starts a new process. Real processes (the notes example server,
// which keeps notes in memory), reached the way VS Code reaches them: the SDK's client over
// the runtime's unix socket with the token header.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { WindowRuntime, type DefinitionSpec, type FolderInput } from '../../../../src/core/runtime';
import { REPO_ROOT } from '../../../fixtures/servers';
import { alive } from '../../../helpers/processes';
import { connectDefinition as connect } from '../../../helpers/definitionClient';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mcplex-rt-reconf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PERSONAL = 'file:///notes#notes/personal';
const WORK = 'file:///notes#notes/work';

interface Edit {
  readonly deny?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly exposure?: 'instances' | 'aggregate';
}

/** Two notes accounts; `edit` changes the personal one (and the folder's exposure). */
function notesFolder(edit: Edit = {}): FolderInput {
  const path = join(dir, 'notes');
  mkdirSync(path, { recursive: true });
  const text = JSON.stringify({
    servers: {
      notes: {
        label: 'Notes',
        command: process.execPath,
        args: [NOTES],
        instances: {
          personal: { label: 'Personal', env: { ACCOUNT: 'personal', ...edit.env }, ...(edit.deny !== undefined && { tools: { deny: edit.deny } }) },
          work: { label: 'Work', env: { ACCOUNT: 'work' } },
        },
      },
    },
  });
  return { id: 'file:///notes', name: 'notes', path, file: { path: join(path, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure: edit.exposure ?? 'instances' } };
}

/** Connects, runs `use`, closes. */
async function withClient<T>(definition: DefinitionSpec, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(definition);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

const toolNames = (client: Client) => client.listTools().then(({ tools }) => tools.map((tool) => tool.name).sort());
const listNotes = (client: Client, name = 'list_notes') => client.callTool({ name, arguments: {} }).then((result) => JSON.stringify(result.content));

function definition(runtime: WindowRuntime, id: string): DefinitionSpec {
  const found = runtime.definitions().find((candidate) => candidate.id === id);
  assert.ok(found, `a definition ${id}: ${JSON.stringify(runtime.definitions().map((d) => d.id))}`);
  return found;
}

function pidOf(runtime: WindowRuntime, id: string): number | undefined {
  const status = runtime.instances().find((instance) => `${instance.folderId}#${instance.key}` === id)?.status;
  return status?.kind === 'running' ? status.pid : undefined;
}

/** Resolves once `check` holds, re-checked every 50 ms. */
async function until<T>(check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startRuntime(name: string): Promise<WindowRuntime> {
  return WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, `${name}.sock`) }, secrets: { get: async () => undefined }, env: process.env, userHome: dir, startup: 'eager' });
}

describe('an edit of the surface alone keeps the upstream process', { timeout: 30_000 }, () => {
  it('a tools.deny edit keeps the pid and its in-memory state, and a new session sees the new tools; an env edit restarts it', async (t) => {
    const runtime = await startRuntime('i');
    t.after(() => runtime.close());
    await runtime.update([notesFolder()], true);
    const before = definition(runtime, PERSONAL);
    await runtime.ensureRunning(before.id);
    const pid = await until(() => pidOf(runtime, PERSONAL), 'a running personal instance');
    const workPid = await until(() => pidOf(runtime, WORK), 'a running work instance');
    const workVersion = definition(runtime, WORK).version;
    await withClient(before, async (client) => {
      assert.deepEqual(await toolNames(client), ['add_note', 'list_notes', 'read_note', 'search_notes']);
      await client.callTool({ name: 'add_note', arguments: { title: 'Kept in memory', body: 'x' } });
    });

    const denied = await runtime.update([notesFolder({ deny: ['add_note'] })], true);
    assert.deepEqual([denied.reconfigured, denied.restarted, denied.started, denied.stopped], [[PERSONAL], [], [], []]);
    assert.equal(denied.definitionsChanged, true);
    const after = definition(runtime, PERSONAL);
    assert.notEqual(after.version, before.version, 'a new version, so VS Code drops its cached tools');
    assert.equal(after.url, before.url);
    assert.equal(definition(runtime, WORK).version, workVersion, 'the other instance keeps its version');
    assert.equal(pidOf(runtime, PERSONAL), pid, 'the same process');
    assert.equal(pidOf(runtime, WORK), workPid);
    await withClient(after, async (client) => {
      assert.deepEqual(await toolNames(client), ['list_notes', 'read_note', 'search_notes']);
      assert.match(await listNotes(client), /Kept in memory/, 'the note added before the edit is still there');
    });
    // The tree's view follows the new filter, on the same process.
    await until(() => runtime.instances().find((i) => i.key === 'notes/personal')?.tools?.find((tool) => tool.upstreamName === 'add_note')?.hidden === 'denied', 'add_note shown as denied');
    assert.equal(pidOf(runtime, PERSONAL), pid);

    const unchanged = await runtime.update([notesFolder({ deny: ['add_note'] })], true);
    assert.deepEqual([unchanged.reconfigured, unchanged.restarted, unchanged.definitionsChanged], [[], [], false]);

    const envEdit = await runtime.update([notesFolder({ deny: ['add_note'], env: { EXTRA: '1' } })], true);
    assert.deepEqual([envEdit.restarted, envEdit.reconfigured], [[PERSONAL], []]);
    const newPid = await until(() => pidOf(runtime, PERSONAL), 'personal running again');
    assert.notEqual(newPid, pid, 'a new process');
    assert.equal(alive(pid), false, 'the old process is gone');
    assert.equal(pidOf(runtime, WORK), workPid, 'the other instance is untouched');
    await withClient(definition(runtime, PERSONAL), async (client) => {
      assert.deepEqual(await toolNames(client), ['list_notes', 'read_note', 'search_notes']);
      assert.doesNotMatch(await listNotes(client), /Kept in memory/, 'a new process starts from its seeds');
    });
  });

  it('switching to aggregate exposure and denying a tool there keep every process', async (t) => {
    const runtime = await startRuntime('a');
    t.after(() => runtime.close());
    await runtime.update([notesFolder()], true);
    const pids = await until(() => {
      const both = [pidOf(runtime, PERSONAL), pidOf(runtime, WORK)];
      return both.every((pid) => pid !== undefined) ? both : undefined;
    }, 'both instances running');
    await withClient(definition(runtime, PERSONAL), (client) => client.callTool({ name: 'add_note', arguments: { title: 'Kept in memory', body: 'x' } }));

    const switched = await runtime.update([notesFolder({ exposure: 'aggregate' })], true);
    assert.deepEqual([[...switched.reconfigured].sort(), switched.restarted], [[PERSONAL, WORK], []]);
    const aggregateId = 'file:///notes#aggregate';
    assert.deepEqual(runtime.definitions().map((d) => d.id), [aggregateId]);
    const first = definition(runtime, aggregateId);
    await withClient(first, async (client) => {
      assert.ok((await toolNames(client)).includes('personal__add_note'));
      assert.match(await listNotes(client, 'personal__list_notes'), /Kept in memory/);
    });

    const denied = await runtime.update([notesFolder({ exposure: 'aggregate', deny: ['add_note'] })], true);
    assert.deepEqual([denied.reconfigured, denied.restarted], [[PERSONAL], []]);
    const second = definition(runtime, aggregateId);
    assert.notEqual(second.version, first.version);
    await withClient(second, async (client) => {
      const names = await toolNames(client);
      assert.ok(!names.includes('personal__add_note') && names.includes('work__add_note'), names.join(' '));
      assert.match(await listNotes(client, 'personal__list_notes'), /Kept in memory/);
    });
    assert.deepEqual([pidOf(runtime, PERSONAL), pidOf(runtime, WORK)], pids);
  });
});
