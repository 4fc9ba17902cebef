// What the window runtime tells its host about an instance's life: each change of the one
// stored state once (onState), in order, equal to what the views show; and the supervisor's
// event lines only where they say more than the state line (onEvent).
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { connectUpstream } from '../../../../src/core/upstream/connect';
import { WindowRuntime, type InstanceState } from '../../../../src/core/runtime';
import { until } from '../../../helpers/runtimeWait';

const ID = 'file:///w#mem/one';

/** An in-memory upstream per start, pids from 500; `crash()` closes the newest one's connection. */
function memoryConnect() {
  let pid = 500;
  const clients: Client[] = [];
  const connect: typeof connectUpstream = async () => {
    const server = new McpServer({ name: 'mem', version: '1.0.0' });
    server.registerTool('read', { description: 'Reads.' }, async () => ({ content: [] }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'relay', version: '0' });
    await client.connect(clientSide);
    clients.push(client);
    const serverInfo = client.getServerVersion();
    const serverCapabilities = client.getServerCapabilities();
    assert.ok(serverInfo && serverCapabilities);
    return { client, transport: 'stdio', pid: pid++, serverInfo, serverCapabilities, close: () => client.close() };
  };
  return { connect, crash: () => clients.at(-1)?.close() };
}

const open: WindowRuntime[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((runtime) => runtime.close()));
});

it('reports each state change once, as the views show it, with the event lines that add to it', async () => {
  const memory = memoryConnect();
  const states: InstanceState[] = [];
  const lines: string[] = [];
  /** What the views showed when each state was reported. */
  const shown: unknown[] = [];
  const runtime = await WindowRuntime.start({
    listen: { kind: 'tcp' },
    secrets: { get: async () => undefined },
    env: {},
    userHome: '/home/u',
    startup: 'eager',
    supervisorOptions: { connect: memory.connect, retry: { initialDelayMs: 1, maxDelayMs: 1 } },
    onState: (id, state) => {
      assert.equal(id, ID);
      states.push(state);
      shown.push(runtime.instances()[0]?.status);
    },
    onEvent: (id, text) => {
      assert.equal(id, ID);
      lines.push(text);
    },
  });
  open.push(runtime);
  const text = '{ "servers": { "mem": { "command": "mem", "instances": { "one": {} } } } }';
  await runtime.update([{ id: 'file:///w', name: 'w', path: '/w', file: { path: '/w/.mcplex.jsonc', text }, options: { toolPrefix: false, exposure: 'instances' } }], true);
  const status = () => runtime.instances()[0]?.status;
  await until(runtime, () => status()?.kind === 'running', 'running');

  await runtime.restart(ID);
  await memory.crash();
  await until(runtime, () => status()?.kind === 'running' && status(), 'running again after the crash');
  await runtime.stop(ID);

  assert.deepEqual(states, [
    { kind: 'starting', attempt: 1 },
    { kind: 'running', pid: 500 },
    // The requested restart reads as starting from the request on: one report, not two.
    { kind: 'starting', attempt: 1 },
    { kind: 'running', pid: 501 },
    { kind: 'failed', message: 'the upstream closed the connection', retrying: true },
    { kind: 'starting', attempt: 2 },
    { kind: 'running', pid: 502 },
    { kind: 'stopped' },
  ]);
  // The views show the state just reported: one value, read twice. (The first report comes
  // while the update that starts it has not yet published the instance.)
  assert.deepEqual(shown.slice(1), states.slice(1));
  // No line repeats a state line ("starting", "stopped"); the others keep what they add.
  assert.deepEqual(
    lines.map((line) => line.replace(/\d+(\.\d)? m?s/g, 'T')),
    [
      'instance "mem/one": up (mem 1.0.0, pid 500)',
      'instance "mem/one": restarting on request',
      'instance "mem/one": up (mem 1.0.0, pid 501)',
      'instance "mem/one": exited after T: the upstream closed the connection',
      'instance "mem/one": restarting in T (attempt 2)',
      'instance "mem/one": up (mem 1.0.0, pid 502)',
    ],
  );
});
