// The instance's state reducer: every state × every event, table-driven, then the paths
// the runner depends on (a requested restart reads as starting, a sign-in need sticks while
// stopped or down and ends with the next start, `failed` says whether it retries).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignInRequiredError } from '../../../../src/core/auth/errors';
import type { InstanceState } from '../../../../src/core/runtime';
import type { SupervisorEvent } from '../../../../src/core/upstream';
import { eventAddsDetail, INITIAL_STATE, next, type InstanceEvent } from '../../../../src/core/engine/instanceState';

const STATES = {
  stopped: { kind: 'stopped' },
  starting: { kind: 'starting', attempt: 2 },
  running: { kind: 'running', pid: 7 },
  'running, no pid': { kind: 'running' },
  'failed, retrying': { kind: 'failed', message: 'before', retrying: true },
  failed: { kind: 'failed', message: 'before', retrying: false },
  'needs-sign-in': { kind: 'needs-sign-in', message: 'sign in (before)' },
} as const satisfies Record<string, InstanceState>;
type StateName = keyof typeof STATES;

/** `same`: the very state object comes back (nothing changed). */
type Expected = InstanceState | 'same';

interface Case {
  readonly name: string;
  readonly event: InstanceEvent;
  /** The result in every state not listed in `except`. */
  readonly result: Expected;
  readonly except?: Partial<Record<StateName, Expected>>;
}

const key = 'notes/work';
const signInError = new Error('connect failed', { cause: new SignInRequiredError('notes/work', 'use "Sign In"') });
const stillNeedsSignIn = { 'needs-sign-in': 'same' } as const;

// Keyed by event type, so a new kind of event fails to compile until it has its rows.
const CASES: Record<InstanceEvent['type'], readonly Case[]> = {
  starting: [{ name: 'starting (attempt 3)', event: { type: 'starting', key, attempt: 3 }, result: { kind: 'starting', attempt: 3 } }],
  up: [
    { name: 'up with a pid', event: { type: 'up', key, attempt: 1, serverInfo: { name: 'notes', version: '1.0.0' }, pid: 9 }, result: { kind: 'running', pid: 9 } },
    { name: 'up without a pid (remote)', event: { type: 'up', key, attempt: 1, serverInfo: { name: 'notes', version: '1.0.0' } }, result: { kind: 'running' } },
  ],
  failed: [
    {
      name: 'a start failed, retry scheduled',
      event: { type: 'failed', key, attempt: 1, error: new Error('boom'), retryInMs: 100 },
      result: { kind: 'failed', message: 'boom', retrying: true },
      except: stillNeedsSignIn,
    },
    { name: 'a start failed, given up', event: { type: 'failed', key, attempt: 5, error: new Error('boom') }, result: { kind: 'failed', message: 'boom', retrying: false }, except: stillNeedsSignIn },
    {
      name: 'a start failed for want of a sign-in',
      event: { type: 'failed', key, attempt: 1, error: signInError, retryInMs: 100 },
      result: { kind: 'needs-sign-in', message: 'notes/work needs you to sign in: use "Sign In"' },
    },
  ],
  exited: [{ name: 'exited (the supervisor says next what follows)', event: { type: 'exited', key, reason: 'gone', uptimeMs: 5 }, result: 'same' }],
  restarting: [
    { name: 'restarting after an exit', event: { type: 'restarting', key, why: 'exited', reason: 'gone', attempt: 2, inMs: 100 }, result: { kind: 'failed', message: 'gone', retrying: true }, except: stillNeedsSignIn },
    { name: 'restarting on request', event: { type: 'restarting', key, why: 'requested', attempt: 1, inMs: 0 }, result: { kind: 'starting', attempt: 1 }, except: { ...stillNeedsSignIn, starting: { kind: 'starting', attempt: 1 } } },
  ],
  'gave-up': [{ name: 'gave up after exits', event: { type: 'gave-up', key, attempt: 3, reason: 'gone' }, result: { kind: 'failed', message: 'gone', retrying: false }, except: stillNeedsSignIn }],
  stopped: [{ name: 'stopped', event: { type: 'stopped', key }, result: { kind: 'stopped' }, except: { ...stillNeedsSignIn, stopped: 'same' } }],
  warning: [{ name: 'a warning', event: { type: 'warning', key, error: new Error('not JSON') }, result: 'same' }],
  'sign-in-needed': [
    {
      name: 'a sign-in became needed',
      event: { type: 'sign-in-needed', message: 'sign in (now)' },
      result: { kind: 'needs-sign-in', message: 'sign in (now)' },
      // A start under way ends in its own failure, which says so (or succeeds after all).
      except: { starting: 'same' },
    },
  ],
  'stop-requested': [{ name: 'the user stopped it', event: { type: 'stop-requested' }, result: { kind: 'stopped' }, except: { stopped: 'same' } }],
};

for (const [type, cases] of Object.entries(CASES)) {
  for (const { name, event, result, except } of cases) {
    test(`${type}: ${name}, from every state`, () => {
      for (const [stateName, state] of Object.entries(STATES) as [StateName, InstanceState][]) {
        const expected = except?.[stateName] ?? result;
        const after = next(state, event);
        if (expected === 'same') {
          assert.equal(after, state, `${stateName} + ${name}: unchanged, the same object`);
        } else {
          assert.deepEqual(after, expected, `${stateName} + ${name}`);
        }
      }
    });
  }
}

test('a result equal to the state is the state itself, so a change is told once', () => {
  const starting: InstanceState = { kind: 'starting', attempt: 1 };
  assert.equal(next(starting, { type: 'starting', key, attempt: 1 }), starting);
  const failed: InstanceState = { kind: 'failed', message: 'boom', retrying: true };
  assert.equal(next(failed, { type: 'failed', key, attempt: 2, error: new Error('boom'), retryInMs: 200 }), failed);
  assert.notEqual(next(failed, { type: 'failed', key, attempt: 3, error: new Error('boom') }), failed, 'no longer retrying is a change');
});

/** The states after each event, from the initial state. */
function run(events: readonly InstanceEvent[]): InstanceState[] {
  const states: InstanceState[] = [];
  let state = INITIAL_STATE;
  for (const event of events) {
    state = next(state, event);
    states.push(state);
  }
  return states;
}

const up = (pid: number): SupervisorEvent => ({ type: 'up', key, attempt: 1, serverInfo: { name: 'notes', version: '1.0.0' }, pid });

test('a requested restart reads as starting from the request until it runs again', () => {
  assert.deepEqual(run([{ type: 'starting', key, attempt: 1 }, up(1), { type: 'restarting', key, why: 'requested', attempt: 1, inMs: 0 }, { type: 'starting', key, attempt: 1 }, up(2)]), [
    { kind: 'starting', attempt: 1 },
    { kind: 'running', pid: 1 },
    { kind: 'starting', attempt: 1 },
    { kind: 'starting', attempt: 1 },
    { kind: 'running', pid: 2 },
  ]);
});

test('an exit shows the failure and the retry, then the new attempt and pid', () => {
  assert.deepEqual(
    run([
      { type: 'starting', key, attempt: 1 },
      up(1),
      { type: 'exited', key, reason: 'exited with code 1', uptimeMs: 10 },
      { type: 'restarting', key, why: 'exited', reason: 'exited with code 1', attempt: 2, inMs: 100 },
      { type: 'starting', key, attempt: 2 },
      up(2),
    ]),
    [
      { kind: 'starting', attempt: 1 },
      { kind: 'running', pid: 1 },
      { kind: 'running', pid: 1 },
      { kind: 'failed', message: 'exited with code 1', retrying: true },
      { kind: 'starting', attempt: 2 },
      { kind: 'running', pid: 2 },
    ],
  );
});

test('a sign-in need sticks while the runner stops the upstream, and the next start clears it', () => {
  const states = run([
    { type: 'starting', key, attempt: 1 },
    { type: 'failed', key, attempt: 1, error: signInError, retryInMs: 100 },
    { type: 'stopped', key },
    { type: 'restarting', key, why: 'requested', attempt: 1, inMs: 0 },
    { type: 'starting', key, attempt: 1 },
  ]);
  assert.deepEqual(
    states.map((state) => state.kind),
    ['starting', 'needs-sign-in', 'needs-sign-in', 'needs-sign-in', 'starting'],
  );
});

test('a sign-in needed mid-session shows at once; the user’s stop clears it', () => {
  assert.deepEqual(run([{ type: 'starting', key, attempt: 1 }, up(1), { type: 'sign-in-needed', message: 'revoked' }, { type: 'stopped', key }, { type: 'stop-requested' }]), [
    { kind: 'starting', attempt: 1 },
    { kind: 'running', pid: 1 },
    { kind: 'needs-sign-in', message: 'revoked' },
    { kind: 'needs-sign-in', message: 'revoked' },
    { kind: 'stopped' },
  ]);
});

test('the log keeps an event’s own line unless the state line says the same', () => {
  const stopped: InstanceState = { kind: 'stopped' };
  const running: InstanceState = { kind: 'running', pid: 1 };
  assert.equal(eventAddsDetail({ type: 'starting', key, attempt: 1 }, { kind: 'starting', attempt: 1 }), false);
  assert.equal(eventAddsDetail({ type: 'stopped', key }, stopped), false);
  assert.equal(eventAddsDetail({ type: 'stopped', key }, { kind: 'needs-sign-in', message: 'm' }), true, 'stopped under a sign-in need: the state line does not say it');
  assert.equal(eventAddsDetail(up(1), running), true, 'the server’s name and version');
  assert.equal(eventAddsDetail({ type: 'exited', key, reason: 'gone', uptimeMs: 3000 }, running), true);
  assert.equal(eventAddsDetail({ type: 'failed', key, attempt: 1, error: new Error('x'), retryInMs: 100 }, { kind: 'failed', message: 'x', retrying: true }), true, 'the delay of the retry');
});
