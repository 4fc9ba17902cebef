// Faults of running upstreams, with real processes: the fixture servers (and
// server-everything for progress) under the supervisor, a relay in front, and an SDK client
// talking to the relay over an in-memory pair.
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamSpec } from '../../../../src/core/config/model';
import { createAggregateRelay, createInstanceRelay, RELAY_CLIENT_CAPABILITIES, type Relay } from '../../../../src/core/mux';
import { createSupervisor, type Supervisor, type SupervisorEvent } from '../../../../src/core/upstream/supervisor';
import { fixtureSpec } from '../../../fixtures/servers';
import { EVERYTHING_ENTRY } from '../../../helpers/everything';
import { clientOf, eventually } from '../../../helpers/muxHarness';

const GRACE_MS = 300;

interface Rig {
  readonly supervisor: Supervisor;
  readonly relay: Relay;
  readonly client: Client;
  readonly events: SupervisorEvent[];
  /** How many tools/list_changed the client has received. */
  listChanged(): number;
}

const rigs: Rig[] = [];
after(async () => {
  for (const rig of rigs) {
    await rig.relay.close();
    await rig.supervisor.close();
  }
});

/** One instance `work` behind an instance relay with prefixed tools (like `mcplex wrap`). */
async function rig(spec: UpstreamSpec, requestTimeoutMs = 10_000, aggregate = false): Promise<Rig> {
  const events: SupervisorEvent[] = [];
  const supervisor = createSupervisor([{ key: 'work', spec, label: 'Work' }], {
    clientCapabilities: RELAY_CLIENT_CAPABILITIES,
    graceMs: GRACE_MS,
    retry: { initialDelayMs: 100, jitter: 0 },
    onEvent: (event) => events.push(event),
  });
  void supervisor.startAll();
  const source = supervisor.source('work');
  const relay = aggregate
    ? createAggregateRelay({ members: [{ source, label: 'Work' }], requestTimeoutMs })
    : createInstanceRelay({ source, slug: 'work', label: 'Work', prefixTools: true, requestTimeoutMs });
  const client = await clientOf(relay);
  let changes = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changes++);
  const made: Rig = { supervisor, relay, client, events, listChanged: () => changes };
  rigs.push(made);
  return made;
}

function text(result: unknown): string {
  return ((result as CallToolResult).content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
}

async function callError(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  try {
    await client.callTool({ name, arguments: args });
  } catch (error) {
    return { message: (error as Error).message, ms: Date.now() - started };
  }
  assert.fail(`${name} succeeded`);
}

describe('crash-on-call', () => {
  it('fails the call at once naming the instance and the restart, comes back, sends list_changed, serves again', async () => {
    const { client, supervisor, events, listChanged } = await rig(fixtureSpec('crash-on-call'));
    const firstPid = (events.find((e) => e.type === 'up') as { pid?: number } | undefined)?.pid;
    assert.equal(text(await client.callTool({ name: 'work__echo', arguments: { text: 'before' } })), 'before');
    const before = listChanged();

    const { message, ms } = await callError(client, 'work__crash');
    assert.match(message, /Instance "work" stopped while tools\/call was in flight \(the upstream restarted or exited\): it is being restarted; retry in a moment/);
    assert.ok(ms < 2000, `the call failed after ${ms} ms, not at once`);

    await eventually(() => supervisor.source('work').state().kind === 'up', 5000);
    await eventually(() => listChanged() > before, 2000);
    const exited = events.find((e) => e.type === 'exited');
    assert.ok(exited?.type === 'exited' && /exited with code 1/.test(exited.reason) && /crashing on purpose/.test(exited.reason), 'the exit is reported with the last stderr');
    const up = events.filter((e) => e.type === 'up');
    assert.equal(up.length, 2);
    assert.notEqual((up[1] as { pid?: number }).pid, firstPid, 'a new process');
    assert.equal(text(await client.callTool({ name: 'work__echo', arguments: { text: 'after' } })), 'after');
  });
});

describe('exits-after-answer', () => {
  it('a call written to an upstream that has just died gets the explained error, never a bare EPIPE', async () => {
    const { client, supervisor } = await rig(fixtureSpec('exits-after-answer'));
    const failures = new Map<string, number>();
    for (let round = 0; round < 4; round++) {
      // Each short life doubles the next wait (100 ms, 200 ms…).
      await eventually(() => supervisor.source('work').state().kind === 'up', 8000);
      assert.equal(text(await client.callTool({ name: 'work__answer_and_exit', arguments: {} })), 'bye');
      // Written while the process exits: into a closed pipe, or before mcplex saw the exit.
      for (let i = 0; i < 5; i++) {
        try {
          await client.callTool({ name: 'work__echo', arguments: { text: 'too late' } });
        } catch (error) {
          const message = (error as Error).message;
          failures.set(message, (failures.get(message) ?? 0) + 1);
        }
      }
    }
    assert.ok(failures.size > 0, 'some call met the dying upstream');
    for (const message of failures.keys()) {
      assert.doesNotMatch(message, /EPIPE|not running/);
      assert.match(message, /Instance "work" (stopped while tools\/call was in flight \(the upstream restarted or exited\)|cannot answer tools\/call: it is down .* and being restarted)/);
    }
    await eventually(() => supervisor.source('work').state().kind === 'up', 10_000);
    assert.equal(text(await client.callTool({ name: 'work__echo', arguments: { text: 'after' } })), 'after');
  });
});

describe('hang', () => {
  it('a call that never answers times out after the request timeout with an error that says what to do', async () => {
    const { client } = await rig(fixtureSpec('hang'), 500);
    const { message, ms } = await callError(client, 'work__hang');
    assert.equal(message, 'MCP error -32001: Instance "work" did not answer tools/call within 500 ms; raise the request timeout if the tool is slow.');
    assert.ok(ms >= 450 && ms < 3000, `timed out after ${ms} ms`);
    assert.equal(text(await client.callTool({ name: 'work__echo', arguments: { text: 'still here' } })), 'still here');
  });

  it('restart() while a call hangs fails the call promptly, saying the instance restarted', async () => {
    const { client, supervisor } = await rig(fixtureSpec('hang'));
    const pending = callError(client, 'work__hang');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const restarted = supervisor.restart('work');
    const { message, ms } = await pending;
    assert.match(message, /Instance "work" stopped while tools\/call was in flight.*being restarted/);
    assert.ok(ms < 100 + GRACE_MS * 3, `failed after ${ms} ms`);
    await restarted;
    assert.equal(supervisor.source('work').state().kind, 'up');
    assert.equal(text(await client.callTool({ name: 'work__echo', arguments: { text: 'x' } })), 'x');
  });

  it('progress resets the timer: a 2 s operation with progress every 250 ms passes a 700 ms timeout; without progress it times out', async () => {
    const everything: UpstreamSpec = { kind: 'stdio', command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], env: {} };
    const { client } = await rig(everything, 700);
    const progress: number[] = [];
    const result = await client.callTool(
      { name: 'work__trigger-long-running-operation', arguments: { duration: 2, steps: 8 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    assert.match(text(result), /Long running operation completed/);
    // The 8th comes with the result and may be dropped by the SDK's client as late
    // (typescript-sdk#2580); the first seven are what kept the call alive past 700 ms.
    assert.deepEqual(progress.slice(0, 7), [1, 2, 3, 4, 5, 6, 7]);
    assert.ok(progress.length <= 8);
    // The same operation without a progress token: no progress, so the 700 ms apply.
    const { message } = await callError(client, 'work__trigger-long-running-operation', { duration: 2, steps: 8 });
    assert.match(message, /did not answer tools\/call within 700 ms/);
  });
});

describe('changing-tools', () => {
  it('a tool added at run time reaches the client as list_changed and appears under its prefixed name', async () => {
    const { client, listChanged } = await rig(fixtureSpec('changing-tools'), 10_000, true);
    const names = async () => (await client.listTools()).tools.map((tool) => tool.name).sort();
    assert.deepEqual(await names(), ['work__add_tool', 'work__remove_tool']);
    const before = listChanged();
    assert.equal(text(await client.callTool({ name: 'work__add_tool', arguments: { name: 'fresh' } })), 'added fresh');
    await eventually(() => listChanged() > before, 2000);
    assert.deepEqual(await names(), ['work__add_tool', 'work__fresh', 'work__remove_tool']);
    assert.equal(text(await client.callTool({ name: 'work__fresh', arguments: {} })), 'fresh');
    const again = listChanged();
    await client.callTool({ name: 'work__remove_tool', arguments: { name: 'fresh' } });
    await eventually(() => listChanged() > again, 2000);
    assert.deepEqual(await names(), ['work__add_tool', 'work__remove_tool']);
  });
});

describe('paginate', () => {
  it('all 1,000 tools over 10 upstream pages are listed through the relay with prefixed names', async () => {
    const { client } = await rig(fixtureSpec('paginate'), 10_000, true);
    const { tools, nextCursor } = await client.listTools();
    assert.equal(nextCursor, undefined);
    const expected = Array.from({ length: 1000 }, (_, index) => `work__tool_${String(index).padStart(4, '0')}`);
    assert.deepEqual(tools.map((tool) => tool.name), expected);
    assert.equal(text(await client.callTool({ name: 'work__tool_0999', arguments: {} })), 'tool_0999');
  });
});
