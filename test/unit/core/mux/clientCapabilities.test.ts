import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { capabilitiesBeyond, coversCapabilities, forOneClient, forSession, relayClientCapabilities, unionCapabilities, RELAY_CLIENT_CAPABILITIES, VSCODE_CLIENT_CAPABILITIES } from '../../../../src/core/mux';
import { needOf } from '../../../../src/core/mux/serverRequestNeeds';

test('one client: exactly its capabilities, as far as the relay passes them on', () => {
  assert.deepEqual(forOneClient({}), {});
  assert.deepEqual(forOneClient({ elicitation: { form: {} } }), { elicitation: { form: {} } });
  assert.deepEqual(forOneClient({ sampling: { tools: {} }, roots: {} }), { sampling: { tools: {} }, roots: {} });
  assert.deepEqual(forOneClient({ tasks: { list: {} }, experimental: { x: {} } }), { tasks: { list: {} }, experimental: { x: {} } });
  // An extension passes only if the relay relays it.
  assert.deepEqual(forOneClient({ extensions: { 'example/unknown': {} } }), {});
  assert.deepEqual(forOneClient({ extensions: { 'example/known': { a: 1 } } }, { extensions: { 'example/known': {} } }), { extensions: { 'example/known': { a: 1 } } });
});

test('roots as the instance says: its own roots are announced whatever the client, false drops them', () => {
  assert.deepEqual(relayClientCapabilities(['file:///a'], {}), { roots: { listChanged: true } });
  assert.deepEqual(relayClientCapabilities(false, { roots: {}, sampling: {} }), { sampling: {} });
  assert.deepEqual(relayClientCapabilities(undefined, { sampling: {} }), { sampling: {} });
});

test("VS Code's set is what VS Code announces, within what the relay passes on", () => {
  assert.deepEqual(VSCODE_CLIENT_CAPABILITIES.elicitation, { form: {}, url: {} });
  assert.ok(VSCODE_CLIENT_CAPABILITIES.sampling && VSCODE_CLIENT_CAPABILITIES.roots && VSCODE_CLIENT_CAPABILITIES.tasks);
  for (const key of Object.keys(VSCODE_CLIENT_CAPABILITIES)) assert.ok(key in RELAY_CLIENT_CAPABILITIES, key);
});

test('what a session needs to serve each request, and how one without it refuses', () => {
  const url = needOf('elicitation/create', { mode: 'url' });
  assert.equal(url?.supports({ elicitation: { form: {} } }), false);
  assert.equal(url?.supports({ elicitation: { url: {} } }), true);
  assert.equal(url?.partly?.code, ErrorCode.InvalidParams);
  const form = needOf('elicitation/create', {});
  assert.equal(form?.supports({ elicitation: {} }), true, 'an empty elicitation is form mode');
  assert.equal(form?.supports({ elicitation: { url: {} } }), false);
  assert.equal(needOf('sampling/createMessage', {})?.supports({}), false);
  assert.equal(needOf('sampling/createMessage', { task: {} })?.supports({ sampling: {} }), false);
  assert.equal(needOf('sampling/createMessage', { task: {} })?.supports({ sampling: {}, tasks: { requests: { sampling: { createMessage: {} } } } }), true);
  assert.equal(needOf('tasks/get', { taskId: 't' })?.supports({}), false);
  assert.equal(needOf('ping', {}), undefined);
});

test('many sessions: union, coverage and what goes beyond, at every depth', () => {
  assert.deepEqual(unionCapabilities(), {});
  assert.deepEqual(unionCapabilities({ elicitation: { form: {} } }, { elicitation: { url: {} }, sampling: {} }), { elicitation: { form: {}, url: {} }, sampling: {} });
  assert.deepEqual(unionCapabilities({ roots: { listChanged: true } }, { roots: {} }), { roots: { listChanged: true } });
  assert.equal(coversCapabilities({ elicitation: { form: {}, url: {} } }, { elicitation: { form: {} } }), true);
  assert.equal(coversCapabilities({ elicitation: { form: {} } }, { elicitation: { url: {} } }), false);
  assert.equal(coversCapabilities({}, {}), true);
  assert.deepEqual(capabilitiesBeyond({ elicitation: { form: {} } }, { elicitation: { form: {}, url: {} }, sampling: {} }), { elicitation: { url: {} }, sampling: {} });
  assert.deepEqual(capabilitiesBeyond(RELAY_CLIENT_CAPABILITIES, { sampling: {}, roots: {} }), {});
  // An experimental request names nobody who can answer it: not announced for many sessions.
  assert.deepEqual(forSession({ sampling: {}, experimental: { x: {} } }), { sampling: {} });
});
