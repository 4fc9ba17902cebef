import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, LoggingMessageNotificationSchema, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createInstanceRelay } from '../../../../src/core/mux';
import { clientOf, eventually, upstreamOf } from '../../../helpers/muxHarness';
import { createUpstream } from '../../../helpers/inProcessUpstream';

async function setup() {
  const upstream = createUpstream();
  const { source } = await upstreamOf('work', upstream.server);
  const relay = createInstanceRelay({ source, slug: 'work', label: 'Work', prefixTools: true });
  return { ...upstream, relay };
}

function logged(client: Client): unknown[] {
  const messages: unknown[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void messages.push(notification.params.data));
  return messages;
}

test('each session gets the log messages of its own level; the upstream has the most verbose one', async () => {
  const { relay, record, server } = await setup();
  const [verbose, quiet, unset] = [await clientOf(relay), await clientOf(relay), await clientOf(relay)];
  const [ofVerbose, ofQuiet, ofUnset] = [logged(verbose), logged(quiet), logged(unset)];
  await quiet.setLoggingLevel('error');
  await verbose.setLoggingLevel('debug');
  // The quiet session's later 'error' would have made the upstream quiet for everybody.
  await quiet.setLoggingLevel('error');
  assert.deepEqual(record.levels, ['error', 'debug']);
  for (const level of ['debug', 'warning', 'error'] satisfies LoggingLevel[]) await server.sendLoggingMessage({ level, data: level });
  await eventually(() => ofVerbose.length === 3 && ofUnset.length === 3 && ofQuiet.length === 1);
  assert.deepEqual(ofVerbose, ['debug', 'warning', 'error']);
  assert.deepEqual(ofQuiet, ['error']);
  assert.deepEqual(ofUnset, ['debug', 'warning', 'error'], 'a session that never set a level gets what the upstream sends');
  await relay.close();
});

test('when the most verbose session leaves, the upstream goes back up to the most verbose level left', async () => {
  const { relay, record } = await setup();
  const [verbose, quiet] = [await clientOf(relay), await clientOf(relay)];
  await quiet.setLoggingLevel('warning');
  await verbose.setLoggingLevel('info');
  await verbose.close();
  await eventually(() => record.levels.length === 3);
  assert.deepEqual(record.levels, ['warning', 'info', 'warning']);
  await relay.close();
});

test('an unknown level is the client\'s error and reaches no upstream', async () => {
  const { relay, record } = await setup();
  const client = await clientOf(relay);
  await assert.rejects(client.request({ method: 'logging/setLevel', params: { level: 'loud' } }, LoggingMessageNotificationSchema.shape.params.partial()), (error: { code?: number }) => error.code === ErrorCode.InvalidParams);
  assert.deepEqual(record.levels, []);
  await relay.close();
});
