/**
 * One instance's state, stepped by one pure function. The runner keeps one `InstanceState`
 * and changes it only through `next`, fed with its supervisor's events and its own (a
 * sign-in became needed, the user asked it to stop); `status()` hands out that value.
 *
 * Three types describe one instance's life, each for its reader:
 * - `SupervisorEvent` (upstream/): what happened, once, as data: the input here, and the
 *   CLI's and the log's detail lines ("exited after 3 s").
 * - `UpstreamState` (mux/): what a relay needs: the live connection while `up`, and
 *   whether a `down` upstream is coming back (the relay's error wording). The supervisor
 *   keeps it; nothing here reads it.
 * - `InstanceState` (model.ts): what the user sees, the result here; the views add the
 *   states of instances without a runner (`untrusted`, `needs-secret`: `InstanceStatus`).
 */
import { findAuthError } from '../auth';
import type { SupervisorEvent } from '../upstream';
import type { InstanceState } from './model';

/** What moves an instance's state: its supervisor's events and the runner's own. */
export type InstanceEvent =
  | SupervisorEvent
  /** The user must sign in (a token was revoked under a running session, a quiet start met a sign-in). */
  | { readonly type: 'sign-in-needed'; readonly message: string }
  /** The user (or the window) stopped it: whatever it waited for is forgotten. */
  | { readonly type: 'stop-requested' };

export const INITIAL_STATE: InstanceState = { kind: 'stopped' };

/**
 * The state after `event`. Returns `state` itself when nothing changed, so a caller can tell
 * a change with `!==` (and log each change once).
 *
 * A sign-in need sticks through what only confirms it (the upstream stopped, went down,
 * gave up, a restart began) and ends with the next start; the user's stop clears it.
 */
export function next(state: InstanceState, event: InstanceEvent): InstanceState {
  const after = step(state, event);
  return sameState(after, state) ? state : after;
}

function step(state: InstanceState, event: InstanceEvent): InstanceState {
  const signInNeeded = state.kind === 'needs-sign-in';
  switch (event.type) {
    case 'starting':
      return { kind: 'starting', attempt: event.attempt };
    case 'up':
      return event.pid === undefined ? { kind: 'running' } : { kind: 'running', pid: event.pid };
    case 'failed': {
      const signIn = findAuthError(event.error);
      if (signIn?.code === 'sign-in-required') return { kind: 'needs-sign-in', message: signIn.message };
      if (signInNeeded) return state;
      return { kind: 'failed', message: event.error.message, retrying: event.retryInMs !== undefined };
    }
    // The supervisor says next whether it restarts (`restarting`) or gives up (`gave-up`).
    case 'exited':
      return state;
    case 'restarting':
      if (signInNeeded) return state;
      // A requested restart passes through `down` on its way back up: it reads as starting.
      return event.why === 'requested' ? { kind: 'starting', attempt: 1 } : { kind: 'failed', message: event.reason, retrying: true };
    case 'gave-up':
      return signInNeeded ? state : { kind: 'failed', message: event.reason, retrying: false };
    case 'stopped':
      return signInNeeded ? state : { kind: 'stopped' };
    case 'warning':
      return state;
    case 'sign-in-needed':
      // While starting, the start's own failure brings the need (its error says so); if the
      // start succeeds after all, nothing is needed.
      return state.kind === 'starting' ? state : { kind: 'needs-sign-in', message: event.message };
    case 'stop-requested':
      return { kind: 'stopped' };
  }
}

export function sameState(a: InstanceState, b: InstanceState): boolean {
  switch (a.kind) {
    case 'stopped':
      return b.kind === 'stopped';
    case 'starting':
      return b.kind === 'starting' && a.attempt === b.attempt;
    case 'running':
      return b.kind === 'running' && a.pid === b.pid;
    case 'failed':
      return b.kind === 'failed' && a.message === b.message && a.retrying === b.retrying;
    case 'needs-sign-in':
      return b.kind === 'needs-sign-in' && a.message === b.message;
  }
}

/**
 * Whether the event's own description says more than the line of the state it leaves the
 * instance in (`after`, logged at this event or before it: a requested restart already
 * read as starting, the user's stop as stopped). `starting` and `stopped` say nothing else;
 * every other event (the server's name on `up`, the delay of a retry, an exit's uptime, a
 * warning), and a `stopped` under a sign-in need, keeps its line.
 */
export function eventAddsDetail(event: SupervisorEvent, after: InstanceState): boolean {
  if (event.type === 'starting') return false;
  if (event.type === 'stopped') return after.kind !== 'stopped';
  return true;
}
