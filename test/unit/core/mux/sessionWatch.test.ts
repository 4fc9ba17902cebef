// A multi-session relay's sessions as the runners follow them (mux/sessionWatch.ts): a client
// is counted from the initialize the host read, once (not twice when it initializes), until
// it leaves; each arrival and departure is told.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createInstanceRelay } from '../../../../src/core/mux';
import { SessionWatch } from '../../../../src/core/mux/sessionWatch';
import { createUpstream } from '../../../helpers/inProcessUpstream';
import { eventually, upstreamOf } from '../../../helpers/muxHarness';

test('a client is counted from its initialize, once, until it leaves; arrivals and departures are told', async () => {
  const { server } = createUpstream();
  const { source, client: upstream } = await upstreamOf('work', server);
  const relay = createInstanceRelay({ source, slug: 'work', label: 'Work', prefixTools: false });
  let told = 0;
  const seen: number[] = [];
  relay.onSessionsChange(() => {
    told += 1;
    seen.push(relay.sessionCapabilities().length);
  });
  const capabilities = { elicitation: { form: {} } };
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const connecting = relay.connect(serverSide, capabilities);
  // Told at once, before the session is served, with the arriving client counted.
  assert.deepEqual(seen, [1]);
  assert.deepEqual(relay.sessionCapabilities(), [capabilities]);
  assert.equal(relay.servedSessions(), 0, 'arriving, not served yet');
  await connecting;
  const client = new Client({ name: 'c', version: '0' }, { capabilities });
  await client.connect(clientSide);
  await eventually(() => told === 2);
  assert.deepEqual(relay.sessionCapabilities(), [capabilities], 'initialized: counted once, not twice');
  assert.equal(relay.servedSessions(), 1);
  assert.equal(relay.busy(), false);
  await client.close();
  await eventually(() => told === 3);
  assert.deepEqual(relay.sessionCapabilities(), []);
  assert.equal(relay.servedSessions(), 0);
  await relay.close();
  await upstream.close();
});

test('a client that never became a session is told as gone, once: a restart its arrival held back may go ahead', () => {
  const watch = new SessionWatch([]);
  let told = 0;
  watch.onChange(() => (told += 1));
  const arrival = watch.arrive({ sampling: {} });
  assert.equal(told, 1);
  watch.abandoned(arrival);
  assert.equal(told, 2);
  assert.deepEqual(watch.capabilities([]), []);
  watch.abandoned(arrival);
  assert.equal(told, 2, 'idempotent');
});
