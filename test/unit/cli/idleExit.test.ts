import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exitWhenIdle, IdleClock } from '../../../src/cli/idleExit';
import type { Every } from '../../../src/cli/ending';

/** An `Every` the test ticks by hand, with a clock it moves. */
function manual(): { every: Every; tick(): void; now: () => number; advance(ms: number): void; cancelled: () => boolean } {
  let tick: (() => void) | undefined;
  let cancelled = false;
  let at = 0;
  return {
    every: (callback) => {
      tick = callback;
      return () => (cancelled = true);
    },
    tick: () => tick?.(),
    now: () => at,
    advance: (ms) => (at += ms),
    cancelled: () => cancelled,
  };
}

describe('IdleClock', () => {
  it('expires once no session has been open for the whole limit, counted from the start', () => {
    let now = 0;
    const clock = new IdleClock(900_000, () => now);
    now = 899_999;
    clock.note(0);
    assert.equal(clock.expired(), false);
    now = 900_000;
    assert.equal(clock.expired(), true);
  });

  it('never expires while a session is open, and counts again from when the last one left', () => {
    let now = 0;
    const clock = new IdleClock(1000, () => now);
    clock.note(2);
    now = 5000;
    clock.note(1);
    assert.equal(clock.expired(), false);
    now = 6000;
    clock.note(0);
    now = 6999;
    clock.note(0);
    assert.equal(clock.expired(), false);
    now = 7000;
    assert.equal(clock.expired(), true);
  });
});

describe('exitWhenIdle', () => {
  it('settles with its reason once idle past the limit, and stops counting', async () => {
    const time = manual();
    let sessions = 1;
    const ending = exitWhenIdle(() => sessions, 3000, { every: time.every, now: time.now });
    let reason: string | undefined;
    void ending.reached.then((text) => (reason = text));
    time.advance(10_000);
    time.tick();
    sessions = 0;
    time.advance(1000);
    time.tick();
    time.advance(2999);
    time.tick();
    await Promise.resolve();
    assert.equal(reason, undefined);
    time.advance(1);
    time.tick();
    assert.equal(await ending.reached, 'no session for 3 s (--exit-when-idle)');
    assert.equal(time.cancelled(), true);
  });
});
