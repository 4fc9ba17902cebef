// The relay's approval step (tools.confirm) with a host's approver, as the window uses it:
// a real ledger process behind an instance relay, the approver a recording stub. "Allow for
// this session" stops the questions for that tool (its calls then take the fast path again)
// until the upstream reconnects; a declined call never reaches the ledger.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInstanceRelay, type ApprovalAnswer, type ApprovalRequest, type CallApproval, type UpstreamSource, type UpstreamState } from '../../../../src/core/mux';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';
import { fixtureSpec, ledgerCalls } from '../../../fixtures/servers/index';
import { clientOf } from '../../../helpers/muxHarness';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-approval-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A source whose connection the test replaces, as a supervisor's restart does. */
function switchable(key: string, first: UpstreamConnection): UpstreamSource & { reconnect(next: UpstreamConnection): void } {
  let state: UpstreamState = { kind: 'up', connection: first };
  const listeners = new Set<(state: UpstreamState) => void>();
  return {
    key,
    state: () => state,
    onStateChange(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    whenSettled: () => Promise.resolve(),
    reconnect(next) {
      state = { kind: 'up', connection: next };
      for (const listener of [...listeners]) listener(state);
    },
  };
}

function recording(answers: ApprovalAnswer[]): CallApproval & { asked: ApprovalRequest[] } {
  const asked: ApprovalRequest[] = [];
  return {
    asked,
    approve: (request) => {
      asked.push(request);
      return Promise.resolve(answers.shift() ?? { kind: 'declined', reason: 'no answer left' });
    },
  };
}

describe('the relay asks its approver before a confirmed call', { timeout: 60_000 }, () => {
  it('once, for the session (until the upstream reconnects), and declined', async () => {
    const log = join(dir, 'ledger.jsonl');
    const first = await connectUpstream(fixtureSpec('ledger', { LEDGER_LOG: log }), { instance: 'ledger/work' });
    const second = await connectUpstream(fixtureSpec('ledger', { LEDGER_LOG: log }), { instance: 'ledger/work' });
    const source = switchable('work', first);
    const approval = recording([{ kind: 'session' }, { kind: 'declined', reason: 'denied in VS Code' }, { kind: 'once' }]);
    const relay = createInstanceRelay({ source, slug: 'work', label: 'Work', account: 'Ledger · Work', prefixTools: false, tools: { confirm: ['add_entry'] }, approval });
    const client = await clientOf(relay);
    try {
      await client.listTools();
      await client.callTool({ name: 'add_entry', arguments: { text: 'a' } });
      await client.callTool({ name: 'add_entry', arguments: { text: 'b' } });
      assert.equal(approval.asked.length, 1, '"for this session" is not asked again');
      assert.deepEqual(approval.asked[0]?.account, 'Ledger · Work');
      assert.deepEqual(approval.asked[0]?.arguments, { text: 'a' });
      // A restart: the new process is not what the user allowed.
      source.reconnect(second);
      await client.listTools();
      const declined = await client.callTool({ name: 'add_entry', arguments: { text: 'c' } });
      assert.equal(declined.isError, true);
      assert.deepEqual(declined._meta, { 'mcplex/declined': true });
      await client.callTool({ name: 'add_entry', arguments: { text: 'd' } });
      assert.equal(approval.asked.length, 3);
      assert.deepEqual(ledgerCalls(log).map((call) => call.arguments['text']), ['a', 'b', 'd']);
    } finally {
      await client.close();
      await relay.close();
      await first.close();
      await second.close();
    }
  });
});
