import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createAggregateRelay } from '../../../../src/core/mux';
import { clientOf, eventually, NOTE, upstreamOf } from '../../../helpers/muxHarness';
import { createUpstream } from '../../../helpers/inProcessUpstream';

async function setup() {
  const work = createUpstream('up-work');
  const home = createUpstream('up-home');
  const workUp = await upstreamOf('work', work.server);
  const homeUp = await upstreamOf('home', home.server);
  const relay = createAggregateRelay({
    members: [
      { source: workUp.source, label: 'Work' },
      { source: homeUp.source, label: 'Home', tools: { deny: ['delete_*'] } },
    ],
  });
  return { work, home, workUp, homeUp, relay };
}

test('merges the tools of every instance under their prefixes, each with its own note', async () => {
  const { relay } = await setup();
  const client = await clientOf(relay);
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name), [
    'work__echo', 'work__fail', 'work__slow', 'work__ask', 'work__delete_all',
    'home__echo', 'home__fail', 'home__slow', 'home__ask',
  ]);
  assert.equal(tools.find((tool) => tool.name === 'home__echo')?.description, `Echoes its text.\n\n${NOTE('Home')}`);
  assert.equal(client.getServerVersion()?.name, 'mcplex');
  await relay.close();
});

test('routes each call to its own instance', async () => {
  const { relay, work, home } = await setup();
  const client = await clientOf(relay);
  await client.callTool({ name: 'home__echo', arguments: { text: 'h' } });
  assert.equal(work.record.lastCall, undefined);
  assert.deepEqual(home.record.lastCall?.arguments, { text: 'h' });
  await assert.rejects(client.callTool({ name: 'home__delete_all', arguments: {} }), /Tool "home__delete_all" is not available: this account denies it \(tools.deny\)/);
  await relay.close();
});

test('announces the union of the upstream capabilities', async () => {
  const { relay, workUp } = await setup();
  const client = await clientOf(relay);
  const capabilities = client.getServerCapabilities();
  for (const key of Object.keys(workUp.client.getServerCapabilities() ?? {})) assert.ok(capabilities?.[key as keyof typeof capabilities], key);
  assert.equal(capabilities?.tools?.listChanged, true);
  await relay.close();
});

test('prompts are namespaced and routed, completions by their reference', async () => {
  const { relay } = await setup();
  const client = await clientOf(relay);
  assert.deepEqual((await client.listPrompts()).prompts.map((prompt) => prompt.name), ['work__greet', 'home__greet']);
  const got = await client.getPrompt({ name: 'home__greet', arguments: { who: 'Bo' } });
  assert.deepEqual(got.messages[0]?.content, { type: 'text', text: 'Hello Bo from up-home' });
  const byPrompt = await client.complete({ ref: { type: 'ref/prompt', name: 'work__greet' }, argument: { name: 'who', value: 'x' } });
  assert.deepEqual(byPrompt.completion.values, ['prompt:greet:x']);
  const byResource = await client.complete({ ref: { type: 'ref/resource', uri: 'mcplex://home/file:///{path}' }, argument: { name: 'path', value: 'y' } });
  assert.deepEqual(byResource.completion.values, ['resource:file:///{path}:y']);
  await relay.close();
});

test('resource URIs are namespaced reversibly: list, templates, read, subscribe, updates', async () => {
  const { relay, home } = await setup();
  const client = await clientOf(relay);
  assert.deepEqual((await client.listResources()).resources.map((resource) => resource.uri), ['mcplex://work/file:///a.txt', 'mcplex://home/file:///a.txt']);
  assert.deepEqual((await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate), ['mcplex://work/file:///{path}', 'mcplex://home/file:///{path}']);
  const read = await client.readResource({ uri: 'mcplex://home/file:///b.txt' });
  assert.deepEqual(read.contents, [{ uri: 'mcplex://home/file:///b.txt', text: 'content of file:///b.txt in up-home' }]);
  await assert.rejects(client.readResource({ uri: 'file:///b.txt' }), /Unknown resource "file:\/\/\/b.txt"/);
  const updates: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => void updates.push(notification.params.uri));
  await client.subscribeResource({ uri: 'mcplex://home/file:///a.txt' });
  assert.deepEqual(home.record.subscribed, ['file:///a.txt']);
  await home.server.sendResourceUpdated({ uri: 'file:///a.txt' });
  await eventually(() => updates.length === 1);
  assert.deepEqual(updates, ['mcplex://home/file:///a.txt']);
  await relay.close();
});

test('log messages name the instance they come from; setLevel reaches every instance', async () => {
  const { relay, work, home } = await setup();
  const client = await clientOf(relay);
  const loggers: unknown[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void loggers.push(notification.params.logger));
  await client.setLoggingLevel('debug');
  assert.deepEqual([work.record.levels, home.record.levels], [['debug'], ['debug']]);
  await home.server.sendLoggingMessage({ level: 'info', logger: 'db', data: 'x' });
  await work.server.sendLoggingMessage({ level: 'info', data: 'y' });
  await eventually(() => loggers.length === 2);
  assert.deepEqual(loggers.sort(), ['home/db', 'work']);
  await relay.close();
});

test('an instance that goes down leaves the list, says why when called, and the others serve', async () => {
  const { relay, workUp } = await setup();
  const client = await clientOf(relay);
  let changed = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
  await client.listTools();
  await workUp.client.close();
  await eventually(() => changed > 0);
  const names = (await client.listTools()).tools.map((tool) => tool.name);
  assert.deepEqual(names, ['home__echo', 'home__fail', 'home__slow', 'home__ask']);
  await assert.rejects(client.callTool({ name: 'work__echo', arguments: {} }), /Instance "work" cannot answer tools\/call: it is down/);
  assert.deepEqual((await client.callTool({ name: 'home__echo', arguments: { text: 'ok' } })).structuredContent, { echoed: 'ok' });
  assert.deepEqual((await client.listResources()).resources.map((resource) => resource.uri), ['mcplex://home/file:///a.txt']);
  await relay.close();
});
