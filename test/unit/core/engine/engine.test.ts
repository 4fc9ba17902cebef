// The engine on its own: a plan in, runners and relays out, mounted on whatever host it
// is given, with the credentials of whatever factory it is given (the window's or the CLI's).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ResolvedInstance, UpstreamSpec } from '../../../../src/core/config';
import type { Relay } from '../../../../src/core/mux';
import { planWindow, type WindowPlan } from '../../../../src/core/plan';
import { aggregateDefinitionId, connectOnlyCredentials, Engine, exposePlan, type CredentialRequest, type FolderOptions, type InstanceCredentials } from '../../../../src/core/engine';
import { memoryConnect } from '../../../helpers/memoryConnect';

const { connect } = memoryConnect(['read']);

function resolved(instanceId: string, upstream: UpstreamSpec): ResolvedInstance {
  const location = { file: '/w/.mcplex.jsonc', path: [], offset: 0, length: 0, line: 1, column: 1 };
  return { serverId: 'mem', instanceId, serverLabel: 'Mem', instanceLabel: instanceId, upstream, redacted: upstream, tools: {}, location, secrets: [] };
}

const STDIO: UpstreamSpec = { kind: 'stdio', command: 'mem', args: [], env: {} };
const REMOTE: UpstreamSpec = { kind: 'remote', url: 'https://mcp.example.com/mcp', transport: 'http', headers: {}, auth: { type: 'bearer', token: 't' } };

function planOf(): WindowPlan {
  return planWindow([{ id: 'f', name: 'w', instances: [resolved('one', STDIO), resolved('two', REMOTE)], note: 'Account {label}.' }]);
}

class RecordingHost {
  readonly mounted = new Map<string, Relay>();
  mount(path: string, relay: Relay) {
    this.mounted.set(path, relay);
    return { dispose: async () => void this.mounted.delete(path) };
  }
}

async function serverInfoOf(relay: Relay) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const session = await relay.connect(serverSide);
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(clientSide);
  const info = client.getServerVersion();
  const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
  await client.close();
  await session.close();
  return { info, names };
}

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

async function run(options: FolderOptions, credentials?: (request: CredentialRequest) => InstanceCredentials | undefined) {
  const host = new RecordingHost();
  const engine = new Engine({ host, supervisorOptions: { connect }, ...(credentials !== undefined && { credentials }) });
  engines.push(engine);
  const plan = planOf();
  const exposed = exposePlan(plan, () => options.exposure, true);
  await engine.apply({ plan, folders: [{ id: 'f', path: '/w', options }], wanted: exposed.wanted, shapes: exposed.shapes, eager: false });
  await Promise.all(engine.runners().map((runner) => runner.start()));
  return { host, engine, plan, exposed };
}

describe('Engine', () => {
  it('serves each instance at /i/<slug> under its plan hash as version', async () => {
    const { host, plan } = await run({ exposure: 'instances', toolPrefix: true });
    assert.deepEqual([...host.mounted.keys()].sort(), plan.instances.map((instance) => `/i/${instance.slug}`).sort());
    for (const instance of plan.instances) {
      const relay = host.mounted.get(`/i/${instance.slug}`);
      assert.ok(relay !== undefined);
      const { info, names } = await serverInfoOf(relay);
      assert.equal(info?.name, instance.slug);
      assert.equal(info?.version, instance.hash);
      assert.deepEqual(names, [`${instance.prefix}__read`]);
    }
  });

  it('serves a folder as one aggregate whose version is derived from its members\' hashes', async () => {
    const { host, exposed } = await run({ exposure: 'aggregate', toolPrefix: true });
    const shape = exposed.shapes.get(aggregateDefinitionId('f'));
    assert.ok(shape !== undefined);
    assert.deepEqual([...host.mounted.keys()], [shape.path]);
    const { info, names } = await serverInfoOf(host.mounted.get(shape.path) as Relay);
    assert.equal(info?.name, shape.slug);
    assert.equal(info?.version, shape.version);
    assert.deepEqual(names, ['one__read', 'two__read']);
  });

  it('asks its credential factory for each instance and connects through what it returns', async () => {
    const requests: CredentialRequest[] = [];
    const connected: string[] = [];
    const { engine } = await run({ exposure: 'instances', toolPrefix: false }, (request) => {
      requests.push(request);
      if (request.instance.planned.upstream.kind !== 'remote') return undefined;
      return connectOnlyCredentials((spec, options) => {
        connected.push(request.instance.key);
        return (request.connect ?? connect)(spec, options);
      });
    });
    assert.deepEqual(requests.map((request) => [request.instance.key, request.cwd]), [['mem/one', '/w'], ['mem/two', '/w']]);
    assert.deepEqual(connected, ['mem/two']);
    assert.deepEqual(engine.runners().map((runner) => runner.status().kind), ['running', 'running']);
  });
});
