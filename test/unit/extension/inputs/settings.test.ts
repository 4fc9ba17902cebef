// Settings are untrusted input: every key passes through a `from` that returns a valid
// value or the default, and the manifest's defaults agree with the code's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_EXPOSURE,
  DEFAULT_MAX_MESSAGE_MB,
  DEFAULT_STARTUP,
  MAX_MAX_MESSAGE_MB,
  DEFAULT_TOOL_PREFIX,
  readFolderSettings,
  readMaxMessageBytes,
  readStartup,
  settingFrom,
} from '../../../../src/extension/inputs/settings';
import { DEFAULT_SEPARATOR } from '../../../../src/core/naming';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../../../src/core/wire';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; enum?: unknown[]; scope?: string; minimum?: number; maximum?: number }> } };
};
const properties = manifest.contributes.configuration.properties;

const reader = (values: Record<string, unknown>) => ({ get: (key: string) => values[key] });

test('each setting falls back to its default for a value of the wrong type or out of range', () => {
  for (const bad of [undefined, null, 42, 'both', '', {}, []]) {
    assert.equal(settingFrom.exposure(bad), 'instances');
    assert.equal(settingFrom.startup(bad), 'eager');
  }
  for (const bad of [undefined, null, 'true', 1, {}]) assert.equal(settingFrom.toolPrefix(bad), false);
  for (const bad of [undefined, null, 3, '', {}]) assert.equal(settingFrom.separator(bad), undefined);
  for (const bad of [undefined, null, 3, '', '   ', []]) assert.equal(settingFrom.note(bad), undefined);
  for (const bad of [undefined, null, 'servers', [], [{}], {}]) assert.equal(settingFrom.servers(bad), undefined);
  for (const bad of [undefined, null, '8', 0, -1, 1.5, 513, Number.NaN, {}]) assert.equal(settingFrom.maxMessageMB(bad), 64);
});

test('each setting keeps a valid value', () => {
  assert.equal(settingFrom.exposure('aggregate'), 'aggregate');
  assert.equal(settingFrom.exposure('accounts'), 'accounts');
  assert.equal(settingFrom.exposure('instances'), 'instances');
  assert.equal(settingFrom.exposure('discovery'), 'discovery');
  assert.equal(settingFrom.startup('onDemand'), 'onDemand');
  assert.equal(settingFrom.toolPrefix(true), true);
  assert.equal(settingFrom.separator('_'), '_');
  assert.equal(settingFrom.note('Account {label}.'), 'Account {label}.');
  assert.equal(settingFrom.maxMessageMB(1), 1);
  assert.equal(settingFrom.maxMessageMB(512), 512);
  const servers = { notes: { command: 'node', instances: { work: {} } } };
  assert.equal(settingFrom.servers(servers), servers);
});

test('readFolderSettings leaves out what is unset and defaults the rest', () => {
  assert.deepEqual(readFolderSettings(reader({})), { exposure: 'instances', toolPrefix: false });
  assert.deepEqual(
    readFolderSettings(reader({ servers: { a: {} }, separator: '-', note: 'n', exposure: 'aggregate', toolPrefix: true })),
    { servers: { a: {} }, separator: '-', note: 'n', exposure: 'aggregate', toolPrefix: true },
  );
  assert.equal(readStartup(reader({ startup: 'onDemand' })), 'onDemand');
  assert.equal(readStartup(reader({ startup: 'later' })), 'eager');
  assert.equal(readMaxMessageBytes(reader({ maxMessageMB: 200 })), 200 * 1024 * 1024);
  assert.equal(readMaxMessageBytes(reader({})), 64 * 1024 * 1024);
});

test('the manifest declares every setting with the same defaults and choices as the code', () => {
  assert.deepEqual(Object.keys(properties).sort(), [
    'mcplex.exposure',
    'mcplex.maxMessageMB',
    'mcplex.note',
    'mcplex.separator',
    'mcplex.servers',
    'mcplex.startup',
    'mcplex.toolPrefix',
  ]);
  assert.equal(properties['mcplex.exposure']?.default, DEFAULT_EXPOSURE);
  assert.deepEqual(properties['mcplex.exposure']?.enum, ['instances', 'aggregate', 'accounts', 'discovery']);
  assert.equal(properties['mcplex.toolPrefix']?.default, DEFAULT_TOOL_PREFIX);
  assert.equal(properties['mcplex.startup']?.default, DEFAULT_STARTUP);
  assert.deepEqual(properties['mcplex.startup']?.enum, ['eager', 'onDemand']);
  // The separator's default is the core's own, so the Settings UI shows a value that passes
  // its pattern; the file's `separator` still wins over it (runtime.test.ts). The note has no
  // pattern and its default is a sentence the core writes with the label.
  assert.equal(properties['mcplex.separator']?.default, DEFAULT_SEPARATOR);
  assert.equal(properties['mcplex.note']?.default, undefined);
  assert.equal(properties['mcplex.servers']?.scope, 'resource');
  assert.equal(properties['mcplex.startup']?.scope, 'window');
  // The cap is the core's default, read once at start like startup; the range is the code's.
  assert.equal(properties['mcplex.maxMessageMB']?.default, DEFAULT_MAX_MESSAGE_MB);
  assert.equal(DEFAULT_MAX_MESSAGE_MB * 1024 * 1024, DEFAULT_MAX_MESSAGE_BYTES);
  assert.deepEqual([properties['mcplex.maxMessageMB']?.minimum, properties['mcplex.maxMessageMB']?.maximum], [1, MAX_MAX_MESSAGE_MB]);
  assert.equal(properties['mcplex.maxMessageMB']?.scope, 'window');
});
