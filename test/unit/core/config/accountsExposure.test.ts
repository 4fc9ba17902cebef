// Exposure `accounts` in the file: the top-level `exposure`, and an instance's `default`
// (one per server: two are an error at both places, never a guess).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, parseConfig, type SubstitutionContext } from '../../../../src/core/config/index';

const context: SubstitutionContext = { env: {}, secrets: { get: async () => undefined }, workspaceFolder: '/ws', userHome: '/home/me' };

describe('exposure and default', () => {
  it('reads `exposure: accounts` and carries `default: true` to the resolved instance', async () => {
    const text = JSON.stringify({ exposure: 'accounts', servers: { notes: { command: 'x', instances: { work: { default: true }, home: { default: false } } } } });
    const result = await loadConfig(text, '/ws/.mcplex.jsonc', context);
    assert.deepEqual(result.problems, []);
    assert.equal(result.config?.exposure, 'accounts');
    assert.deepEqual(result.instances.map((instance) => [instance.instanceId, instance.isDefault]), [['work', true], ['home', undefined]]);
  });

  it('reports two defaults of one server at both, each naming the other', () => {
    const text = '{\n  "servers": { "notes": { "command": "x", "instances": {\n    "work": { "default": true },\n    "home": { "default": true },\n    "other": {}\n  } } }\n}';
    const { problems } = parseConfig(text, '/ws/.mcplex.jsonc');
    const found = problems.filter((problem) => problem.code === 'duplicate-default');
    assert.deepEqual(found.map((problem) => [problem.line, problem.path.join('.')]), [[3, 'servers.notes.instances.work.default'], [4, 'servers.notes.instances.home.default']]);
    assert.match(found[0]?.message ?? '', /`work` of server `notes` is `default: true`, and so is `home`/);
  });

  it('refuses an unknown exposure and a default that is not a boolean, with positions', () => {
    const { problems } = parseConfig('{ "exposure": "acounts", "servers": { "s": { "command": "x", "instances": { "a": { "default": "yes" } } } } }', '/ws/.mcplex.jsonc');
    assert.deepEqual(problems.map((problem) => [problem.code, problem.path.join('.')]), [['invalid-value', 'exposure'], ['invalid-type', 'servers.s.instances.a.default']]);
    assert.match(problems[0]?.message ?? '', /`"instances"`, `"aggregate"`, `"accounts"`, `"discovery"`, not `"acounts"`/);
  });
});
