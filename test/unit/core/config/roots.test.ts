import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, type SubstitutionContext } from '../../../../src/core/config/index';

const CONFIG = `{
  "servers": {
    "files": {
      "command": "npx",
      "roots": ["\${workspaceFolder}/shared"],
      "instances": {
        "work": { "roots": ["work", "\${userHome}/notes", "\${env:EXTRA}", "file:///srv/work"] },
        "inherits": {},
        "none": { "roots": false },
        "empty": { "roots": [] }
      }
    },
    "plain": { "command": "x", "instances": { "a": {} } }
  }
}`;

const context: SubstitutionContext = {
  env: { EXTRA: '/abs/extra dir' },
  secrets: { get: async () => undefined },
  workspaceFolder: '/ws',
  userHome: '/home/me',
};

describe('roots', () => {
  it('become file:// URIs, relative to the config folder, substituted like other strings; URIs stay', async () => {
    const result = await loadConfig(CONFIG, '/ws/.mcplex.jsonc', context);
    assert.deepEqual(result.problems, []);
    const roots = Object.fromEntries(result.instances.map((instance) => [`${instance.serverId}/${instance.instanceId}`, instance.roots]));
    assert.deepEqual(roots, {
      'files/work': ['file:///ws/work', 'file:///home/me/notes', 'file:///abs/extra%20dir', 'file:///srv/work'],
      'files/inherits': ['file:///ws/shared'],
      'files/none': false,
      'files/empty': [],
      'plain/a': undefined,
    });
    assert.ok(!('roots' in result.instances.find((instance) => instance.serverId === 'plain')!), 'absent stays absent');
  });

  it('an unset variable in a root is reported at its position and leaves the instance out', async () => {
    const result = await loadConfig(CONFIG, '/ws/.mcplex.jsonc', { ...context, env: {} });
    assert.deepEqual(result.instances.map((instance) => instance.instanceId), ['inherits', 'none', 'empty', 'a']);
    const [problem] = result.problems;
    assert.equal(problem?.code, 'unresolved-variable');
    assert.deepEqual(problem?.path, ['servers', 'files', 'instances', 'work', 'roots', 2]);
    assert.equal(problem?.line, 7);
  });
});
