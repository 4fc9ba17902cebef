// An instance relay whose upstream's first start failed and is being retried: a client's
// `initialize` waits for it, and past the hold is answered with an error saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createInstanceRelay, type UpstreamSource, type UpstreamState } from '../../../../src/core/mux';
import { upstreamOf } from '../../../helpers/muxHarness';
import { createUpstream } from '../../../helpers/inProcessUpstream';

/** A source down and being restarted, which the test brings up (or not). */
function retrying(key: string): { source: UpstreamSource; set(state: UpstreamState): void } {
  let state: UpstreamState = { kind: 'down', reason: 'process exited with code 1', restarting: true };
  const listeners = new Set<(state: UpstreamState) => void>();
  return {
    source: {
      key,
      state: () => state,
      onStateChange: (listener) => (listeners.add(listener), { dispose: () => listeners.delete(listener) }),
      whenSettled: () => Promise.resolve(),
    },
    set(next) {
      state = next;
      for (const listener of [...listeners]) listener(next);
    },
  };
}

async function initialize(relay: ReturnType<typeof createInstanceRelay>): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const connecting = relay.connect(serverSide);
  const client = new Client({ name: 'test', version: '0' });
  const initialized = client.connect(clientSide);
  await connecting;
  await initialized;
  return client;
}

test('initialize waits while the upstream is being restarted, and is served once it is up', async () => {
  const retry = retrying('work');
  const relay = createInstanceRelay({ source: retry.source, slug: 'work', label: 'Work', prefixTools: true, startHoldMs: 5_000 });
  const { source: up } = await upstreamOf('work', createUpstream().server);
  setTimeout(() => retry.set(up.state()), 50);
  const client = await initialize(relay);
  assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'work__echo'));
  await relay.close();
});

test('past the hold, initialize is answered with an error naming the instance and the cause', async () => {
  const retry = retrying('work');
  const relay = createInstanceRelay({ source: retry.source, slug: 'work', label: 'Work', prefixTools: true, startHoldMs: 50 });
  await assert.rejects(initialize(relay), /Instance "work" cannot serve: it is down \(process exited with code 1\)/);
  await relay.close();
});
