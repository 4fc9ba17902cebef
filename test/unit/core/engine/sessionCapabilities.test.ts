// When a multi-session endpoint re-announces its clients' capabilities to an upstream: a table
// of situations and the decision for each (engine/sessionCapabilities.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { nextAnnouncement, type Announcement, type SessionsNow } from '../../../../src/core/engine/sessionCapabilities';

const ELICIT: ClientCapabilities = { elicitation: { form: {} } };
const RICH: ClientCapabilities = { sampling: {}, elicitation: { form: {}, url: {} } };
const keep: Announcement = { kind: 'keep' };
/** `sessions` all arriving (their initialize held), unless `more.served` says how many are served already. */
const running = (sessions: readonly ClientCapabilities[], more: Partial<SessionsNow> = {}): SessionsNow => ({ sessions, served: 0, busy: false, running: true, ...more });

const CASES: readonly (readonly [string, ClientCapabilities, SessionsNow, Announcement])[] = [
  ['no session: nothing to tell', {}, running([]), keep],
  ['a client alone wanting more: restart at once, told it', {}, running([ELICIT]), { kind: 'announce', capabilities: ELICIT, restart: true }],
  ['a client alone already covered: keep', RICH, running([ELICIT]), keep],
  ['a client without capabilities: keep', {}, running([{}]), keep],
  ['not started yet: just told, it hears at its start', {}, running([ELICIT], { running: false }), { kind: 'announce', capabilities: ELICIT, restart: false }],
  ['a richer client arriving beside one already served: keep, never restarted under it', ELICIT, running([ELICIT, RICH], { served: 1 }), keep],
  ['the served one left, the richer one served alone: keep, never restarted under it', ELICIT, running([RICH], { served: 1 }), keep],
  ['a richer client arriving alone: restart with the union before it is served', ELICIT, running([RICH]), { kind: 'announce', capabilities: RICH, restart: true }],
  ['the same, but a call in flight (its session gone): wait for idle', ELICIT, running([RICH], { busy: true }), keep],
  ['not started yet, a session served: just told, it hears at its start', {}, running([ELICIT], { served: 1, running: false }), { kind: 'announce', capabilities: ELICIT, restart: false }],
  ['never narrowed: told more than the sessions left want, keep', RICH, running([{}]), keep],
  ['grows only: the new set keeps what it was told', { sampling: {} }, running([ELICIT]), { kind: 'announce', capabilities: { sampling: {}, elicitation: { form: {} } }, restart: true }],
  ['two new clients, both wanting more: one restart with both', {}, running([ELICIT, { sampling: {} }]), { kind: 'announce', capabilities: { elicitation: { form: {} }, sampling: {} }, restart: true }],
  ['configured roots: a client with roots is covered by them', {}, running([{ roots: { listChanged: true } }], { roots: ['file:///w'] }), keep],
  ['roots false: the client\'s roots are never announced', {}, running([{ roots: {} }], { roots: false }), keep],
  ['experimental only: nothing the relay can pass on to many', {}, running([{ experimental: { x: {} } }]), keep],
];

for (const [name, told, now, expected] of CASES) {
  test(name, () => assert.deepEqual(nextAnnouncement(told, now), expected));
}
