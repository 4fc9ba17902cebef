// Issue 18: the `mcplex.exposure: discovery` setting through the window's runtime, with real
// processes: one definition per folder whose client lists three tools and reaches each
// account through call_tool; the tree still shows each instance's own tools; switching
// between aggregate and discovery changes the definition's version (VS Code's tool cache).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WindowRuntime, type FolderInput } from '../../../../src/core/runtime';
import { REPO_ROOT } from '../../../helpers/cli';
import { until } from '../../../helpers/runtimeWait';
import { connectDefinition as connect, resultText } from '../../../helpers/definitionClient';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-rt-discovery-')));
after(() => rmSync(dir, { recursive: true, force: true }));
const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');

function notesFolder(exposure: 'aggregate' | 'discovery'): FolderInput {
  const instances = Object.fromEntries(['personal', 'work', 'team'].map((account) => [account, { env: { ACCOUNT: account } }]));
  const text = JSON.stringify({ servers: { notes: { command: process.execPath, args: [NOTES], instances } } });
  return { id: 'file:///w', name: 'w', path: dir, file: { path: join(dir, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure } };
}

describe('mcplex.exposure: discovery in the window', { timeout: 120_000 }, () => {
  it('serves the folder as one definition with three tools that reach every account', async (t) => {
    const runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, 'w.sock') }, secrets: { get: async () => undefined }, env: process.env, userHome: dir, startup: 'eager' });
    t.after(() => runtime.close());
    await runtime.update([notesFolder('aggregate')], true);
    const aggregateVersion = runtime.definitions()[0]?.version;
    await runtime.update([notesFolder('discovery')], true);
    const definitions = runtime.definitions();
    assert.deepEqual(definitions.map((definition) => definition.id), ['file:///w#aggregate']);
    const [definition] = definitions;
    assert.ok(definition);
    assert.notEqual(definition.version, aggregateVersion, 'VS Code must not reuse the aggregate\'s cached tools');
    await until(runtime, () => runtime.instances().every((view) => view.status.kind === 'running' && view.tools !== undefined), 'all running with tools', 60_000);
    // The tree still shows each instance's own tools.
    assert.deepEqual(runtime.instances().find((view) => view.key === 'notes/team')?.tools?.map((tool) => tool.exposedName).sort(), ['team__add_note', 'team__list_notes', 'team__read_note', 'team__search_notes']);

    const client = await connect(definition);
    t.after(() => client.close());
    assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), ['call_tool', 'describe_tool', 'search_tools']);
    assert.match(resultText(await client.callTool({ name: 'search_tools', arguments: { query: 'notes whose title contains' } })), /search_notes/);
    assert.match(resultText(await client.callTool({ name: 'call_tool', arguments: { name: 'work__list_notes' } })), /Standup/);
    assert.match(resultText(await client.callTool({ name: 'call_tool', arguments: { name: 'personal__list_notes' } })), /Groceries/);
  });
});
