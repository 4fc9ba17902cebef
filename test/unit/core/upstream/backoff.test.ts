// The pure parts of supervision: backoff delays, the policy's validation, and the log lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay, DEFAULT_RETRY_POLICY, resolveRetryPolicy } from '../../../../src/core/upstream/backoff';
import { describeSupervisorEvent } from '../../../../src/core/upstream/supervisor';

const noJitter = () => 0.5;

test('the defaults: 500 ms doubling to at most 30 s, ±20 %, never giving up, reset after 30 s', () => {
  const policy = resolveRetryPolicy();
  assert.deepEqual(policy, DEFAULT_RETRY_POLICY);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, policy, noJitter)), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.equal(policy.maxAttempts, Number.POSITIVE_INFINITY);
  assert.equal(policy.resetAfterMs, 30_000);
});

test('fields not given keep their defaults; nonsense is refused with the field named', () => {
  assert.equal(resolveRetryPolicy({ factor: 3 }).initialDelayMs, 500);
  assert.throws(() => resolveRetryPolicy({ jitter: 1.5 }), /jitter must be between 0 and 1/);
  assert.throws(() => resolveRetryPolicy({ initialDelayMs: 100, maxDelayMs: 50 }), /maxDelayMs must be >= initialDelayMs/);
  assert.throws(() => resolveRetryPolicy({ maxAttempts: 0 }), /maxAttempts must be >= 1/);
});

test('every delay stays within ± jitter of its base and never above the cap', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (failures, random, jitter) => {
        const policy = resolveRetryPolicy({ initialDelayMs: 100, maxDelayMs: 5000, factor: 2, jitter });
        const base = Math.min(5000, 100 * 2 ** (failures - 1));
        const delay = backoffDelay(failures, policy, () => random);
        return delay <= 5000 && delay >= Math.floor(base * (1 - jitter)) && delay <= Math.ceil(base * (1 + jitter));
      },
    ),
  );
});

test('each event reads as one line that names the instance and keeps the error message', () => {
  const error = new Error('work: could not start "x" over stdio: command not found (ENOENT)');
  assert.equal(describeSupervisorEvent({ type: 'failed', key: 'work', attempt: 2, error, retryInMs: 1500 }), `instance "work": start failed (attempt 2), retrying in 1.5 s: ${error.message}`);
  assert.equal(describeSupervisorEvent({ type: 'failed', key: 'work', attempt: 5, error }), `instance "work": start failed (attempt 5), giving up: ${error.message}`);
  assert.equal(
    describeSupervisorEvent({ type: 'failed', key: 'work', attempt: 1, error, permanent: true }),
    `instance "work": start failed, not retrying (a retry cannot fix this): ${error.message}; fix it, then restart the instance`,
  );
  assert.equal(describeSupervisorEvent({ type: 'up', key: 'work', attempt: 1, serverInfo: { name: 'notes', version: '1.2.0' }, pid: 77 }), 'instance "work": up (notes 1.2.0, pid 77)');
  assert.equal(describeSupervisorEvent({ type: 'exited', key: 'work', reason: 'the process exited with code 1', uptimeMs: 250 }), 'instance "work": exited after 250 ms: the process exited with code 1');
  assert.equal(describeSupervisorEvent({ type: 'restarting', key: 'work', why: 'exited', reason: 'the process exited with code 1', attempt: 2, inMs: 500 }), 'instance "work": restarting in 500 ms (attempt 2)');
});
