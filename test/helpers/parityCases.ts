/**
 * The parity assertions: one list, run unchanged against every target. Each case talks to
 * server-everything only through `target.client` and the target's naming, so a difference
 * between direct and mcplex in any host mode fails the same case.
 */
import assert from 'node:assert/strict';
import {
  CallToolResultSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { ParityTarget } from './parityTarget';

export interface ParityCase {
  readonly name: string;
  run(target: ParityTarget): Promise<void> | void;
}

export const PARITY_CASES: readonly ParityCase[] = [
  {
    name: 'every capability the upstream announces is announced',
    run(target) {
      const announced = target.client.getServerCapabilities() ?? {};
      for (const [key, value] of Object.entries(target.upstreamCapabilities())) {
        assert.ok(key in announced, `capability ${key}`);
        if (typeof value === 'object' && value !== null) {
          for (const sub of Object.keys(value)) assert.ok(sub in (announced[key as keyof ServerCapabilities] as object), `${key}.${sub}`);
        }
      }
    },
  },
  {
    name: 'tools: the whole list, structured output',
    async run(target) {
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
    },
  },
  {
    name: 'resources, templates, read, subscribe and updates',
    async run(target) {
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
    },
  },
  {
    name: 'prompts and completions',
    async run(target) {
      const { prompts } = await target.client.listPrompts();
      const argsPrompt = prompts.find((prompt) => prompt.name.endsWith('args-prompt'));
      assert.ok(argsPrompt);
      const got = await target.client.getPrompt({ name: argsPrompt.name, arguments: { city: 'Paris', state: 'IDF' } });
      assert.match(JSON.stringify(got.messages), /Paris/);
      const completable = prompts.find((prompt) => prompt.name.endsWith('completable-prompt'));
      assert.ok(completable);
      const completion = await target.client.complete({ ref: { type: 'ref/prompt', name: completable.name }, argument: { name: 'department', value: 'E' } });
      assert.ok(completion.completion.values.includes('Engineering'));
    },
  },
  {
    name: 'logging: setLevel and messages',
    async run(target) {
      const messages: unknown[] = [];
      target.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void messages.push(notification.params.data));
      await target.client.setLoggingLevel('debug');
      await waitFor(() => target.upstreamReceived().some((message) => 'method' in message && message.method === 'logging/setLevel'));
      await target.client.callTool({ name: target.tool('toggle-simulated-logging'), arguments: {} });
      await waitFor(() => messages.length > 0);
      await target.client.callTool({ name: target.tool('toggle-simulated-logging'), arguments: {} });
    },
  },
  {
    name: 'progress notifications arrive during a long call',
    async run(target) {
      // Read off the wire, not through `onprogress`: the SDK client drops a progress
      // notification that is still queued when the result in the same chunk is handled, so
      // on a loaded machine `onprogress` can miss steps that did arrive in time.
      const transport = target.client.transport;
      assert.ok(transport?.onmessage, 'the client is connected');
      const received = transport.onmessage;
      const wire: string[] = [];
      transport.onmessage = (message, extra) => {
        if ('method' in message && message.method === 'notifications/progress') wire.push(`progress ${String(message.params?.progress)}`);
        else if ('result' in message || 'error' in message) wire.push('answer');
        received.call(transport, message, extra);
      };
      try {
        const result = await target.client.callTool({ name: target.tool('trigger-long-running-operation'), arguments: { duration: 0.6, steps: 3 } }, undefined, {
          onprogress: () => undefined,
        });
        assert.deepEqual(wire, ['progress 1', 'progress 2', 'progress 3', 'answer']);
        assert.match(texts(result), /completed/i);
      } finally {
        transport.onmessage = received;
      }
    },
  },
  {
    name: 'cancellation reaches the upstream',
    async run(target) {
      const controller = new AbortController();
      const call = target.client.callTool({ name: target.tool('trigger-long-running-operation'), arguments: { duration: 10, steps: 20 } }, undefined, {
        signal: controller.signal,
        onprogress: () => controller.abort('parity cancel'),
      });
      await assert.rejects(call);
      await waitFor(() => target.upstreamReceived().some((message) => 'method' in message && message.method === 'notifications/cancelled'));
      // The session outlives the cancelled call.
      assert.match(texts(await target.client.callTool({ name: target.tool('echo'), arguments: { message: 'after cancel' } })), /after cancel/);
    },
  },
  {
    name: 'sampling and elicitation are answered by the test client; roots are asked of it',
    async run(target) {
      const sampled = await target.client.callTool({ name: target.tool('trigger-sampling-request'), arguments: { prompt: 'hi', maxTokens: 5 } });
      assert.match(texts(sampled), /sampled by the test/);
      const elicited = await target.client.callTool({ name: target.tool('trigger-elicitation-request'), arguments: {} });
      assert.match(texts(elicited), /Ada Lovelace/);
      const roots = await target.client.callTool({ name: target.tool('get-roots-list'), arguments: {} });
      assert.match(texts(roots), /file:\/\/\/parity\/root/);
    },
  },
  {
    name: 'a task-augmented call is followed to its result',
    async run(target) {
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
    },
  },
];

function texts(result: unknown): string {
  return (((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');
}

async function waitFor(predicate: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
