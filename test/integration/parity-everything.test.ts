/**
 * Parity: the same assertions against `@modelcontextprotocol/server-everything` directly,
 * through an instance relay, and through an aggregate of two instances.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type JSONRPCMessage,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { connectUpstream, type UpstreamConnection } from '../../src/core/upstream/connect';
import { connectedUpstream, createAggregateRelay, createInstanceRelay, RELAY_CLIENT_CAPABILITIES, type Relay } from '../../src/core/mux';

const EVERYTHING = { kind: 'stdio' as const, command: path.resolve('node_modules/.bin/mcp-server-everything'), args: ['stdio'], env: {} };

interface Target {
  readonly client: Client;
  /** Every message sent to the (first) upstream process. */
  readonly upstreamSent: JSONRPCMessage[];
  /** The capabilities the (first) upstream announced. */
  readonly upstreamCapabilities: ServerCapabilities;
  tool(name: string): string;
  uri(uri: string): string;
  close(): Promise<void>;
}

async function spawnEverything(instance: string): Promise<{ connection: UpstreamConnection; sent: JSONRPCMessage[] }> {
  const connection = await connectUpstream(EVERYTHING, { instance, capabilities: RELAY_CLIENT_CAPABILITIES, onStderr: () => {} });
  const sent: JSONRPCMessage[] = [];
  const transport = connection.client.transport;
  assert.ok(transport);
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    sent.push(message);
    return send(message, options);
  };
  return { connection, sent };
}

function testClient(): Client {
  const client = new Client({ name: 'parity', version: '0.0.0' }, { capabilities: RELAY_CLIENT_CAPABILITIES });
  client.setRequestHandler(CreateMessageRequestSchema, () => ({ role: 'assistant', model: 'test-model', content: { type: 'text', text: 'sampled by the test' } }));
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ada Lovelace' } }));
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///parity/root', name: 'parity' }] }));
  return client;
}

async function throughRelay(relay: Relay): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await relay.connect(serverSide);
  const client = testClient();
  await client.connect(clientSide);
  return client;
}

const targets: Record<string, () => Promise<Target>> = {
  async direct() {
    const sent: JSONRPCMessage[] = [];
    const client = testClient();
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const transport = new StdioClientTransport({ command: EVERYTHING.command, args: EVERYTHING.args, stderr: 'ignore' });
    const send = transport.send.bind(transport);
    transport.send = (message) => {
      sent.push(message);
      return send(message);
    };
    await client.connect(transport);
    return { client, upstreamSent: sent, upstreamCapabilities: client.getServerCapabilities() ?? {}, tool: (name) => name, uri: (uri) => uri, close: () => client.close() };
  },
  async instance() {
    const { connection, sent } = await spawnEverything('everything/ev');
    const relay = createInstanceRelay({ source: connectedUpstream('ev', connection.client), slug: 'ev', label: 'Everything', prefixTools: true });
    const client = await throughRelay(relay);
    return {
      client, upstreamSent: sent, upstreamCapabilities: connection.serverCapabilities,
      tool: (name) => `ev__${name}`, uri: (uri) => uri,
      close: async () => { await client.close(); await relay.close(); await connection.close(); },
    };
  },
  async aggregate() {
    const [a, b] = await Promise.all([spawnEverything('everything/a'), spawnEverything('everything/b')]);
    const relay = createAggregateRelay({ members: [
      { source: connectedUpstream('a', a.connection.client), label: 'A' },
      { source: connectedUpstream('b', b.connection.client), label: 'B' },
    ] });
    const client = await throughRelay(relay);
    return {
      client, upstreamSent: a.sent, upstreamCapabilities: a.connection.serverCapabilities,
      tool: (name) => `a__${name}`, uri: (uri) => `mcplex://a/${uri}`,
      close: async () => { await client.close(); await relay.close(); await Promise.all([a.connection.close(), b.connection.close()]); },
    };
  },
};

function texts(result: unknown): string {
  return (((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');
}

for (const [mode, make] of Object.entries(targets)) {
  describe(`server-everything ${mode}`, { timeout: 60_000 }, () => {
    let target: Target;
    before(async () => {
      target = await make();
    });
    after(async () => {
      await target?.close();
    });

    test('every capability the upstream announces is announced', () => {
      const announced = target.client.getServerCapabilities() ?? {};
      for (const [key, value] of Object.entries(target.upstreamCapabilities)) {
        assert.ok(key in announced, `capability ${key}`);
        if (typeof value === 'object' && value !== null) {
          for (const sub of Object.keys(value)) assert.ok(sub in (announced[key as keyof ServerCapabilities] as object), `${key}.${sub}`);
        }
      }
    });

    test('tools: the whole list, structured output', async () => {
      const { tools } = await target.client.listTools();
      for (const name of ['echo', 'get-structured-content', 'trigger-long-running-operation', 'trigger-sampling-request', 'get-roots-list', 'simulate-research-query']) {
        assert.ok(tools.some((tool) => tool.name === target.tool(name)), name);
      }
      const structured = tools.find((tool) => tool.name === target.tool('get-structured-content'));
      assert.ok(structured?.outputSchema);
      const result = await target.client.callTool({ name: target.tool('get-structured-content'), arguments: { location: 'New York' } });
      assert.equal(typeof (result.structuredContent as Record<string, unknown> | undefined)?.['temperature'], 'number');
      const echo = await target.client.callTool({ name: target.tool('echo'), arguments: { message: 'parity' } });
      assert.match(texts(echo), /parity/);
    });

    test('resources, templates, read, subscribe and updates', async () => {
      const { resources } = await target.client.listResources();
      const doc = resources.find((resource) => resource.uri === target.uri('demo://resource/static/document/architecture.md'));
      assert.ok(doc, 'architecture.md listed');
      const read = await target.client.readResource({ uri: doc.uri });
      assert.equal(read.contents[0]?.uri, doc.uri);
      const { resourceTemplates } = await target.client.listResourceTemplates();
      assert.ok(resourceTemplates.some((template) => template.uriTemplate === target.uri('demo://resource/dynamic/text/{resourceId}')));
      const dynamic = await target.client.readResource({ uri: target.uri('demo://resource/dynamic/text/1') });
      assert.ok(dynamic.contents.length > 0);
      const updates: string[] = [];
      target.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => void updates.push(notification.params.uri));
      await target.client.subscribeResource({ uri: doc.uri });
      await target.client.callTool({ name: target.tool('toggle-subscriber-updates'), arguments: {} });
      await waitFor(() => updates.includes(doc.uri));
      await target.client.callTool({ name: target.tool('toggle-subscriber-updates'), arguments: {} });
      await target.client.unsubscribeResource({ uri: doc.uri });
    });

    test('prompts and completions', async () => {
      const { prompts } = await target.client.listPrompts();
      const argsPrompt = prompts.find((prompt) => prompt.name.endsWith('args-prompt'));
      assert.ok(argsPrompt);
      const got = await target.client.getPrompt({ name: argsPrompt.name, arguments: { city: 'Paris', state: 'IDF' } });
      assert.match(JSON.stringify(got.messages), /Paris/);
      const completable = prompts.find((prompt) => prompt.name.endsWith('completable-prompt'));
      assert.ok(completable);
      const completion = await target.client.complete({ ref: { type: 'ref/prompt', name: completable.name }, argument: { name: 'department', value: 'E' } });
      assert.ok(completion.completion.values.includes('Engineering'));
    });

    test('logging: setLevel and messages', async () => {
      const messages: unknown[] = [];
      target.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void messages.push(notification.params.data));
      await target.client.setLoggingLevel('debug');
      await target.client.callTool({ name: target.tool('toggle-simulated-logging'), arguments: {} });
      await waitFor(() => messages.length > 0);
      await target.client.callTool({ name: target.tool('toggle-simulated-logging'), arguments: {} });
    });

    test('progress notifications arrive during a long call', async () => {
      const progress: number[] = [];
      const result = await target.client.callTool({ name: target.tool('trigger-long-running-operation'), arguments: { duration: 0.6, steps: 3 } }, undefined, {
        onprogress: (notification) => void progress.push(notification.progress),
      });
      // The server reports each step as it ends; the last may race the result.
      assert.ok(progress.length >= 2, `progress: ${progress.join(',')}`);
      assert.deepEqual(progress.slice(0, 2), [1, 2]);
      assert.match(texts(result), /completed/i);
    });

    test('cancellation reaches the upstream', async () => {
      const controller = new AbortController();
      const call = target.client.callTool({ name: target.tool('trigger-long-running-operation'), arguments: { duration: 10, steps: 10 } }, undefined, {
        signal: controller.signal,
        onprogress: () => controller.abort('parity cancel'),
      });
      await assert.rejects(call);
      await waitFor(() => target.upstreamSent.some((message) => 'method' in message && message.method === 'notifications/cancelled'));
    });

    test('sampling and elicitation are answered by the test client; roots are asked of it', async () => {
      const sampled = await target.client.callTool({ name: target.tool('trigger-sampling-request'), arguments: { prompt: 'hi', maxTokens: 5 } });
      assert.match(texts(sampled), /sampled by the test/);
      const elicited = await target.client.callTool({ name: target.tool('trigger-elicitation-request'), arguments: {} });
      assert.match(texts(elicited), /Ada Lovelace/);
      const roots = await target.client.callTool({ name: target.tool('get-roots-list'), arguments: {} });
      assert.match(texts(roots), /file:\/\/\/parity\/root/);
    });

    test('a task-augmented call is followed to its result', async () => {
      const stream = target.client.experimental.tasks.callToolStream(
        { name: target.tool('simulate-research-query'), arguments: { topic: 'relays' } },
        CallToolResultSchema,
        { task: { ttl: 60_000 } },
      );
      const kinds: string[] = [];
      let final: unknown;
      for await (const message of stream) {
        kinds.push(message.type);
        if (message.type === 'result') final = message.result;
        if (message.type === 'error') throw message.error;
      }
      assert.equal(kinds[0], 'taskCreated');
      assert.match(texts(final ?? {}), /relays/);
    });
  });
}

async function waitFor(predicate: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
