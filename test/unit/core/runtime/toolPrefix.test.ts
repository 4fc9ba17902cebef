// `toolPrefix` in a folder's file: it wins over the `mcplex.toolPrefix` setting (as
// `separator` does), the CLI's flag wins over it, and an aggregate, which must prefix, says
// so at its position instead of ignoring it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planFolders, type FolderInput } from '../../../../src/core/runtime';
import type { FolderOptions } from '../../../../src/core/engine';

const context = { env: {}, secrets: { get: async () => undefined }, userHome: '/home/u' };

function config(toolPrefix: boolean | undefined, instances: readonly string[]): string {
  const written = toolPrefix === undefined ? '' : `\n  "toolPrefix": ${String(toolPrefix)},`;
  const list = instances.map((id) => `"${id}": { "env": { "ACCOUNT": "${id}" } }`).join(', ');
  return `{${written}\n  "servers": { "notes": { "command": "node", "instances": { ${list} } } }\n}`;
}

async function plan(text: string, options: FolderOptions) {
  const folder: FolderInput = { id: 'file:///w', name: 'w', path: '/w', file: { path: '/w/.mcplex.jsonc', text }, options };
  const planned = await planFolders([folder], context, new Map(), false);
  return { folder: planned.plan.folders[0], problems: [...planned.problems.values()].flat(), hash: planned.plan.instances[0]?.hash };
}

describe('toolPrefix in the configuration', () => {
  it('the file wins over the setting, either way', async () => {
    assert.equal((await plan(config(false, ['work']), { toolPrefix: true, exposure: 'instances' })).folder?.toolPrefix, false);
    assert.equal((await plan(config(true, ['work']), { toolPrefix: false, exposure: 'instances' })).folder?.toolPrefix, true);
    assert.equal((await plan(config(undefined, ['work']), { toolPrefix: true, exposure: 'instances' })).folder?.toolPrefix, true);
  });

  it('the CLI flag wins over the file, and then nothing is said of the file', async () => {
    const planned = await plan(config(false, ['work', 'home']), { toolPrefix: true, toolPrefixOverride: true, exposure: 'aggregate' });
    assert.equal(planned.folder?.toolPrefix, true);
    assert.deepEqual(planned.problems, []);
  });

  it('changes the instance hash, so VS Code refreshes and the engine swaps the relay', async () => {
    const options: FolderOptions = { toolPrefix: true, exposure: 'instances' };
    assert.notEqual((await plan(config(false, ['work']), options)).hash, (await plan(config(true, ['work']), options)).hash);
  });

  it('false in an aggregate of several instances is a warning at its position', async () => {
    const { problems } = await plan(config(false, ['work', 'home']), { toolPrefix: false, exposure: 'aggregate' });
    assert.deepEqual(problems.map((p) => [p.severity, p.code, p.file, p.line, p.column, p.path]), [['warning', 'tool-prefix-in-aggregate', '/w/.mcplex.jsonc', 2, 17, ['toolPrefix']]]);
    assert.match(problems[0]?.message ?? '', /2 instances share one endpoint.*keep their prefixes.*--instance/);
  });

  it('says nothing where it applies: one instance, separate definitions, or true', async () => {
    for (const [text, exposure] of [
      [config(false, ['work']), 'aggregate'],
      [config(false, ['work', 'home']), 'instances'],
      [config(true, ['work', 'home']), 'aggregate'],
    ] as const) {
      assert.deepEqual((await plan(text, { toolPrefix: false, exposure })).problems, [], text);
    }
  });
});
