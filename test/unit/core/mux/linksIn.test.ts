import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Member } from '../../../../src/core/mux/member';
import { aggregateNamespace } from '../../../../src/core/mux/namespace';
import { namespacedIn } from '../../../../src/core/mux/linksIn';
import { createAggregateRelay } from '../../../../src/core/mux';
import { clientOf, upstreamOf } from '../../../helpers/muxHarness';
import { createUpstream } from '../../../helpers/inProcessUpstream';

const work = { key: 'work' } as Member;
const home = { key: 'home' } as Member;
const ns = aggregateNamespace(new Map([['work', work], ['home', home]]));

test('renames the namespaced URIs of the member a request goes to, at any depth, and nothing else', () => {
  const params = {
    name: 'read',
    arguments: { uri: 'mcplex://work/demo://a', list: ['mcplex://work/file:///b.txt', 'plain'], other: 'mcplex://home/demo://c', n: 1 },
  };
  assert.deepEqual(namespacedIn(ns, work, params), {
    name: 'read',
    arguments: { uri: 'demo://a', list: ['file:///b.txt', 'plain'], other: 'mcplex://home/demo://c', n: 1 },
  });
  assert.equal(params.arguments.uri, 'mcplex://work/demo://a', 'the client\'s request is not changed');
  const untouched = { arguments: { text: 'demo://a', nested: [{ x: 'mcplex://nobody/x' }] } };
  assert.equal(namespacedIn(ns, work, untouched), untouched, 'the same object when nothing is renamed');
});

test('aggregate: a tool\'s and a prompt\'s arguments reach the upstream under its own URIs', async () => {
  const up = createUpstream('up-work');
  const { source } = await upstreamOf('work', up.server);
  const other = await upstreamOf('home', createUpstream('up-home').server);
  const relay = createAggregateRelay({ members: [{ source, label: 'Work' }, { source: other.source, label: 'Home' }] });
  const client = await clientOf(relay);
  await client.callTool({ name: 'work__echo', arguments: { text: 'mcplex://work/demo://a' } });
  assert.deepEqual(up.record.lastCall?.arguments, { text: 'demo://a' });
  const got = await client.getPrompt({ name: 'work__greet', arguments: { who: 'mcplex://work/demo://b' } });
  assert.deepEqual(got.messages[0]?.content, { type: 'text', text: 'Hello demo://b from up-work' });
  await relay.close();
});
