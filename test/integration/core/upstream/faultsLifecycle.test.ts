// Starting and stopping real upstreams under the supervisor: slow starts in parallel, a
// start that cannot succeed, and no process of a tree left after close().
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { UpstreamSpec } from '../../../../src/core/config/model';
import { createAggregateRelay, createInstanceRelay, RELAY_CLIENT_CAPABILITIES } from '../../../../src/core/mux';
import { createSupervisor, describeSupervisorEvent, type SupervisorEvent, type SupervisorOptions } from '../../../../src/core/upstream/supervisor';
import { fixtureSpec } from '../../../fixtures/servers';
import { clientOf, eventually } from '../../../helpers/muxHarness';
import { alive } from '../../../helpers/processes';

const GRACE_MS = 300;
const START_DELAY_MS = 1500;
const MISSING = '/nonexistent/mcplex-no-such-server';

function options(events: SupervisorEvent[], extra: Partial<SupervisorOptions> = {}): SupervisorOptions {
  return { clientCapabilities: RELAY_CLIENT_CAPABILITIES, graceMs: GRACE_MS, onEvent: (event) => events.push(event), ...extra };
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('slow-start', () => {
  it('the first list waits for a slow instance instead of failing', async () => {
    const events: SupervisorEvent[] = [];
    const supervisor = createSupervisor([{ key: 'work', spec: fixtureSpec('slow-start', { START_DELAY_MS: '600' }) }], options(events));
    void supervisor.startAll();
    const relay = createInstanceRelay({ source: supervisor.source('work'), slug: 'work', label: 'Work', prefixTools: true });
    try {
      const client = await clientOf(relay); // initialize waits for the upstream
      assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name), ['work__echo']);
    } finally {
      await relay.close();
      await supervisor.close();
    }
  });

  it('three slow instances start in parallel: every start begins before the first one is up', async () => {
    const events: SupervisorEvent[] = [];
    const keys = ['a', 'b', 'c'];
    const supervisor = createSupervisor(
      keys.map((key) => ({ key, spec: fixtureSpec('slow-start', { START_DELAY_MS: String(START_DELAY_MS), SERVER_NAME: key }) })),
      options(events),
    );
    const started = Date.now();
    void supervisor.startAll();
    const relay = createAggregateRelay({ members: keys.map((key) => ({ source: supervisor.source(key), label: key })) });
    try {
      const client = await clientOf(relay);
      const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
      const elapsed = Date.now() - started;
      assert.deepEqual(names, ['a__echo', 'b__echo', 'c__echo']);
      assert.ok(elapsed >= START_DELAY_MS, `listed after ${elapsed} ms, before the servers could answer`);
      // In parallel, not in turn: no start waits for another to come up. (Said by the order of
      // the supervisor's events rather than by a wall-clock bound, which a loaded machine breaks.)
      const order = events.filter((event) => event.type === 'starting' || event.type === 'up').map((event) => event.type);
      assert.deepEqual(order, ['starting', 'starting', 'starting', 'up', 'up', 'up'], `3 instances started in turn: ${order.join(', ')}`);
    } finally {
      await relay.close();
      await supervisor.close();
    }
  });
});

describe('a start that fails', () => {
  it('is given up at once when the command does not exist, while the other instances serve', async () => {
    const events: SupervisorEvent[] = [];
    const broken: UpstreamSpec = { kind: 'stdio', command: MISSING, args: [], env: {} };
    const supervisor = createSupervisor(
      [
        { key: 'good', spec: fixtureSpec('echo') },
        { key: 'broken', spec: broken },
      ],
      options(events, { retry: { initialDelayMs: 250, factor: 2, jitter: 0, maxAttempts: 4 } }),
    );
    void supervisor.startAll();
    const relay = createAggregateRelay({
      members: ['good', 'broken'].map((key) => ({ source: supervisor.source(key), label: key })),
    });
    try {
      const client = await clientOf(relay);
      // Reported to the client: the aggregate's instructions say which instance is down and why.
      assert.match(client.getInstructions() ?? '', /Instance "broken" \(broken\) is unavailable: it is down \(.*ENOENT.*\); fix the cause and restart it/);
      assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name), ['good__echo']);
      const echoed = await client.callTool({ name: 'good__echo', arguments: { text: 'served' } });
      assert.deepEqual(echoed.content, [{ type: 'text', text: 'served' }]);

      // A retry cannot install the command: one attempt, reported, then nothing more.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const failed = events.filter((e) => e.key === 'broken' && e.type === 'failed');
      assert.deepEqual(failed.map((e) => e.type === 'failed' && [e.attempt, e.retryInMs]), [[1, undefined]]);
      assert.ok(failed[0]?.type === 'failed');
      assert.equal(failed[0].error.message, `broken: could not start "${MISSING}" over stdio: command not found (ENOENT); check that it is installed and on the PATH`);
      assert.equal(failed[0].permanent, true, 'the event says a retry cannot fix it');
      assert.match(describeSupervisorEvent(failed[0]), /start failed, not retrying \(a retry cannot fix this\): .*ENOENT.*; fix it, then restart the instance$/);
      const state = supervisor.source('broken').state();
      assert.ok(state.kind === 'down' && !state.restarting && state.reason.includes('ENOENT'));
      assert.equal(supervisor.source('good').state().kind, 'up');
      // Asking for the broken instance's tool says it is unknown (its tools are not listed while down).
      await assert.rejects(client.callTool({ name: 'broken__echo', arguments: {} }), /broken__echo/);
    } finally {
      await relay.close();
      await supervisor.close();
    }
  });

  it('is not retried under the default policy either, which has no limit for other failures', async () => {
    const events: SupervisorEvent[] = [];
    const broken: UpstreamSpec = { kind: 'stdio', command: MISSING, args: [], env: {} };
    const supervisor = createSupervisor([{ key: 'broken', spec: broken }], options(events, {}));
    try {
      await supervisor.startAll();
      // The default first retry would come after 500 ms ± 20 %.
      await new Promise((resolve) => setTimeout(resolve, 900));
      const attempts = events.filter((e) => e.key === 'broken' && (e.type === 'starting' || e.type === 'failed')).map((e) => e.type);
      assert.deepEqual(attempts, ['starting', 'failed']);
      const state = supervisor.source('broken').state();
      assert.ok(state.kind === 'down' && !state.restarting && state.reason.includes('ENOENT'), JSON.stringify(state));
    } finally {
      await supervisor.close();
    }
  });

  it('is retried with backoff when the server exits before its handshake, until the attempts run out', async () => {
    const events: SupervisorEvent[] = [];
    const exits: UpstreamSpec = { kind: 'stdio', command: process.execPath, args: ['-e', 'console.error("no config"); process.exit(3)'], env: {} };
    const supervisor = createSupervisor([{ key: 'flaky', spec: exits }], options(events, { retry: { initialDelayMs: 100, factor: 2, jitter: 0, maxAttempts: 3 } }));
    try {
      void supervisor.startAll();
      await eventually(() => events.some((e) => e.type === 'failed' && e.retryInMs === undefined), 5000);
      const failed = events.filter((e) => e.type === 'failed');
      assert.deepEqual(failed.map((e) => e.type === 'failed' && [e.attempt, e.retryInMs]), [[1, 100], [2, 200], [3, undefined]]);
      assert.ok(failed[0]?.type === 'failed');
      assert.match(failed[0].error.message, /code 3[\s\S]*no config/);
      const state = supervisor.source('flaky').state();
      assert.ok(state.kind === 'down' && !state.restarting);
    } finally {
      await supervisor.close();
    }
  });
});

describe('spawns-child', () => {
  it('after close() no process of the tree is alive, and no timer of the supervisor is left', async () => {
    const events: SupervisorEvent[] = [];
    const grandchildren: number[] = [];
    const timersBefore = timers();
    const supervisor = createSupervisor(
      [{ key: 'tree', spec: fixtureSpec('spawns-child') }],
      options(events, {
        onStderr: (_key, line) => {
          const match = /^grandchild-pid=(\d+)$/.exec(line);
          if (match?.[1] !== undefined) grandchildren.push(Number(match[1]));
        },
      }),
    );
    await supervisor.startAll();
    const up = events.find((e) => e.type === 'up');
    const child = up?.type === 'up' ? up.pid : undefined;
    assert.ok(child !== undefined, 'the up event has the pid');
    await eventually(() => grandchildren.length === 1, 3000);
    const grandchild = grandchildren[0] ?? assert.fail('no grandchild pid');
    assert.ok(alive(child) && alive(grandchild), 'the tree runs');

    await supervisor.close();
    assert.equal(alive(child), false, 'the child is gone');
    assert.equal(alive(grandchild), false, 'the grandchild is gone');
    assert.deepEqual(events.at(-1), { type: 'stopped', key: 'tree' });
    assert.ok(timers() <= timersBefore, `timers left after close(): ${timers()} > ${timersBefore}`);
  });

  it('restart() kills the old tree before the new one starts', async () => {
    const events: SupervisorEvent[] = [];
    const grandchildren: number[] = [];
    const supervisor = createSupervisor(
      [{ key: 'tree', spec: fixtureSpec('spawns-child') }],
      options(events, { onStderr: (_key, line) => void (/^grandchild-pid=(\d+)$/.exec(line)?.[1] !== undefined && grandchildren.push(Number(line.split('=')[1]))) }),
    );
    try {
      await supervisor.startAll();
      await eventually(() => grandchildren.length === 1, 3000);
      const first = grandchildren[0] ?? assert.fail('no grandchild pid');
      await supervisor.restart('tree');
      assert.equal(alive(first), false, 'the first grandchild is gone');
      assert.equal(supervisor.source('tree').state().kind, 'up');
      await eventually(() => grandchildren.length === 2, 3000);
      assert.ok(alive(grandchildren[1] ?? -1), 'the new tree runs');
    } finally {
      await supervisor.close();
    }
    assert.equal(alive(grandchildren[1] ?? -1), false);
  });
});

describe('an upstream that never answers initialize (issue 15 item 3)', () => {
  it('close() abandons its start: it ends within the grace time, not the connect timeout, and leaves no process', async () => {
    const events: SupervisorEvent[] = [];
    let pid: number | undefined;
    const onStderr = (_key: string, line: string): void => {
      pid ??= Number(/pid (\d+)/.exec(line)?.[1]);
    };
    const supervisor = createSupervisor([{ key: 'stuck', spec: fixtureSpec('hang', { HANG_INIT: '1' }) }], options(events, { connectTimeoutMs: 30_000, onStderr }));
    const started = supervisor.startAll();
    await eventually(() => pid !== undefined, 5000);
    assert.equal(supervisor.source('stuck').state().kind, 'starting');
    const stopping = Date.now();
    await supervisor.close();
    await started;
    const ms = Date.now() - stopping;
    assert.ok(ms < 4 * GRACE_MS + 500, `close() took ${ms} ms`);
    assert.equal(supervisor.source('stuck').state().kind, 'stopped');
    assert.equal(alive(pid ?? 0), false, 'the upstream process is gone');
  });

  it('an aggregate session does not wait for it: the healthy member is listed at once', async () => {
    const events: SupervisorEvent[] = [];
    const supervisor = createSupervisor(
      [
        { key: 'stuck', spec: fixtureSpec('hang', { HANG_INIT: '1' }) },
        { key: 'fine', spec: fixtureSpec('echo') },
      ],
      options(events, { connectTimeoutMs: 30_000 }),
    );
    void supervisor.startAll();
    const relay = createAggregateRelay({ members: [{ source: supervisor.source('stuck'), label: 'Stuck' }, { source: supervisor.source('fine'), label: 'Fine' }] });
    try {
      const started = Date.now();
      const client = await clientOf(relay);
      assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name), ['fine__echo']);
      const ms = Date.now() - started;
      assert.ok(ms < 5000, `initialize and tools/list took ${ms} ms`);
      assert.equal(supervisor.source('stuck').state().kind, 'starting');
    } finally {
      await relay.close();
      await supervisor.close();
    }
  });
});
