// The manifest and the code agree: the provider id, the commands, activation, trust and
// where the extension runs; plus the small pure adapters (host address, secrets keys, log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../../src/extension/commands/commands';
import { chooseListenAddress, MAX_SOCKET_PATH } from '../../../src/extension/hostAddress';
import { McplexLog } from '../../../src/extension/log';
import { REDACTED } from '../../../src/core/redaction';
import { PROVIDER_ID } from '../../../src/extension/provider';
import { SecretStorageResolver } from '../../../src/extension/credentials/secrets';
import { FakeLogChannel } from '../../helpers/fakeVscode';

interface Manifest {
  engines: { vscode: string };
  activationEvents: string[];
  extensionKind: string[];
  capabilities: { untrustedWorkspaces: { supported: unknown; description?: string }; virtualWorkspaces: unknown };
  contributes: {
    mcpServerDefinitionProviders: { id: string; label: string }[];
    commands: { command: string; title: string; category?: string }[];
    jsonValidation: { fileMatch: string; url: string }[];
  };
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

test('the manifest contributes the provider the code registers, and activates on a config file', () => {
  assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [{ id: PROVIDER_ID, label: 'MCPlex' }]);
  // onMcpCollection:mcplex is implied by the contribution; onStartupFinished would be waste.
  assert.deepEqual(manifest.activationEvents, ['workspaceContains:**/.mcplex.jsonc']);
  const [major, minor] = manifest.engines.vscode.replace(/^\^/, '').split('.').map(Number);
  assert.ok((major ?? 0) > 1 || (minor ?? 0) >= 101, 'the provider API needs VS Code 1.101');
  assert.deepEqual(manifest.extensionKind, ['workspace']);
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok((manifest.capabilities.untrustedWorkspaces.description ?? '').length > 0);
  assert.equal(manifest.capabilities.virtualWorkspaces, false);
  assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.mcplex.jsonc', url: './schemas/mcplex.editor.schema.json' }], 'the editor variant: mcplex reports each problem once (editorSchema.ts)');
});

test('every registered command is contributed, under the MCPlex category, and vice versa', () => {
  const contributed = manifest.contributes.commands.map((command) => command.command).sort();
  assert.deepEqual(contributed, Object.values(COMMANDS).sort());
  assert.ok(manifest.contributes.commands.every((command) => command.category === 'MCPlex'));
  assert.equal(manifest.contributes.commands.find((command) => command.command === COMMANDS.showLog)?.title, 'Show Log');
});

test('the host listens on a unix socket in its own directory, short enough, or on loopback TCP; on Windows a named pipe of its own', () => {
  assert.deepEqual(chooseListenAddress({ platform: 'linux', tmpdir: '/tmp', randomId: 'a1b2c3' }), {
    kind: 'socket',
    path: '/tmp/mcplex-a1b2c3/host.sock',
  });
  const deep = `/var/folders/${'x'.repeat(90)}/T`;
  assert.deepEqual(chooseListenAddress({ platform: 'darwin', tmpdir: deep, randomId: 'a1b2c3' }), {
    kind: 'socket',
    path: '/tmp/mcplex-a1b2c3/host.sock',
  });
  const address = chooseListenAddress({ platform: 'linux', tmpdir: deep, randomId: 'z'.repeat(200) });
  assert.deepEqual(address, { kind: 'tcp', host: '127.0.0.1', port: 0 });
  assert.deepEqual(chooseListenAddress({ platform: 'win32', tmpdir: 'C:\\Temp', randomId: 'a1' }), { kind: 'socket', path: '\\\\.\\pipe\\mcplex-a1' });
  assert.ok(MAX_SOCKET_PATH <= 104);
});

test('secrets are read under namespaced keys', async () => {
  const asked: string[] = [];
  const resolver = new SecretStorageResolver({ get: async (key: string) => (asked.push(key), key.endsWith('work-key') ? 'sk-1234' : undefined) });
  assert.equal(await resolver.get('work-key'), 'sk-1234');
  assert.equal(await resolver.get('other'), undefined);
  assert.deepEqual(asked, ['mcplex.secret.work-key', 'mcplex.secret.other']);
  assert.deepEqual([...resolver.values()], ['sk-1234']);
});

test('the log redacts every secret value handed out, even an old one, but not tiny ones', () => {
  const channel = new FakeLogChannel('mcplex');
  const values = ['sk-old-value', 'sk-new-value', 'ab'];
  const log = new McplexLog(channel, () => values);
  log.upstream('notes/work', 'token sk-old-value then sk-new-value, sk-new-value');
  log.error('ab is not a secret worth hiding');
  assert.deepEqual(channel.lines, [
    `info [notes/work] token ${REDACTED} then ${REDACTED}, ${REDACTED}`,
    'error ab is not a secret worth hiding',
  ]);
});
