// The window's views tell the upstream's state and VS Code's connection apart: an instance
// started eagerly runs with no client ("running", 0 clients), and the count follows a real
// MCP client connecting to the instance's endpoint (or its folder's aggregate) and leaving.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSocketFetch } from '../../../../src/core/host';
import { WindowRuntime, type DefinitionSpec, type FolderInput, type InstanceView } from '../../../../src/core/runtime';
import { fixturePath } from '../../../fixtures/servers';
import { until } from '../../../helpers/runtimeWait';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcplex-rt-clients-')));
after(() => rmSync(dir, { recursive: true, force: true }));

function echoFolder(exposure: 'instances' | 'aggregate'): FolderInput {
  const text = JSON.stringify({ servers: { echo: { command: process.execPath, args: [fixturePath('echo')], instances: { work: {}, personal: {} } } } });
  return { id: `file:///${exposure}`, name: exposure, path: dir, file: { path: join(dir, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure } };
}

/** A client that leaves as VS Code does when it stops a server: it ends its HTTP session (DELETE), then closes. */
async function connect(definition: DefinitionSpec): Promise<{ close(): Promise<void> }> {
  const match = /^unix:\/\/(.+)#(\/.*)$/.exec(definition.url);
  assert.ok(match, definition.url);
  const [, socketPath = '', path = ''] = match;
  const client = new Client({ name: 'vscode-like', version: '0' });
  const transport = new StreamableHTTPClientTransport(new URL(`http://localhost${path}`), { requestInit: { headers: { ...definition.headers } }, fetch: createSocketFetch(socketPath) });
  await client.connect(transport);
  return {
    close: async () => {
      await transport.terminateSession();
      await client.close();
    },
  };
}

async function started(exposure: 'instances' | 'aggregate', t: { after(fn: () => Promise<void>): void }): Promise<WindowRuntime> {
  const runtime = await WindowRuntime.start({ listen: { kind: 'socket', path: join(dir, `${exposure}.sock`) }, secrets: { get: async () => undefined }, env: process.env, userHome: dir, startup: 'eager' });
  t.after(() => runtime.close());
  await runtime.update([echoFolder(exposure)], true);
  return runtime;
}

const view = (runtime: WindowRuntime, key: string): InstanceView | undefined => runtime.instances().find((instance) => instance.key === key);

describe('the clients of an instance', { timeout: 60_000 }, () => {
  it('per instance: 0 while running unconnected, 1 while a client is connected to its endpoint, 0 after', async (t) => {
    const runtime = await started('instances', t);
    await until(runtime, () => view(runtime, 'echo/work')?.status.kind === 'running', 'work running');
    assert.equal(view(runtime, 'echo/work')?.clients, 0);
    let changes = 0;
    const watch = runtime.onDidChange(() => changes++);
    t.after(async () => watch.dispose());

    const definition = runtime.definitions().find((candidate) => candidate.instanceKeys.includes(`file:///instances#echo/work`));
    assert.ok(definition);
    const client = await connect(definition);
    await until(runtime, () => view(runtime, 'echo/work')?.clients === 1, 'one client of work');
    assert.ok(changes > 0, 'the views were told');
    assert.equal(view(runtime, 'echo/personal')?.clients, 0, 'the other account has its own endpoint');

    await client.close();
    await until(runtime, () => view(runtime, 'echo/work')?.clients === 0, 'the client gone');
  });

  it('in an aggregate: every member counts the clients of the folder endpoint', async (t) => {
    const runtime = await started('aggregate', t);
    await until(runtime, () => view(runtime, 'echo/personal')?.status.kind === 'running', 'personal running');
    assert.equal(view(runtime, 'echo/work')?.clients, 0);
    const [definition] = runtime.definitions();
    assert.ok(definition);
    const client = await connect(definition);
    await until(runtime, () => view(runtime, 'echo/work')?.clients === 1 && view(runtime, 'echo/personal')?.clients === 1, 'one client of both');
    await client.close();
    await until(runtime, () => view(runtime, 'echo/work')?.clients === 0, 'the client gone');
  });
});
