// The tree's tools come from the relay's own catalog: once an instance is up the runtime
// knows its tools (exposed and hidden, named as the model sees them) without any client
// session on the relay, in per-instance and in aggregate exposure alike.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WindowRuntime, type FolderInput } from '../../../../src/core/runtime';
import { REPO_ROOT } from '../../../fixtures/servers';
import { until } from '../../../helpers/runtimeWait';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mcplex-rt-catalog-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TEXT = JSON.stringify({
  servers: {
    notes: {
      command: process.execPath,
      args: [NOTES],
      instances: { work: { env: { ACCOUNT: 'work' }, tools: { deny: ['add_*'] } }, home: { env: { ACCOUNT: 'personal' }, tools: { allow: ['list_notes'] } } },
    },
  },
});

function folder(exposure: FolderInput['options']['exposure']): FolderInput {
  return { id: 'file:///cat', name: 'cat', path: dir, file: { path: join(dir, '.mcplex.jsonc'), text: TEXT }, options: { toolPrefix: false, exposure } };
}

for (const exposure of ['instances', 'aggregate'] as const) {
  describe(`the runtime's tool views (${exposure})`, () => {
    it('are known once the instances are up, with no client connected', async () => {
      const runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, `${exposure}.sock`) }, secrets: { get: async () => undefined }, env: process.env, userHome: dir, startup: 'eager' });
      try {
        await runtime.update([folder(exposure)], true);
        await until(runtime, () => runtime.instances().every((instance) => instance.tools !== undefined), 'every instance with its tools');
        const tools = (key: string) => runtime.instances().find((instance) => instance.key === key)?.tools?.map((tool) => [tool.exposedName, tool.hidden ?? 'exposed']).sort();
        const name = (prefix: string, tool: string) => (exposure === 'aggregate' ? `${prefix}__${tool}` : tool);
        assert.deepEqual(tools('notes/work'), [[name('work', 'add_note'), 'denied'], [name('work', 'list_notes'), 'exposed'], [name('work', 'read_note'), 'exposed'], [name('work', 'search_notes'), 'exposed']]);
        assert.deepEqual(tools('notes/home'), [[name('home', 'add_note'), 'filtered'], [name('home', 'list_notes'), 'exposed'], [name('home', 'read_note'), 'filtered'], [name('home', 'search_notes'), 'filtered']]);
      } finally {
        await runtime.close();
      }
    });
  });
}
