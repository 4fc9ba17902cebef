// A log per instance: "Show Instance Log" opens the instance's own "MCPlex: <label>" channel,
// with its lines only (redacted as every line is), while the window's channel keeps them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED } from '../../../src/core/redaction';
import { instanceChannelName, LOG_CHANNEL_NAME, McplexLog } from '../../../src/extension/log';
import { createFakeVscode } from '../../helpers/fakeVscode';

test('each instance writes to its own channel, named after its label, and to the window channel', () => {
  const { api, state } = createFakeVscode();
  const log = McplexLog.create(api, () => ['sk-secret-value']);
  log.nameInstance('notes/work', 'Notes · Work');
  log.instanceState('notes/work', { kind: 'starting', attempt: 1 });
  log.upstream('notes/work', 'token sk-secret-value');
  log.instanceState('notes/personal', { kind: 'failed', message: 'exited with code 1', retrying: false });
  log.instanceWarning('notes/work', 'same account as notes/personal');
  log.info('host listening');

  const [window, work, personal] = state.logChannels;
  assert.deepEqual(state.logChannels.map((channel) => channel.name), [LOG_CHANNEL_NAME, 'MCPlex: Notes · Work', 'MCPlex: notes/personal']);
  assert.deepEqual(work?.lines, ['info starting', `info token ${REDACTED}`, 'warn same account as notes/personal']);
  assert.deepEqual(personal?.lines, ['error failed: exited with code 1']);
  assert.deepEqual(window?.lines, [
    'info [notes/work] starting',
    `info [notes/work] token ${REDACTED}`,
    'info [notes/personal] failed: exited with code 1',
    'warn [notes/work] same account as notes/personal',
    'info host listening',
  ]);

  log.showInstance('notes/work');
  assert.deepEqual([window?.shown, work?.shown], [0, 1]);
  // An instance with no line yet gets its channel when its log is asked for.
  log.showInstance('mail/home', 'Mail · Home');
  assert.equal(state.logChannels.at(-1)?.name, instanceChannelName('Mail · Home'));
  assert.equal(state.logChannels.at(-1)?.shown, 1);

  log.dispose();
  assert.ok(state.logChannels.every((channel) => channel.disposed));
});
