// Issue 18, "in VS Code this is one definition per server": a server's own
// `"exposure": "accounts"` through the window's runtime, with real processes. Three accounts
// of the notes server are ONE definition (its endpoint lists each tool once, with an
// `account` parameter, and each account answers for itself), while another server of the
// folder keeps the folder's aggregate; switching the server to `instances` keeps the
// processes and gives each account its own definition again.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WindowRuntime, type FolderInput } from '../../../../src/core/runtime';
import { fixturePath } from '../../../fixtures/servers';
import { REPO_ROOT } from '../../../helpers/cli';
import { until } from '../../../helpers/runtimeWait';
import { connectDefinition as connect, resultText } from '../../../helpers/definitionClient';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-rt-server-accounts-')));
after(() => rmSync(dir, { recursive: true, force: true }));
const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const ACCOUNTS = ['personal', 'work', 'team'];
const FOLDER = 'file:///w';

function folder(notesExposure: 'accounts' | 'instances'): FolderInput {
  const notes = { label: 'Notes', command: process.execPath, args: [NOTES], exposure: notesExposure, instances: Object.fromEntries(ACCOUNTS.map((account) => [account, { env: { ACCOUNT: account } }])) };
  const echo = { command: process.execPath, args: [fixturePath('echo')], instances: { a: { env: { SERVER_NAME: 'a' } }, b: { env: { SERVER_NAME: 'b' } } } };
  const text = JSON.stringify({ servers: { notes, echo } });
  return { id: FOLDER, name: 'w', path: dir, file: { path: join(dir, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure: 'aggregate' } };
}

describe("a server's own exposure `accounts` in the window", { timeout: 180_000 }, () => {
  it('is one definition for the three accounts, each reached by its `account` value; the other server keeps the aggregate', async (t) => {
    const runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, 'w.sock') }, secrets: { get: async () => undefined }, env: process.env, userHome: dir, startup: 'eager' });
    t.after(() => runtime.close());
    await runtime.update([folder('accounts')], true);
    const definitions = runtime.definitions();
    assert.deepEqual(
      definitions.map((definition) => [definition.id, definition.label, definition.instanceKeys.length]),
      [
        [`${FOLDER}#accounts:notes`, 'Notes', 3],
        [`${FOLDER}#aggregate`, 'MCPlex (w)', 2],
      ],
    );
    const [notes] = definitions;
    assert.ok(notes);
    await runtime.ensureRunning(notes.id);
    await until(runtime, () => runtime.instances().every((view) => view.status.kind === 'running' && view.tools !== undefined), 'all running with tools', 90_000);

    const client = await connect(notes);
    t.after(() => client.close());
    assert.equal(client.getServerVersion()?.name, 'notes', 'VS Code names its tools mcp_notes_<tool>');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['add_note', 'list_notes', 'read_note', 'search_notes'], 'three accounts list as many tools as one');
    for (const tool of tools) assert.deepEqual((tool.inputSchema.properties?.['account'] as { enum?: string[] } | undefined)?.enum, ACCOUNTS, tool.name);
    const work = resultText(await client.callTool({ name: 'list_notes', arguments: { account: 'work' } }));
    assert.match(work, /Standup/);
    assert.match(work, /\[account: work\]/);
    const personal = resultText(await client.callTool({ name: 'list_notes', arguments: { account: 'personal' } }));
    assert.match(personal, /Groceries/);
    assert.doesNotMatch(personal, /Standup/);
    assert.match(resultText(await client.callTool({ name: 'list_notes', arguments: { account: 'team' } })), /\[account: team\]/);
    await assert.rejects(client.callTool({ name: 'list_notes', arguments: { account: 'nobody' } }), /no account "nobody": use one of .*personal.*work.*team/);

    // The tree: instances under their server, served by the server's definition, tools as VS Code names them.
    const view = runtime.instances().find((candidate) => candidate.key === 'notes/work');
    assert.equal(view?.definitionId, notes.id);
    assert.deepEqual(view?.serverDefinition, { label: 'Notes', slug: 'notes' });
    assert.ok(view?.tools?.some((tool) => tool.exposedName === 'list_notes'), JSON.stringify(view?.tools));
    const echoView = runtime.instances().find((candidate) => candidate.key === 'echo/a');
    assert.equal(echoView?.definitionId, `${FOLDER}#aggregate`);
    assert.equal(echoView?.serverDefinition, undefined);

    // Back to one definition per account: the same processes, new relays.
    const pids = new Map(runtime.instances().map((candidate) => [candidate.key, candidate.status.kind === 'running' ? candidate.status.pid : undefined]));
    const result = await runtime.update([folder('instances')], true);
    assert.deepEqual(result.restarted, []);
    assert.deepEqual([...result.reconfigured].sort(), ACCOUNTS.map((account) => `${FOLDER}#notes/${account}`).sort());
    assert.deepEqual(runtime.definitions().map((definition) => definition.id), [...ACCOUNTS.map((account) => `${FOLDER}#notes/${account}`), `${FOLDER}#aggregate`]);
    await until(runtime, () => runtime.instances().every((candidate) => candidate.status.kind === 'running'), 'still running', 60_000);
    for (const candidate of runtime.instances()) {
      assert.equal(candidate.status.kind === 'running' ? candidate.status.pid : undefined, pids.get(candidate.key), `${candidate.key} kept its process`);
    }
  });
});
