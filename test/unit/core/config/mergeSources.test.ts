import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromValue, fieldKey, keepRunnable, mergeSources, parseConfig, type McplexConfig } from '../../../../src/core/config';
import type { Problem } from '../../../../src/core/problems';

const SETTINGS = 'settings (mcplex.servers)';

function settings(servers: unknown): McplexConfig {
  const { config, problems } = configFromValue({ servers }, SETTINGS, { checkRunnable: false });
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
  assert.ok(config);
  return config;
}

function file(value: unknown): McplexConfig {
  const { config, problems } = parseConfig(JSON.stringify(value, null, 2), '/ws/.mcplex.jsonc', { checkRunnable: false });
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
  assert.ok(config);
  return config;
}

describe('mergeSources', () => {
  it('takes the union of instances, the file winning per instance as a whole', () => {
    const merged = mergeSources(
      settings({ notes: { command: 'notes', instances: { work: { label: 'Work (settings)', env: { A: 's', B: 's' } }, personal: { label: 'Personal' } } } }),
      file({ servers: { notes: { instances: { work: { label: 'Work', env: { A: 'f' } }, extra: {} } } } }),
    );
    const notes = merged?.servers['notes'];
    assert.ok(notes);
    assert.deepEqual(Object.keys(notes.instances).sort(), ['extra', 'personal', 'work']);
    assert.equal(notes.instances['work']?.label, 'Work');
    assert.deepEqual(notes.instances['work']?.env, { A: 'f' }, 'nothing of the setting’s instance leaks into the file’s');
    assert.equal(notes.instances['work']?.location.file, '/ws/.mcplex.jsonc');
    assert.equal(notes.instances['personal']?.location.file, SETTINGS);
    assert.equal(notes.command, 'notes', 'a server field the file does not set comes from the setting');
  });

  it('lets the file’s server fields override the setting’s, command and url excluding each other', () => {
    const merged = mergeSources(
      settings({ notes: { label: 'Settings notes', url: 'https://example.com/mcp', instances: { a: {} } } }),
      file({ servers: { notes: { label: 'Notes', command: 'node', instances: { b: {} } } } }),
    );
    const notes = merged?.servers['notes'];
    assert.equal(notes?.label, 'Notes');
    assert.equal(notes?.command, 'node');
    assert.equal(notes?.url, undefined);
    const problems: Problem[] = [];
    const runnable = merged === undefined ? undefined : keepRunnable(merged, problems);
    assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
    assert.deepEqual(Object.keys(runnable?.servers['notes']?.instances ?? {}).sort(), ['a', 'b']);
  });

  it('lets the file’s isolate, share, roots, auth and audit of a server override the setting’s: an account kept apart in the file stays apart', () => {
    const merged = mergeSources(
      settings({ drive: { url: 'https://example.com/mcp', isolate: 'none', roots: false, auth: { type: 'bearer', token: 'a' }, audit: { arguments: true }, instances: { a: {} } } }),
      file({ servers: { drive: { isolate: 'home', share: ['.gitconfig'], roots: ['${workspaceFolder}'], auth: { type: 'oauth' }, audit: { enabled: false }, instances: { b: {} } } } }),
    );
    const drive = merged?.servers['drive'];
    assert.equal(drive?.isolate, 'home');
    assert.deepEqual(drive?.share, ['.gitconfig']);
    assert.deepEqual(drive?.roots, ['${workspaceFolder}']);
    assert.equal(drive?.auth?.type, 'oauth');
    assert.deepEqual(drive?.audit, { enabled: false });
    assert.equal(drive?.fieldLocations?.[fieldKey(['isolate'])]?.file, '/ws/.mcplex.jsonc', 'a problem about isolate points at the file that set it');
  });

  it('lets an instance of one source run with the server of the other', () => {
    const merged = mergeSources(settings({ notes: { instances: { mine: { env: { ACCOUNT: 'me' } } } } }), file({ servers: { notes: { command: 'node', instances: { other: {} } } } }));
    assert.ok(merged);
    const problems: Problem[] = [];
    const runnable = keepRunnable(merged, problems);
    assert.deepEqual(problems, []);
    assert.ok(runnable.servers['notes']?.instances['mine']);
    // Checked alone, the setting's instance has no command and would be left out.
    const alone: Problem[] = [];
    keepRunnable(settings({ notes: { instances: { mine: { env: { ACCOUNT: 'me' } } } } }), alone);
    assert.deepEqual(alone.map((p) => p.code), ['missing-field']);
  });

  it('keeps servers only one source has, and the file’s separator and note', () => {
    const merged = mergeSources(settings({ a: { command: 'a', instances: { x: {} } } }), file({ separator: '--', note: 'n {label}', servers: { b: { command: 'b', instances: { y: {} } } } }));
    assert.deepEqual(Object.keys(merged?.servers ?? {}).sort(), ['a', 'b']);
    assert.equal(merged?.separator, '--');
    assert.equal(merged?.note, 'n {label}');
    assert.equal(merged?.file, '/ws/.mcplex.jsonc');
  });

  it('takes the file’s toolPrefix over the setting’s', () => {
    const fromSetting = configFromValue({ toolPrefix: true, servers: {} }, 'settings').config;
    const fromFile = parseConfig('{"toolPrefix": false, "servers": {}}', '/ws/.mcplex.jsonc').config;
    assert.equal(mergeSources(fromSetting, fromFile)?.toolPrefix?.prefixed, false);
    assert.equal(mergeSources(fromSetting, parseConfig('{"servers": {}}', '/ws/.mcplex.jsonc').config)?.toolPrefix?.prefixed, true);
  });

  it('returns either source alone unchanged', () => {
    const only = settings({ a: { command: 'a', instances: { x: {} } } });
    assert.equal(mergeSources(only, undefined), only);
    assert.equal(mergeSources(undefined, only), only);
    assert.equal(mergeSources(undefined, undefined), undefined);
  });
});
