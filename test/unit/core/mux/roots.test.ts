// An instance's own roots (the `roots` field): the relay answers the upstream's roots/list
// itself and keeps the client's roots and their changes away from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createAggregateRelay, createInstanceRelay, relayClientCapabilities, RELAY_CLIENT_CAPABILITIES } from '../../../../src/core/mux';
import { clientOf, eventually, upstreamOf } from '../../../helpers/muxHarness';
import { createUpstream } from '../../../helpers/inProcessUpstream';

const CLIENT_ROOT = 'file:///client/folder';

/** A client that announces roots and answers with its one folder, counting the questions. */
async function rootsClient(relay: Parameters<typeof clientOf>[0]) {
  const asked = { count: 0 };
  const client = await clientOf(relay, { roots: { listChanged: true } }, (client) =>
    client.setRequestHandler(ListRootsRequestSchema, () => {
      asked.count++;
      return { roots: [{ uri: CLIENT_ROOT }] };
    }),
  );
  return { client, asked };
}

const rootsOf = async (client: Awaited<ReturnType<typeof rootsClient>>['client'], tool: string): Promise<string | undefined> =>
  ((await client.callTool({ name: tool, arguments: { kind: 'roots' } })).content as { text: string }[])[0]?.text;

test('an instance with roots gets them from the relay, even before any client connects', async () => {
  const upstream = createUpstream();
  const { source } = await upstreamOf('work', upstream.server);
  const relay = createInstanceRelay({ source, slug: 'work', label: 'Work', prefixTools: true, roots: ['file:///data/work', 'file:///data/My%20Notes/'] });
  const answered = await upstream.server.listRoots();
  assert.deepEqual(answered.roots, [
    { uri: 'file:///data/work', name: 'work' },
    { uri: 'file:///data/My%20Notes/', name: 'My Notes' },
  ]);
  const { client, asked } = await rootsClient(relay);
  assert.equal(await rootsOf(client, 'work__ask'), 'file:///data/work,file:///data/My%20Notes/');
  assert.equal(asked.count, 0, 'the client is never asked');
  await relay.close();
});

test("the client's roots list_changed does not reach an instance with roots of its own", async () => {
  const upstream = createUpstream();
  const { source } = await upstreamOf('work', upstream.server);
  const relay = createInstanceRelay({ source, slug: 'work', label: 'Work', prefixTools: true, roots: [] });
  const { client } = await rootsClient(relay);
  await client.sendRootsListChanged();
  await client.ping(); // after the notification, in order
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(upstream.record.rootsChanged, 0);
  assert.deepEqual((await upstream.server.listRoots()).roots, [], 'an empty list is an answer too');
  await relay.close();
});

test('roots: false refuses roots/list, naming the instance', async () => {
  const upstream = createUpstream();
  const { source } = await upstreamOf('work', upstream.server);
  const relay = createInstanceRelay({ source, slug: 'work', label: 'Work', prefixTools: true, roots: false });
  await rootsClient(relay);
  await assert.rejects(upstream.server.listRoots(), /Instance "work" has no roots/);
  await relay.close();
});

test("in an aggregate each member has its own roots or the client's", async () => {
  const work = createUpstream('up-work');
  const home = createUpstream('up-home');
  const relay = createAggregateRelay({
    members: [
      { source: (await upstreamOf('work', work.server)).source, label: 'Work', roots: ['file:///data/work'] },
      { source: (await upstreamOf('home', home.server)).source, label: 'Home' },
    ],
  });
  const { client, asked } = await rootsClient(relay);
  assert.equal(await rootsOf(client, 'work__ask'), 'file:///data/work');
  assert.equal(asked.count, 0);
  assert.equal(await rootsOf(client, 'home__ask'), CLIENT_ROOT);
  assert.equal(asked.count, 1);
  await client.sendRootsListChanged();
  await eventually(() => home.record.rootsChanged === 1);
  assert.equal(work.record.rootsChanged, 0, 'only the member that relays the client hears of it');
  await relay.close();
});

test('roots: false takes the roots capability out of what the upstream is told; anything else keeps it', () => {
  assert.equal(relayClientCapabilities(false).roots, undefined);
  assert.deepEqual(relayClientCapabilities(false).sampling, RELAY_CLIENT_CAPABILITIES.sampling);
  assert.equal(relayClientCapabilities(['file:///a']), RELAY_CLIENT_CAPABILITIES);
  assert.equal(relayClientCapabilities(undefined), RELAY_CLIENT_CAPABILITIES);
  assert.ok(RELAY_CLIENT_CAPABILITIES.roots, 'the default is left alone');
});
