import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { createInstanceRelay, type InstanceRelayOptions } from '../../../../src/core/mux';
import { clientOf, eventually, NOTE, upstreamOf } from '../../../helpers/muxHarness';
import { createUpstream } from '../../../helpers/inProcessUpstream';

async function setup(options: Partial<InstanceRelayOptions> = {}) {
  const upstream = createUpstream();
  const { source, client: relayClient } = await upstreamOf('work', upstream.server);
  const relay = createInstanceRelay({ source, slug: 'work', label: 'Work', prefixTools: true, ...options });
  return { ...upstream, relay, relayClient };
}

test('lists every upstream page under the prefix, with the note and every tool field kept', async () => {
  const { relay } = await setup();
  const client = await clientOf(relay);
  const { tools, nextCursor } = await client.listTools();
  assert.equal(nextCursor, undefined);
  assert.deepEqual(tools.map((tool) => tool.name), ['work__echo', 'work__fail', 'work__slow', 'work__ask', 'work__delete_all']);
  const echo = tools[0];
  assert.equal(echo?.description, `Echoes its text.\n\n${NOTE('Work')}`);
  assert.deepEqual(echo?.annotations, { readOnlyHint: true, title: 'Echo' });
  assert.deepEqual(echo?.outputSchema, { type: 'object', properties: { echoed: { type: 'string' } }, required: ['echoed'] });
  assert.deepEqual(echo?.icons, [{ src: 'https://example.invalid/echo.png', mimeType: 'image/png' }]);
  assert.deepEqual(echo?._meta, { 'example/flag': 1 });
  await relay.close();
});

test('without a tool prefix the upstream names are exposed as they are', async () => {
  const { relay } = await setup({ prefixTools: false });
  const client = await clientOf(relay);
  assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name), ['echo', 'fail', 'slow', 'ask', 'delete_all']);
  assert.deepEqual((await client.callTool({ name: 'echo', arguments: { text: 'x' } })).structuredContent, { echoed: 'x' });
  await relay.close();
});

test('announces the upstream capabilities and the slug as name, with no title (VS Code prefers title to name)', async () => {
  const { relay, relayClient } = await setup();
  const client = await clientOf(relay);
  assert.deepEqual(client.getServerCapabilities(), relayClient.getServerCapabilities());
  assert.equal(client.getServerVersion()?.name, 'work');
  assert.equal(client.getServerVersion()?.title, undefined);
  assert.equal(client.getInstructions(), 'Instructions of upstream.');
  await relay.close();
});

test('routes a call by exposed name and forwards arguments and _meta untouched', async () => {
  const { relay, record } = await setup();
  const client = await clientOf(relay);
  const result = await client.callTool({ name: 'work__echo', arguments: { text: 'hi', extra: [1, { a: 2 }] }, _meta: { 'example/trace': 'abc' } });
  assert.deepEqual(result.structuredContent, { echoed: 'hi' });
  assert.deepEqual(result.content, [{ type: 'text', text: 'hi' }]);
  assert.equal(record.lastCall?.name, 'echo');
  assert.deepEqual(record.lastCall?.arguments, { text: 'hi', extra: [1, { a: 2 }] });
  assert.deepEqual(record.lastCall?.meta, { 'example/trace': 'abc' });
  await relay.close();
});

test('an upstream error passes through with its code, message and data', async () => {
  const { relay } = await setup();
  const client = await clientOf(relay);
  await assert.rejects(client.callTool({ name: 'work__fail', arguments: {} }), (error: unknown) => {
    assert.ok(error instanceof McpError);
    assert.equal(error.code, ErrorCode.InvalidParams);
    assert.equal(error.message, 'MCP error -32602: bad input');
    assert.deepEqual(error.data, { field: 'text' });
    return true;
  });
  await relay.close();
});

test('an unknown name and a denied tool are InvalidParams naming the tool; denied tools are not listed', async () => {
  const { relay } = await setup({ tools: { deny: ['delete_*'] } });
  const client = await clientOf(relay);
  assert.ok(!(await client.listTools()).tools.some((tool) => tool.name.includes('delete')));
  // A bare upstream name is routed (an MCP Apps view calls its server's own names, issue 14
  // item 7), but never to a denied tool: `delete_all` is as unknown as `work__delete_all`.
  for (const name of ['work__delete_all', 'work__nope', 'delete_all', 'nope']) {
    await assert.rejects(client.callTool({ name, arguments: {} }), (error: unknown) => {
      assert.ok(error instanceof McpError);
      assert.equal(error.code, ErrorCode.InvalidParams);
      assert.match(error.message, new RegExp(`"${name}"`));
      return true;
    });
  }
  assert.deepEqual((await client.callTool({ name: 'echo', arguments: { text: 'own name' } })).structuredContent, { echoed: 'own name' });
  await relay.close();
});

test('an allow list exposes only the tools it matches', async () => {
  const { relay } = await setup({ tools: { allow: ['{echo,slow}'] } });
  const client = await clientOf(relay);
  assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name), ['work__echo', 'work__slow']);
  await relay.close();
});

test('progress of a long call reaches the client under its own token', async () => {
  const { relay } = await setup();
  const client = await clientOf(relay);
  const seen: number[] = [];
  const result = await client.callTool({ name: 'work__slow', arguments: { steps: 3 } }, undefined, { onprogress: (progress) => seen.push(progress.progress) });
  assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
  assert.deepEqual(seen, [1, 2, 3]);
  await relay.close();
});

test("a client's cancellation aborts the upstream request", async () => {
  const { relay, record } = await setup();
  const client = await clientOf(relay);
  const controller = new AbortController();
  const call = client.callTool({ name: 'work__slow', arguments: {} }, undefined, { signal: controller.signal });
  setTimeout(() => controller.abort('enough'), 40);
  await assert.rejects(call);
  await eventually(() => record.aborted === 1);
  await relay.close();
});

test('tools list_changed refreshes the catalog and reaches every session', async () => {
  const { relay, record, server } = await setup();
  const first = await clientOf(relay);
  const second = await clientOf(relay);
  let notified = 0;
  for (const client of [first, second]) client.setNotificationHandler(ToolListChangedNotificationSchema, () => void notified++);
  await first.listTools();
  record.tools.push({ name: 'added', description: 'New.', inputSchema: { type: 'object' } });
  await server.sendToolListChanged();
  await eventually(() => notified === 2);
  assert.ok((await second.listTools()).tools.some((tool) => tool.name === 'work__added'));
  await relay.close();
});

test('logging: setLevel reaches the upstream and messages reach the client', async () => {
  const { relay, record, server } = await setup();
  const client = await clientOf(relay);
  const messages: unknown[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void messages.push(notification.params.data));
  await client.setLoggingLevel('warning');
  assert.deepEqual(record.levels, ['warning']);
  await server.sendLoggingMessage({ level: 'error', data: 'disk full' });
  await eventually(() => messages.length === 1);
  assert.deepEqual(messages, ['disk full']);
  await relay.close();
});

test('prompts and completions pass through, descriptions noted', async () => {
  const { relay } = await setup();
  const client = await clientOf(relay);
  const { prompts } = await client.listPrompts();
  assert.deepEqual(prompts.map((prompt) => [prompt.name, prompt.description]), [['greet', `Greets someone.\n\n${NOTE('Work')}`]]);
  const got = await client.getPrompt({ name: 'greet', arguments: { who: 'Ada' } });
  assert.deepEqual(got.messages[0]?.content, { type: 'text', text: 'Hello Ada from upstream' });
  const completion = await client.complete({ ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'who', value: 'A' } });
  assert.deepEqual(completion.completion.values, ['prompt:greet:A']);
  await relay.close();
});

test('resources, templates, read, subscribe and updates pass through', async () => {
  const { relay, record, server } = await setup();
  const client = await clientOf(relay);
  const { resources } = await client.listResources();
  assert.deepEqual(resources.map((resource) => [resource.uri, resource.description]), [['file:///a.txt', `File a.\n\n${NOTE('Work')}`]]);
  assert.deepEqual((await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate), ['file:///{path}']);
  const read = await client.readResource({ uri: 'file:///a.txt' });
  assert.deepEqual(read.contents, [{ uri: 'file:///a.txt', text: 'content of file:///a.txt in upstream' }]);
  const updates: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => void updates.push(notification.params.uri));
  await client.subscribeResource({ uri: 'file:///a.txt' });
  assert.deepEqual(record.subscribed, ['file:///a.txt']);
  await server.sendResourceUpdated({ uri: 'file:///a.txt' });
  await eventually(() => updates.length === 1);
  assert.deepEqual(updates, ['file:///a.txt']);
  await client.unsubscribeResource({ uri: 'file:///a.txt' });
  assert.deepEqual(record.unsubscribed, ['file:///a.txt']);
  await relay.close();
});

test('sampling, elicitation and roots asked by the upstream are answered by the client', async () => {
  const { relay } = await setup();
  const client = await clientOf(relay, { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } });
  client.setRequestHandler(CreateMessageRequestSchema, () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'sampled!' } }));
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ada' } }));
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///home/ada' }] }));
  const text = async (kind: string) => {
    const result = await client.callTool({ name: 'work__ask', arguments: { kind } });
    return (result.content as { text: string }[])[0]?.text;
  };
  assert.equal(await text('sampling'), 'sampled!');
  assert.equal(await text('elicitation'), 'accept:Ada');
  assert.equal(await text('roots'), 'file:///home/ada');
  await relay.close();
});

test('the upstream request goes to the session whose call caused it', async () => {
  const { relay } = await setup();
  const asked: string[] = [];
  const clients = await Promise.all(['one', 'two'].map(async (name) => {
    const client = await clientOf(relay, { roots: {} });
    client.setRequestHandler(ListRootsRequestSchema, () => {
      asked.push(name);
      return { roots: [{ uri: `file:///${name}` }] };
    });
    return client;
  }));
  const [one, two] = clients;
  await two?.listTools(); // `two` is the most recently active, but `one` makes the call
  const result = await one?.callTool({ name: 'work__ask', arguments: { kind: 'roots' } });
  assert.deepEqual(result?.content, [{ type: 'text', text: 'file:///one' }]);
  assert.deepEqual(asked, ['one']);
  await relay.close();
});

test('an upstream request that no connected client supports fails naming the instance', async () => {
  const { relay } = await setup();
  const client = await clientOf(relay);
  await assert.rejects(client.callTool({ name: 'work__ask', arguments: { kind: 'sampling' } }), /Instance "work" sent sampling\/createMessage, but a client that supports sampling is not connected/);
  await relay.close();
});

test('roots asked before any client is connected wait for the first client, which answers', async () => {
  const { relay, server } = await setup();
  let settled = false;
  const asked = server.listRoots();
  void asked.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(settled, false, 'with no client, the question waits instead of failing');
  await clientOf(relay, { roots: {} }, (client) => client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///home/ada' }] })));
  assert.deepEqual((await asked).roots, [{ uri: 'file:///home/ada' }]);
  await relay.close();
});

test('roots asked before any client is connected fail at once when the first client has no roots', async () => {
  const { relay, server } = await setup();
  const asked = server.listRoots();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await clientOf(relay); // a client that cannot answer roots
  const started = Date.now();
  await assert.rejects(asked, (error: unknown) => {
    assert.ok(error instanceof McpError);
    assert.equal(error.code, ErrorCode.MethodNotFound);
    return true;
  });
  assert.ok(Date.now() - started < 1_000, 'it did not wait for another client');
  await relay.close();
});

test('roots asked while only a client without roots is connected fail at once, as that client would', async () => {
  const { relay, server } = await setup();
  await clientOf(relay);
  const started = Date.now();
  await assert.rejects(server.listRoots(), /Instance "work" sent roots\/list, but a client that supports roots is not connected/);
  assert.ok(Date.now() - started < 1_000, 'it did not wait for a client with roots');
  await relay.close();
});

test('roots asked while no client connects fail once the client timeout passes', async () => {
  const { relay, server } = await setup({ clientRequestTimeoutMs: 60 });
  const started = Date.now();
  await assert.rejects(server.listRoots(), /Instance "work" sent roots\/list, but a client that supports roots is not connected/);
  assert.ok(Date.now() - started >= 50, 'it waited for a client first');
  await relay.close();
});

test('roots list_changed from the client reaches the upstream', async () => {
  const { relay, record } = await setup();
  const client = await clientOf(relay, { roots: { listChanged: true } });
  await client.sendRootsListChanged();
  await eventually(() => record.rootsChanged === 1);
  await relay.close();
});

test('a call in flight when the upstream goes away fails at once, naming the instance', async () => {
  const { relay, relayClient } = await setup();
  const client = await clientOf(relay);
  const call = client.callTool({ name: 'work__slow', arguments: {} });
  await new Promise((resolve) => setTimeout(resolve, 30));
  await relayClient.close();
  await assert.rejects(call, /Instance "work" stopped while tools\/call was in flight/);
  await assert.rejects(client.callTool({ name: 'work__echo', arguments: {} }), /Instance "work" cannot answer tools\/call: it is down/);
  await relay.close();
});

test('an upstream that does not answer in time is a timeout naming the instance', async () => {
  const { relay } = await setup({ requestTimeoutMs: 50 });
  const client = await clientOf(relay);
  await assert.rejects(client.callTool({ name: 'work__slow', arguments: {} }), (error: unknown) => {
    assert.ok(error instanceof McpError);
    assert.equal(error.code, ErrorCode.RequestTimeout);
    assert.match(error.message, /Instance "work" did not answer tools\/call within 50 ms/);
    return true;
  });
  await relay.close();
});

test('progress from the upstream keeps a slow call alive past the timeout', async () => {
  const { relay } = await setup({ requestTimeoutMs: 60 });
  const client = await clientOf(relay);
  const result = await client.callTool({ name: 'work__slow', arguments: { steps: 15 } }, undefined, { onprogress: () => {} });
  assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
  await relay.close();
});

test('the relay builds its catalog without a client: hidden tools with their reason, rebuilt on list_changed', async () => {
  const { relay, record, server } = await setup({ tools: { deny: ['delete_*'] } });
  let changes = 0;
  relay.onCatalogChange(() => void changes++);
  await eventually(() => relay.catalog() !== undefined);
  const entries = relay.catalog()?.members[0]?.entries;
  assert.deepEqual(entries?.map((entry) => [entry.exposedName, entry.hidden ?? 'exposed']), [
    ['work__echo', 'exposed'], ['work__fail', 'exposed'], ['work__slow', 'exposed'], ['work__ask', 'exposed'], ['work__delete_all', 'denied'],
  ]);
  const seen = changes;
  record.tools.push({ name: 'added', description: 'New.', inputSchema: { type: 'object' } });
  await server.sendToolListChanged();
  await eventually(() => changes > seen);
  assert.ok(relay.catalog()?.routes.has('work__added'));
  await relay.close();
});
