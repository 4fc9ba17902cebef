import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { watchParent } from '../../../src/cli/parentWatch';
import type { Every } from '../../../src/cli/ending';

function ticks(): { every: Every; tick(): void; cancelled: () => boolean } {
  let tick: (() => void) | undefined;
  let cancelled = false;
  return {
    every: (callback) => {
      tick = callback;
      return () => (cancelled = true);
    },
    tick: () => tick?.(),
    cancelled: () => cancelled,
  };
}

async function settled(promise: Promise<string>): Promise<string | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)))]);
}

describe('watchParent', () => {
  it('settles when the parent changes (an orphan is handed to init or a subreaper)', async () => {
    const timer = ticks();
    let ppid = 4242;
    const watch = watchParent({ ppid: () => ppid, exists: () => true, every: timer.every });
    timer.tick();
    assert.equal(await settled(watch.reached), undefined);
    ppid = 1;
    timer.tick();
    assert.equal(await watch.reached, 'parent process 4242 is gone');
    assert.equal(timer.cancelled(), true);
  });

  it('settles when the first parent no longer exists, though the pid reads the same (Windows)', async () => {
    const timer = ticks();
    const watch = watchParent({ ppid: () => 4242, exists: (pid) => pid !== 4242, every: timer.every });
    timer.tick();
    assert.equal(await watch.reached, 'parent process 4242 is gone');
  });

  it('watches nothing when started with init as its parent (detached on purpose)', async () => {
    const timer = ticks();
    let ppid = 1;
    const watch = watchParent({ ppid: () => ppid, exists: () => false, every: timer.every });
    ppid = 77;
    timer.tick();
    assert.equal(await settled(watch.reached), undefined);
  });

  it('stops watching when asked', () => {
    const timer = ticks();
    watchParent({ ppid: () => 4242, every: timer.every }).stop();
    assert.equal(timer.cancelled(), true);
  });
});
