// An edit of an instance's `roots` list reconfigures it: the same server-filesystem process is
// told `notifications/roots/list_changed` and asks again, getting the new folders from the new
// relay. `roots: false` is part of the launch (capabilities are announced once, at
// initialize), so turning it on starts a new process.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSocketFetch } from '../../../../src/core/host';
import { WindowRuntime, type DefinitionSpec, type FolderInput } from '../../../../src/core/runtime';
import { REPO_ROOT } from '../../../fixtures/servers';

const FILESYSTEM = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-rt-roots-')));
after(() => rmSync(dir, { recursive: true, force: true }));
const WORK_ID = 'file:///files#files/work';

function filesFolder(roots: readonly string[] | false): FolderInput {
  const path = join(dir, 'ws');
  for (const name of ['a', 'b']) mkdirSync(join(path, name), { recursive: true });
  const text = JSON.stringify({ servers: { files: { command: process.execPath, args: [FILESYSTEM, path], instances: { work: { roots } } } } });
  return { id: 'file:///files', name: 'files', path, file: { path: join(path, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure: 'instances' } };
}

async function allowedDirectories(definition: DefinitionSpec): Promise<string> {
  const match = /^unix:\/\/(.+)#(\/.*)$/.exec(definition.url);
  assert.ok(match, definition.url);
  const [, socketPath = '', path = ''] = match;
  const client = new Client({ name: 'vscode-like', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://localhost${path}`), { requestInit: { headers: { ...definition.headers } }, fetch: createSocketFetch(socketPath) }));
  try {
    const result = await client.callTool({ name: 'list_allowed_directories', arguments: {} });
    return (result.content as { text: string }[]).map((part) => part.text).join('\n');
  } finally {
    await client.close();
  }
}

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('an edit of roots', { timeout: 60_000 }, () => {
  it('of the list keeps the process and tells it the new roots; to false starts a new one', async (t) => {
    const runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, 'rt.sock') }, secrets: { get: async () => undefined }, env: process.env, userHome: dir, startup: 'eager' });
    t.after(() => runtime.close());
    const definition = (): DefinitionSpec => runtime.definitions().find((candidate) => candidate.id === WORK_ID)!;
    const pid = (): number | undefined => {
      const status = runtime.instances().find((instance) => `${instance.folderId}#${instance.key}` === WORK_ID)?.status;
      return status?.kind === 'running' ? status.pid : undefined;
    };
    await runtime.update([filesFolder(['a'])], true);
    const first = await until(pid, 'a running instance');
    await until(async () => /\/ws\/a$/m.test(await allowedDirectories(definition())), 'folder a');

    const edited = await runtime.update([filesFolder(['b'])], true);
    assert.deepEqual([edited.reconfigured, edited.restarted], [[WORK_ID], []]);
    const seen = await until(async () => {
      const text = await allowedDirectories(definition());
      return /\/ws\/b$/m.test(text) && text;
    }, 'folder b, told by roots/list_changed');
    assert.doesNotMatch(seen, /\/ws\/a$/m);
    assert.equal(pid(), first, 'the same process');

    const none = await runtime.update([filesFolder(false)], true);
    assert.deepEqual([none.reconfigured, none.restarted], [[], [WORK_ID]]);
    const second = await until(() => pid() !== first && pid(), 'a new process');
    assert.notEqual(second, first);
    // Told of no roots, it keeps the folder it was started with.
    await until(async () => /\/ws$/m.test(await allowedDirectories(definition())), 'the folder from its args');
  });
});
