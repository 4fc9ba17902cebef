// Which instances share an endpoint, by layout: VS Code's window follows the exposure (one
// definition per instance under `instances`); the CLI's one endpoint holds every instance
// whatever the file says; `serve --instance` and `pin` take each alone. Two instances with
// one prefix are refused exactly where they would share an endpoint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sharesFolderEndpoint, type EndpointLayout, type Exposure } from '../../../../src/core/engine';
import { planFolders, type FolderInput } from '../../../../src/core/runtime';

const context = { env: {}, secrets: { get: async () => undefined }, userHome: '/home/u' };

describe('sharesFolderEndpoint', () => {
  const exposures: readonly Exposure[] = ['instances', 'aggregate', 'accounts', 'discovery'];

  it('window: every exposure but instances, however many instances', () => {
    for (const exposure of exposures) for (const count of [1, 2, 3]) assert.equal(sharesFolderEndpoint('window', exposure, count), exposure !== 'instances', `${exposure} ${count}`);
  });

  it('one endpoint: several instances share it whatever the exposure; one in instances is itself', () => {
    for (const exposure of exposures) {
      assert.equal(sharesFolderEndpoint('one-endpoint', exposure, 0), false, exposure);
      assert.equal(sharesFolderEndpoint('one-endpoint', exposure, 1), exposure !== 'instances', exposure);
      assert.equal(sharesFolderEndpoint('one-endpoint', exposure, 2), true, exposure);
    }
  });

  it('alone: never', () => {
    for (const exposure of exposures) for (const count of [1, 2]) assert.equal(sharesFolderEndpoint('alone', exposure, count), false);
  });
});

describe('a shared prefix, by layout and the file\'s exposure', () => {
  /** Two servers with an instance `work` each; the file's top-level `exposure`. */
  function text(exposure: Exposure): string {
    return `{ "exposure": "${exposure}", "servers": { "a": { "command": "a", "instances": { "work": {} } }, "b": { "command": "b", "instances": { "work": {} } } } }`;
  }

  async function duplicates(exposure: Exposure, layout: EndpointLayout) {
    const folder: FolderInput = { id: 'file:///w', name: 'w', path: '/w', file: { path: '/w/.mcplex.jsonc', text: text(exposure) }, options: { toolPrefix: true, exposure: 'aggregate' } };
    const planned = await planFolders([folder], context, new Map(), true, layout);
    const problems = [...planned.problems.values()].flat().filter((problem) => problem.code === 'duplicate-prefix');
    return { problems: problems.map((problem) => problem.path.join('.')), wanted: [...planned.exposed.wanted.values()].map((instance) => instance.planned.key) };
  }

  it('VS Code keeps allowing it under instances (one definition each), refuses it where they share', async () => {
    assert.deepEqual(await duplicates('instances', 'window'), { problems: [], wanted: ['a/work', 'b/work'] });
    for (const exposure of ['aggregate', 'discovery'] as const) assert.deepEqual(await duplicates(exposure, 'window'), { problems: ['servers.b.instances.work'], wanted: ['a/work'] }, exposure);
  });

  it('the CLI\'s one endpoint refuses it under every exposure, instances included', async () => {
    for (const exposure of ['instances', 'aggregate', 'accounts', 'discovery'] as const) {
      assert.deepEqual(await duplicates(exposure, 'one-endpoint'), { problems: ['servers.b.instances.work'], wanted: ['a/work'] }, exposure);
    }
  });

  it('alone, each instance is served by itself: no clash under any exposure', async () => {
    for (const exposure of ['instances', 'aggregate', 'accounts', 'discovery'] as const) {
      assert.deepEqual(await duplicates(exposure, 'alone'), { problems: [], wanted: ['a/work', 'b/work'] }, exposure);
    }
  });

  it('the message says how to serve them apart', async () => {
    const folder: FolderInput = { id: 'file:///w', name: 'w', path: '/w', file: { path: '/w/.mcplex.jsonc', text: text('instances') }, options: { toolPrefix: true, exposure: 'aggregate' } };
    const planned = await planFolders([folder], context, new Map(), true, 'one-endpoint');
    const [problem] = [...planned.problems.values()].flat();
    assert.match(problem?.message ?? '', /"b\/work" has the prefix "work" of "a\/work".*Rename one instance, or serve each alone: `mcplex serve --instance ID`/);
  });
});

describe('toolPrefix: false where the CLI shares its endpoint', () => {
  it('is warned about under the file\'s instances too, and not for an instance alone', async () => {
    const text = '{\n  "exposure": "instances", "toolPrefix": false,\n  "servers": { "a": { "command": "a", "instances": { "work": { "args": ["w"] }, "home": { "args": ["h"] } } } }\n}';
    const folder: FolderInput = { id: 'file:///w', name: 'w', path: '/w', file: { path: '/w/.mcplex.jsonc', text }, options: { toolPrefix: true, exposure: 'aggregate' } };
    const codes = async (layout: EndpointLayout) => [...(await planFolders([folder], context, new Map(), true, layout)).problems.values()].flat().map((problem) => problem.code);
    assert.deepEqual(await codes('one-endpoint'), ['tool-prefix-in-aggregate']);
    assert.deepEqual(await codes('alone'), []);
    assert.deepEqual(await codes('window'), []);
  });
});
