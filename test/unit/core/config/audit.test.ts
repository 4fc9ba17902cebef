import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_AUDIT, loadConfig, type SubstitutionContext } from '../../../../src/core/config/index';

const context: SubstitutionContext = { env: {}, secrets: { get: async () => undefined }, workspaceFolder: '/ws', userHome: '/home/me' };

describe('audit', () => {
  it('defaults to on without arguments; an instance overrides its server field by field', async () => {
    const result = await loadConfig(
      `{ "servers": { "notes": { "command": "x", "audit": { "arguments": true, "required": true },
         "instances": { "work": {}, "home": { "audit": { "required": false } }, "quiet": { "audit": { "enabled": false } } } },
         "plain": { "command": "y", "instances": { "a": {} } } } }`,
      '/ws/.mcplex.jsonc',
      context,
    );
    assert.deepEqual(result.problems, []);
    const audit = Object.fromEntries(result.instances.map((instance) => [`${instance.serverId}/${instance.instanceId}`, instance.audit]));
    assert.deepEqual(audit, {
      'notes/work': { enabled: true, arguments: true, required: true },
      'notes/home': { enabled: true, arguments: true, required: false },
      'notes/quiet': { enabled: false, arguments: true, required: true },
      'plain/a': DEFAULT_AUDIT,
    });
  });

  it('refuses an unknown key (with a guess) and a value that is not a boolean, with their positions', async () => {
    const text = `{ "servers": { "notes": { "command": "x", "instances": { "work": { "audit": { "argument": true, "required": "yes" } } } } } }`;
    const result = await loadConfig(text, '/ws/.mcplex.jsonc', context);
    const messages = result.problems.map((problem) => [problem.severity, problem.path.join('.'), problem.column, problem.message]);
    const unknown = messages.find(([, path]) => path === 'servers.notes.instances.work.audit.argument');
    const notBoolean = messages.find(([, path]) => path === 'servers.notes.instances.work.audit.required');
    assert.equal(unknown?.[0], 'error');
    assert.match(String(unknown?.[3]), /Did you mean `arguments`/);
    assert.equal(unknown?.[2], text.indexOf('"argument"') + 1);
    assert.match(String(notBoolean?.[3]), /must be `true` or `false`, not a string/);
    assert.equal(result.instances.length, 0);
  });
});
