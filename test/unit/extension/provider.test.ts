// The MCP server definition provider: what VS Code gets from `provide` and `resolve`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RuntimeError, type DefinitionSpec } from '../../../src/core/runtime';
import { McplexDefinitionProvider } from '../../../src/extension/provider';
import { createFakeVscode, FakeMcpHttpServerDefinition } from '../../helpers/fakeVscode';
import { FakeRuntime } from '../../helpers/fakeRuntime';

const FOLDER = 'file:///home/u/two-accounts';
const SOCKET = '/tmp/mcplex-ab12/host.sock';

function spec(key: string, label: string, slug: string, version: string): DefinitionSpec {
  return {
    id: `${FOLDER}#${key}`,
    label,
    url: `unix://${SOCKET}#/i/${slug}`,
    headers: { 'x-mcplex-token': 'tok-123' },
    version,
    instanceKeys: [`${FOLDER}#${key}`],
  };
}

const PERSONAL = spec('notes/personal', 'Notes · Personal', 'note-personal', '0123456789abcdef');
const WORK = spec('notes/work', 'Notes · Work', 'notes-work', 'fedcba9876543210');

function setup(trusted = true) {
  const { api } = createFakeVscode();
  const runtime = new FakeRuntime();
  runtime.definitionList = [PERSONAL, WORK];
  const provider = new McplexDefinitionProvider(api, runtime, { isTrusted: () => trusted, ready: Promise.resolve() });
  return { runtime, provider };
}

test('provide maps each definition to an HTTP definition with its label, URI, headers and version', async () => {
  const { provider } = setup();
  const definitions = (await provider.provideMcpServerDefinitions()) as unknown as FakeMcpHttpServerDefinition[];
  assert.equal(definitions.length, 2);
  const [personal, work] = definitions;
  assert.ok(personal instanceof FakeMcpHttpServerDefinition);
  assert.equal(personal.label, 'Notes · Personal');
  assert.equal(personal.uri.scheme, 'unix');
  assert.equal(personal.uri.path, SOCKET);
  assert.equal(personal.uri.fragment, '/i/note-personal');
  assert.deepEqual(personal.headers, { 'x-mcplex-token': 'tok-123' });
  assert.equal(personal.version, '0123456789abcdef');
  assert.equal(work?.label, 'Notes · Work');
  assert.equal(work?.uri.fragment, '/i/notes-work');
  assert.equal(work?.version, 'fedcba9876543210');
});

test('provide keeps a TCP URL as it is', async () => {
  const { runtime, provider } = setup();
  runtime.definitionList = [{ ...WORK, url: 'http://127.0.0.1:43123/i/notes-work' }];
  const [work] = (await provider.provideMcpServerDefinitions()) as unknown as FakeMcpHttpServerDefinition[];
  assert.equal(work?.uri.toString(true), 'http://127.0.0.1:43123/i/notes-work');
});

test('provide returns no definitions in an untrusted workspace', async () => {
  const { provider } = setup(false);
  assert.deepEqual(await provider.provideMcpServerDefinitions(), []);
});

test('provide waits for the first update before answering', async () => {
  const { api } = createFakeVscode();
  const runtime = new FakeRuntime();
  let ready!: () => void;
  const provider = new McplexDefinitionProvider(api, runtime, {
    isTrusted: () => true,
    ready: new Promise<void>((resolve) => (ready = resolve)),
  });
  const answer = provider.provideMcpServerDefinitions();
  runtime.definitionList = [WORK]; // the first update found the instances
  ready();
  assert.deepEqual((await answer).map((definition) => definition.label), ['Notes · Work']);
});

test('resolve makes sure the instance runs, by the definition id behind the label', async () => {
  const { runtime, provider } = setup();
  const resolved = await provider.resolveMcpServerDefinition(provider.toDefinition(WORK));
  assert.deepEqual(runtime.ensured, [WORK.id]);
  assert.equal(resolved.label, 'Notes · Work');
});

test('resolve fails with the instance’s own error when it cannot start', async () => {
  const { runtime, provider } = setup();
  runtime.startError = new Error('notes-server: set the ACCOUNT environment variable');
  await assert.rejects(provider.resolveMcpServerDefinition(provider.toDefinition(PERSONAL)), (error: Error) => {
    assert.equal((error as { code?: string }).code, 'instance-start-failed');
    assert.match(error.message, /^Notes · Personal could not start: notes-server: set the ACCOUNT environment variable$/);
    return true;
  });
});

test('resolve passes the runtime’s own error through, already naming the instance', async () => {
  const { runtime, provider } = setup();
  runtime.startError = new RuntimeError('instance-failed', '"Notes · Personal" could not start: command "notes" not found (ENOENT)');
  await assert.rejects(provider.resolveMcpServerDefinition(provider.toDefinition(PERSONAL)), (error: Error) => {
    assert.equal(error.message, '"Notes · Personal" could not start: command "notes" not found (ENOENT)');
    return true;
  });
});

test('resolve of a definition that left the configuration says so', async () => {
  const { runtime, provider } = setup();
  const gone = provider.toDefinition(WORK);
  runtime.definitionList = [PERSONAL];
  await assert.rejects(provider.resolveMcpServerDefinition(gone), /"Notes · Work" is no longer in the MCPlex configuration/);
  assert.deepEqual(runtime.ensured, []);
});

test('the change event fires once per notifyChanged and stops after dispose', () => {
  const { provider } = setup();
  let fired = 0;
  provider.onDidChangeMcpServerDefinitions(() => fired++);
  provider.notifyChanged();
  assert.equal(fired, 1);
  provider.dispose();
  provider.notifyChanged();
  assert.equal(fired, 1);
});
