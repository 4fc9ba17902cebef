import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admits, isLogLevel, mostVerbose, SessionLogLevels } from '../../../../src/core/mux/logLevels';

test('the most verbose level wins; none for no levels', () => {
  assert.equal(mostVerbose(['error', 'info', 'warning']), 'info');
  assert.equal(mostVerbose(['emergency', 'debug']), 'debug');
  assert.equal(mostVerbose([]), undefined);
});

test('a session gets messages at or above its level; one that never set a level gets every one', () => {
  assert.equal(admits('warning', 'warning'), true);
  assert.equal(admits('warning', 'error'), true);
  assert.equal(admits('warning', 'info'), false);
  assert.equal(admits('debug', 'debug'), true);
  assert.equal(admits(undefined, 'debug'), true);
  // A level the relay cannot judge is not hidden.
  assert.equal(admits('error', 'verbose'), true);
  assert.equal(admits('error', undefined), true);
});

test('only the spec levels are levels', () => {
  assert.equal(isLogLevel('notice'), true);
  assert.equal(isLogLevel('trace'), false);
  assert.equal(isLogLevel(3), false);
});

test('the upstream is told the most verbose level asked for, only when it changes, and goes back up when its session leaves', () => {
  const levels = new SessionLogLevels<string>();
  assert.equal(levels.upstream(), undefined);
  assert.equal(levels.set('a', 'warning'), 'warning');
  assert.equal(levels.set('b', 'debug'), 'debug');
  // Less verbose than what the upstream has: nothing to tell it.
  assert.equal(levels.set('c', 'error'), undefined);
  assert.equal(levels.upstream(), 'debug');
  assert.deepEqual([levels.of('a'), levels.of('b'), levels.of('c'), levels.of('d')], ['warning', 'debug', 'error', undefined]);
  assert.equal(levels.drop('b'), 'warning');
  assert.equal(levels.drop('d'), undefined, 'a session without a level changes nothing');
  assert.equal(levels.set('a', 'critical'), 'error');
  assert.equal(levels.drop('c'), 'critical');
  // The last session with a level leaves: MCP cannot restore the upstream's default, so it keeps its level.
  assert.equal(levels.drop('a'), undefined);
  assert.equal(levels.upstream(), 'critical');
});

test('after the upstream failed to take a level, the same level is told again', () => {
  const levels = new SessionLogLevels<string>();
  assert.equal(levels.set('a', 'info'), 'info');
  levels.forget();
  assert.equal(levels.set('a', 'info'), 'info');
});
