// The window's cap on an upstream's message (`mcplex.maxMessageMB` → `maxMessageBytes`) is
// the one `mcplex serve --max-message-mb` sets: a real upstream writing a line past it fails
// the call with the cap named, instead of being buffered up to the 64 MiB default.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSocketFetch } from '../../../../src/core/host';
import { WindowRuntime, type FolderInput } from '../../../../src/core/runtime';
import { fixturePath } from '../../../fixtures/servers';
import { until } from '../../../helpers/runtimeWait';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-rt-cap-')));
after(() => rmSync(dir, { recursive: true, force: true }));

const folder: FolderInput = {
  id: 'file:///cap',
  name: 'cap',
  path: dir,
  file: { path: join(dir, '.mcplex.jsonc'), text: JSON.stringify({ servers: { huge: { command: process.execPath, args: [fixturePath('huge-line')], env: { HUGE_MB: '3' }, instances: { big: {} } } } }) },
  options: { toolPrefix: false, exposure: 'instances' },
};

describe("the window's message cap", { timeout: 120_000 }, () => {
  it('maxMessageBytes reaches the upstream: a 3 MiB line past a 1 MiB cap fails the call with the cap named', async (t) => {
    const runtime = await WindowRuntime.start({
      listen: { kind: 'socket', path: join(dir, 'cap.sock') },
      secrets: { get: async () => undefined },
      env: process.env,
      userHome: dir,
      startup: 'eager',
      maxMessageBytes: 1024 * 1024,
    });
    t.after(() => runtime.close());
    await runtime.update([folder], true);
    await until(runtime, () => runtime.instances()[0]?.status.kind === 'running', 'the instance running');
    const [definition] = runtime.definitions();
    const match = /^unix:\/\/(.+)#(\/.*)$/.exec(definition?.url ?? '');
    assert.ok(definition && match, definition?.url);
    const client = new Client({ name: 'vscode-like', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://localhost${match[2] ?? ''}`), { requestInit: { headers: { ...definition.headers } }, fetch: createSocketFetch(match[1] ?? '') }));
    t.after(() => client.close());
    // Without the cap the 3 MiB line would wait for an end that never comes: the SDK's own timeout would fail the call instead.
    const failure = await client.callTool({ name: 'huge', arguments: {} }, undefined, { timeout: 60_000 }).then(
      (result) => (result.isError === true ? JSON.stringify(result.content) : assert.fail('the huge call was answered')),
      (error: unknown) => (error as Error).message,
    );
    assert.match(failure, /sent a message larger than the 1 MiB cap/);
  });
});
