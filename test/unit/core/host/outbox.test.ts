// The outbox of one stream: written at once while the stream takes it; behind a full
// buffer, list_changed and progress coalesce, log lines are capped with one notice of how
// many were dropped, other messages wait (pressure past the high-water mark), and a client
// that takes nothing is given up.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { dropNoticeText, laneOf, Outbox, type OutPieces } from '../../../../src/core/host/outbox';
import type { OutboxLimits } from '../../../../src/core/host/outboxLimits';

const LIMITS: OutboxLimits = { maxLogs: 3, highWater: 2, maxQueued: 4, stallMs: 0 };

function harness(limits: OutboxLimits = LIMITS) {
  const sink = new EventEmitter();
  const written: string[] = [];
  const pressure: boolean[] = [];
  const stalls: string[] = [];
  let accepting = true;
  const outbox = new Outbox(sink, limits, {
    write: (pieces: OutPieces) => {
      written.push(pieces.join(''));
      return accepting;
    },
    dropNotice: (dropped) => [dropNoticeText(dropped, limits.maxLogs)],
    onpressure: (full) => pressure.push(full),
    onstall: (reason) => stalls.push(reason),
  });
  const message = (m: { method?: string; id?: number; params?: Record<string, unknown> }) => outbox.push(laneOf(m), [JSON.stringify(m)]);
  return {
    outbox, written, pressure, stalls, message,
    fill: () => (accepting = false),
    drain: () => {
      accepting = true;
      sink.emit('drain');
    },
  };
}

describe('Outbox', () => {
  it('writes at once while the stream takes it', () => {
    const h = harness();
    for (let i = 0; i < 10; i++) h.message({ method: 'notifications/message', params: { data: i } });
    assert.equal(h.written.length, 10);
  });

  it('behind a full buffer: keeps the latest list_changed and progress per token, caps log lines and tells how many it dropped', () => {
    const h = harness({ ...LIMITS, highWater: 3 });
    h.fill();
    h.message({ method: 'notifications/message', params: { data: 'first' } }); // written, buffer now full
    for (let i = 0; i < 5; i++) h.message({ method: 'notifications/tools/list_changed' });
    for (let i = 0; i < 5; i++) h.message({ method: 'notifications/progress', params: { progressToken: 't', progress: i } });
    for (let i = 0; i < 10; i++) h.message({ method: 'notifications/message', params: { data: i } });
    assert.equal(h.written.length, 1);
    h.drain();
    const methods = h.written.slice(1).map((text) => JSON.parse(text) as { method: string; params: { progress?: number; data?: unknown; logger?: string } });
    assert.equal(methods.filter((m) => m.method === 'notifications/tools/list_changed').length, 1);
    assert.deepEqual(methods.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress), [4]);
    const logs = methods.filter((m) => m.method === 'notifications/message');
    assert.deepEqual(logs.slice(0, 3).map((m) => m.params.data), [0, 1, 2]);
    assert.equal(logs.length, 4);
    assert.equal(logs[3]?.params.logger, 'mcplex');
    assert.match(String(logs[3]?.params.data), /dropped 7 log messages/);
    assert.deepEqual(h.pressure, []);
  });

  it('answers wait; past the high-water mark the owner is told to stop its source, and told again once all is written', () => {
    const h = harness();
    h.fill();
    h.message({ id: 0 });
    h.message({ id: 1 });
    h.message({ id: 2 });
    assert.deepEqual(h.pressure, [true]);
    h.drain();
    assert.deepEqual(h.written.map((text) => (JSON.parse(text) as { id: number }).id), [0, 1, 2]);
    assert.deepEqual(h.pressure, [true, false]);
  });

  it('gives the stream up past maxQueued, and when its client takes nothing for stallMs', async () => {
    const h = harness();
    h.fill();
    for (let i = 0; i < 6; i++) h.message({ id: i });
    assert.equal(h.stalls.length, 1);
    assert.match(h.stalls[0]!, /5 messages waited for it \(at most 4\)/);

    const slow = harness({ ...LIMITS, stallMs: 30 });
    slow.fill();
    slow.message({ id: 0 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.match(slow.stalls[0] ?? '', /took nothing/);
  });

  it('a stream that catches up in time is not given up', async () => {
    const h = harness({ ...LIMITS, stallMs: 50 });
    h.fill();
    h.message({ id: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    h.drain();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(h.stalls, []);
  });
});
