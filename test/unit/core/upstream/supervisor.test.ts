// The supervisor's lifecycle with an injected connect (in-process servers), fake timers
// and a fixed random: every delay, attempt and state is exact, and nothing spawns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { RELAY_CLIENT_CAPABILITIES, type UpstreamState } from '../../../../src/core/mux';
import type { ConnectOptions, UpstreamConnection } from '../../../../src/core/upstream/connect';
import { ProcessExitedError } from '../../../../src/core/upstream/errors';
import {
  createSupervisor,
  SupervisorClosedError,
  UnknownInstanceError,
  type SupervisorEvent,
  type SupervisorOptions,
  type Timers,
} from '../../../../src/core/upstream/supervisor';
import type { UpstreamSpec } from '../../../../src/core/config/model';

const SPEC: UpstreamSpec = { kind: 'stdio', command: 'fake-server', args: [], env: {} };
const ENOENT = 'work: could not start "fake-server" over stdio: command "fake-server" not found (ENOENT)';

class FakeTimers implements Timers {
  private nextId = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  delays(): number[] {
    return [...this.pending.values()].map((timer) => timer.ms);
  }
  /** Fires every timer that is pending now. */
  fire(): void {
    const due = [...this.pending];
    this.pending.clear();
    for (const [, timer] of due) timer.callback();
  }
}

interface FakeUpstream {
  readonly connection: UpstreamConnection;
  closed: boolean;
  /** The process dies: the transport reports the exit, then closes. */
  crash(): Promise<void>;
}

async function fakeUpstream(name: string): Promise<FakeUpstream> {
  const server = new McpServer({ name, version: '1.0.0' });
  server.registerTool('echo', { description: 'echo' }, async () => ({ content: [] }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'mcplex', version: '0' }, { capabilities: RELAY_CLIENT_CAPABILITIES });
  await client.connect(clientSide);
  const upstream: FakeUpstream = {
    closed: false,
    connection: {
      client,
      transport: 'stdio',
      pid: 4242,
      serverInfo: { name, version: '1.0.0' },
      serverCapabilities: client.getServerCapabilities() ?? {},
      close: async () => {
        upstream.closed = true;
        await client.close();
      },
    },
    crash: async () => {
      client.onerror?.(new ProcessExitedError(1, null, ['boom']));
      await server.close();
    },
  };
  return upstream;
}

type Outcome = 'ok' | 'enoent';

/** A connect that answers each call per `script(key, call)`; records every call. */
function scriptedConnect(script: (key: string, call: number) => Outcome | Promise<Outcome>) {
  const calls: { key: string; options: ConnectOptions }[] = [];
  const opened: FakeUpstream[] = [];
  const connect = async (_spec: UpstreamSpec, options: ConnectOptions): Promise<UpstreamConnection> => {
    const call = calls.filter((c) => c.key === options.instance).length + 1;
    calls.push({ key: options.instance, options });
    const outcome = await script(options.instance, call);
    if (outcome === 'enoent') throw new Error(ENOENT);
    const upstream = await fakeUpstream(options.instance);
    opened.push(upstream);
    return upstream.connection;
  };
  return { connect, calls, opened };
}

function setup(keys: readonly string[], script: (key: string, call: number) => Outcome | Promise<Outcome>, options: Partial<SupervisorOptions> = {}) {
  const timers = new FakeTimers();
  const events: SupervisorEvent[] = [];
  let clock = 1_000;
  const fake = scriptedConnect(script);
  const supervisor = createSupervisor(
    keys.map((key) => ({ key, spec: SPEC, label: key.toUpperCase() })),
    {
      connect: fake.connect,
      clientCapabilities: RELAY_CLIENT_CAPABILITIES,
      onEvent: (event) => events.push(event),
      retry: { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.2, resetAfterMs: 30_000 },
      random: () => 0.5, // no jitter: the delays are exact
      timers,
      now: () => clock,
      ...options,
    },
  );
  return { supervisor, timers, events, ...fake, advance: (ms: number) => (clock += ms) };
}

const kinds = (events: readonly SupervisorEvent[], key?: string) => events.filter((e) => key === undefined || e.key === key).map((e) => e.type);

test('startAll starts every instance at once and each source goes starting → up', async () => {
  const releases: (() => void)[] = [];
  const { supervisor, calls, events } = setup(['work', 'personal'], () => new Promise<Outcome>((resolve) => releases.push(() => resolve('ok'))));
  const seen: UpstreamState['kind'][] = [];
  supervisor.source('work').onStateChange((state) => seen.push(state.kind));
  assert.equal(supervisor.source('work').state().kind, 'stopped', 'nothing runs before a start');
  const started = supervisor.startAll();
  // Both connects are under way before either answers: parallel, not one after the other.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls.map((c) => c.key), ['work', 'personal']);
  assert.equal(supervisor.source('personal').state().kind, 'starting');
  for (const release of releases) release();
  await started;
  assert.deepEqual([...supervisor.states().values()].map((s) => s.kind), ['up', 'up']);
  assert.deepEqual(seen, ['starting', 'up']);
  assert.deepEqual(kinds(events, 'work'), ['starting', 'up']);
  assert.deepEqual(events.find((e) => e.type === 'up'), { type: 'up', key: 'work', attempt: 1, serverInfo: { name: 'work', version: '1.0.0' }, pid: 4242 });
  assert.deepEqual(calls[0]?.options.capabilities, RELAY_CLIENT_CAPABILITIES);
  await supervisor.close();
});

test('a failing start is retried with exponential backoff, capped, and reported with the real error', async () => {
  const { supervisor, timers, events, calls } = setup(['work'], (_key, call) => (call <= 6 ? 'enoent' : 'ok'));
  await supervisor.start('work');
  const state = supervisor.source('work').state();
  assert.equal(state.kind, 'down');
  assert.equal(state.kind === 'down' && state.restarting, true);
  assert.equal(state.kind === 'down' && state.reason, ENOENT);
  const retries: number[] = [];
  for (let attempt = 2; attempt <= 7; attempt++) {
    assert.equal(timers.pending.size, 1, 'one retry is pending');
    retries.push(...timers.delays());
    timers.fire();
    await supervisor.source('work').whenSettled();
  }
  assert.deepEqual(retries, [100, 200, 400, 800, 1000, 1000]);
  assert.equal(calls.length, 7);
  assert.equal(supervisor.source('work').state().kind, 'up');
  const failed = events.filter((e) => e.type === 'failed');
  assert.deepEqual(failed.map((e) => e.type === 'failed' && [e.attempt, e.retryInMs, e.error.message]), [1, 2, 3, 4, 5, 6].map((n, i) => [n, retries[i], ENOENT]));
  assert.deepEqual(events.at(-1), { type: 'up', key: 'work', attempt: 7, serverInfo: { name: 'work', version: '1.0.0' }, pid: 4242 });
  assert.equal(timers.pending.size, 0);
  await supervisor.close();
});

test('jitter moves each delay within ± the fraction, from the injected random', async () => {
  for (const [random, expected] of [[0, 80], [0.999999, 120], [0.25, 90]] as const) {
    const { supervisor, timers } = setup(['work'], () => 'enoent', { random: () => random });
    await supervisor.start('work');
    assert.deepEqual(timers.delays(), [expected]);
    await supervisor.close();
  }
});

test('with maxAttempts the supervisor gives up: down, not restarting, no timer; start() begins a new series', async () => {
  const { supervisor, timers, events, calls } = setup(['work'], (_key, call) => (call <= 3 ? 'enoent' : 'ok'), {
    retry: { initialDelayMs: 100, maxAttempts: 2 },
  });
  await supervisor.start('work');
  timers.fire();
  await supervisor.source('work').whenSettled();
  const state = supervisor.source('work').state();
  assert.deepEqual(state.kind === 'down' && [state.restarting, state.reason], [false, ENOENT]);
  assert.equal(timers.pending.size, 0);
  const last = events.at(-1);
  assert.ok(last?.type === 'failed' && last.attempt === 2 && last.retryInMs === undefined, 'the last failure says no retry follows');
  await supervisor.start('work'); // third call fails again: attempt 1 of a new series
  assert.deepEqual(timers.delays(), [100]);
  timers.fire();
  await supervisor.source('work').whenSettled();
  assert.equal(supervisor.source('work').state().kind, 'up');
  assert.equal(calls.length, 4);
  await supervisor.close();
});

test('an upstream that dies is restarted: down{restarting} with the exit reason, then up on a new connection', async () => {
  const { supervisor, timers, events, opened } = setup(['work'], () => 'ok');
  await supervisor.start('work');
  const first = opened[0];
  assert.ok(first);
  const states: UpstreamState[] = [];
  supervisor.source('work').onStateChange((state) => states.push(state));
  await first.crash();
  const down = supervisor.source('work').state();
  assert.equal(down.kind, 'down');
  assert.equal(down.kind === 'down' && down.restarting, true);
  assert.match(down.kind === 'down' ? down.reason : '', /exited with code 1.*\n {2}boom/s);
  assert.deepEqual(kinds(events).slice(-2), ['exited', 'restarting']);
  // The restart says what it recovers from: the exit's reason (the runtime's state shows it).
  const [exited, restarting] = events.slice(-2);
  assert.ok(exited?.type === 'exited' && restarting?.type === 'restarting' && restarting.why === 'exited');
  assert.equal(restarting.reason, exited.reason);
  assert.deepEqual(timers.delays(), [100]);
  timers.fire();
  await supervisor.source('work').whenSettled();
  const up = supervisor.source('work').state();
  assert.equal(up.kind, 'up');
  assert.notEqual(up.kind === 'up' && up.connection.client, first.connection.client, 'a new connection');
  assert.deepEqual(states.map((s) => s.kind), ['down', 'starting', 'up']);
  await supervisor.close();
});

test('a flapping upstream slows down; one that stayed up for resetAfterMs restarts at the initial delay', async () => {
  const { supervisor, timers, opened, advance } = setup(['work'], () => 'ok');
  await supervisor.start('work');
  const delays: number[] = [];
  for (let crash = 0; crash < 3; crash++) {
    advance(1_000); // up for 1 s only
    await opened.at(-1)?.crash();
    delays.push(...timers.delays());
    timers.fire();
    await supervisor.source('work').whenSettled();
  }
  assert.deepEqual(delays, [100, 200, 400]);
  advance(30_000); // healthy for the whole reset window
  await opened.at(-1)?.crash();
  assert.deepEqual(timers.delays(), [100]);
  await supervisor.close();
});

test('stop() closes the connection, cancels a pending retry, emits stopped once, and is idempotent', async () => {
  const { supervisor, timers, events, opened } = setup(['work', 'personal'], (key) => (key === 'work' ? 'ok' : 'enoent'));
  await supervisor.startAll();
  assert.equal(timers.pending.size, 1, 'personal waits to retry');
  await supervisor.stop('work');
  await supervisor.stop('personal');
  assert.equal(opened[0]?.closed, true);
  assert.equal(timers.pending.size, 0);
  assert.deepEqual([...supervisor.states().values()].map((s) => s.kind), ['stopped', 'stopped']);
  await supervisor.stop('work');
  assert.equal(kinds(events, 'work').filter((k) => k === 'stopped').length, 1);
  // Closing our own connection is not a crash: nothing restarts it.
  assert.equal(timers.pending.size, 0);
  assert.ok(!kinds(events).includes('exited'));
  await supervisor.close();
});

test('stop() during a start waits for it and closes the connection it brings; the state stays stopped', async () => {
  let release: () => void = () => undefined;
  const { supervisor, opened } = setup(['work'], () => new Promise<Outcome>((resolve) => (release = () => resolve('ok'))));
  void supervisor.start('work');
  await new Promise((resolve) => setImmediate(resolve));
  const stopped = supervisor.stop('work');
  assert.equal(supervisor.source('work').state().kind, 'stopped');
  release();
  await stopped;
  assert.equal(opened[0]?.closed, true, 'the late connection was closed');
  assert.equal(supervisor.source('work').state().kind, 'stopped');
  await supervisor.close();
});

test('restart() closes the old connection before opening a new one and starts a fresh series', async () => {
  const { supervisor, timers, events, opened, calls, advance } = setup(['work'], () => 'ok');
  await supervisor.start('work');
  advance(10);
  await opened[0]?.crash(); // one failure in the series
  timers.fire();
  await supervisor.source('work').whenSettled();
  const seen: string[] = [];
  supervisor.source('work').onStateChange((state) => seen.push(state.kind === 'down' ? `down:${state.reason}:${state.restarting}` : state.kind));
  await supervisor.restart('work');
  assert.equal(opened[1]?.closed, true);
  assert.equal(calls.length, 3);
  assert.deepEqual(seen, ['down:a restart was requested:true', 'starting', 'up']);
  assert.deepEqual(events.filter((e) => e.type === 'restarting').at(-1), { type: 'restarting', key: 'work', why: 'requested', attempt: 1, inMs: 0 });
  assert.equal((events.filter((e) => e.type === 'starting').at(-1) as { attempt: number }).attempt, 1, 'the series starts over');
  await supervisor.close();
});

test('close() stops everything, leaves no timer, is idempotent, and refuses new starts', async () => {
  const { supervisor, timers, opened } = setup(['a', 'b', 'c'], (key) => (key === 'c' ? 'enoent' : 'ok'));
  await supervisor.startAll();
  assert.equal(timers.pending.size, 1);
  await Promise.all([supervisor.close(), supervisor.close()]);
  await supervisor.close();
  assert.equal(timers.pending.size, 0);
  assert.deepEqual(opened.map((u) => u.closed), [true, true]);
  assert.deepEqual([...supervisor.states().values()].map((s) => s.kind), ['stopped', 'stopped', 'stopped']);
  await assert.rejects(supervisor.start('a'), SupervisorClosedError);
  await assert.rejects(supervisor.restart('a'), SupervisorClosedError);
  await assert.rejects(supervisor.startAll(), SupervisorClosedError);
});

test('whenSettled waits while starting; an instance never started is settled', async () => {
  let release: () => void = () => undefined;
  const { supervisor } = setup(['work'], () => new Promise<Outcome>((resolve) => (release = () => resolve('ok'))));
  await supervisor.source('work').whenSettled(); // stopped: resolves at once
  void supervisor.start('work');
  let settled = false;
  void supervisor.source('work').whenSettled().then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(settled, false);
  release();
  await supervisor.source('work').whenSettled();
  assert.equal(settled, true);
  await supervisor.close();
});

test('start() of a running instance does not connect again', async () => {
  const { supervisor, calls } = setup(['work'], () => 'ok');
  await supervisor.start('work');
  await supervisor.start('work');
  await supervisor.startAll();
  assert.equal(calls.length, 1);
  await supervisor.close();
});

test('stderr lines arrive with their key; connect gets the grace and the deadline', async () => {
  const lines: [string, string][] = [];
  const { supervisor, calls } = setup(['work'], () => 'ok', { onStderr: (key, line) => lines.push([key, line]), graceMs: 50, connectTimeoutMs: 700 });
  await supervisor.start('work');
  const options = calls[0]?.options;
  options?.onStderr?.('hello');
  assert.deepEqual(lines, [['work', 'hello']]);
  assert.equal(options?.graceMs, 50);
  assert.equal(options?.timeoutMs, 700);
  await supervisor.close();
});

test('a listener or logger that throws does not stop supervision', async () => {
  const { supervisor, events } = setup(['work'], () => 'ok', {
    onEvent: () => {
      throw new Error('logger broke');
    },
  });
  supervisor.source('work').onStateChange(() => {
    throw new Error('listener broke');
  });
  await supervisor.start('work');
  assert.equal(supervisor.source('work').state().kind, 'up');
  assert.equal(events.length, 0);
  await supervisor.close();
});

test('unknown keys and duplicate keys are refused with clear errors', async () => {
  const { supervisor } = setup(['work'], () => 'ok');
  assert.throws(() => supervisor.source('nope'), (error: unknown) => error instanceof UnknownInstanceError && /"nope"; known: "work"/.test(error.message));
  await assert.rejects(supervisor.start('nope'), UnknownInstanceError);
  assert.throws(() => setup(['work', 'work'], () => 'ok'), /share the key "work"/);
  assert.throws(() => setup(['work'], () => 'ok', { retry: { factor: 0.5 } }), /factor must be >= 1/);
  await supervisor.close();
});
