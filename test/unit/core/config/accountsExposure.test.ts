// Exposure `accounts` in the file: the top-level `exposure`, and an instance's `default`
// (one per server: two are an error at both places, never a guess).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromValue, loadConfig, mergeSources, parseConfig, type SubstitutionContext } from '../../../../src/core/config/index';

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

  it("carries a server's own `exposure` to each of its resolved instances, beside the folder's", async () => {
    const text = JSON.stringify({ exposure: 'aggregate', servers: { notes: { command: 'x', exposure: 'accounts', instances: { work: {}, home: {} } }, files: { command: 'y', instances: { a: {} } } } });
    const result = await loadConfig(text, '/ws/.mcplex.jsonc', context);
    assert.deepEqual(result.problems, []);
    assert.equal(result.config?.exposure, 'aggregate');
    assert.deepEqual(result.instances.map((instance) => [instance.instanceId, instance.exposure]), [['work', 'accounts'], ['home', 'accounts'], ['a', undefined]]);
  });

  it("keeps the file's server `exposure` over the setting's, and the setting's where the file says none", () => {
    const settings = configFromValue({ servers: { notes: { command: 'x', exposure: 'instances', instances: { a: {} } }, mail: { command: 'm', exposure: 'accounts', instances: { a: {} } } } }, 'settings', { checkRunnable: false }).config;
    const file = parseConfig(JSON.stringify({ servers: { notes: { exposure: 'accounts', instances: { b: {} } }, mail: { instances: { b: {} } } } }), '/ws/.mcplex.jsonc', { checkRunnable: false }).config;
    const merged = mergeSources(settings, file);
    assert.equal(merged?.servers.notes?.exposure, 'accounts');
    assert.equal(merged?.servers.mail?.exposure, 'accounts');
  });

  it('refuses a server `exposure` of `discovery` (a whole endpoint\'s choice) and an unknown one, at their positions', () => {
    const text = '{ "servers": {\n  "a": { "command": "x", "exposure": "discovery", "instances": { "w": {} } },\n  "b": { "command": "x", "exposure": "acount", "instances": { "w": {} } }\n} }';
    const { problems, config } = parseConfig(text, '/ws/.mcplex.jsonc');
    assert.deepEqual(problems.map((problem) => [problem.code, problem.line, problem.path.join('.')]), [['invalid-value', 2, 'servers.a.exposure'], ['invalid-value', 3, 'servers.b.exposure']]);
    assert.match(problems[0]?.message ?? '', /`exposure` of server `a` .*not `"discovery"`.*set it at the top level/);
    assert.match(problems[1]?.message ?? '', /`exposure` of server `b` must be `"instances"`, `"aggregate"`, `"accounts"`, not `"acount"`/);
    assert.deepEqual(Object.keys(config?.servers ?? {}), []);
  });
});
