// The window's approval modal for tools.confirm: what it shows and how each answer reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ALLOW_FOR_SESSION, ALLOW_ONCE, DENY, modalApproval } from '../../../src/extension/approvalModal';
import { Redactor } from '../../../src/core/redaction';
import type { ApprovalRequest } from '../../../src/core/mux';
import type { VsCodeApi } from '../../../src/extension/vscodeApi';
import { createFakeVscode } from '../../helpers/fakeVscode';

const SECRET = 'sk-live-0123456789abcdef';

function request(args: Record<string, unknown>): ApprovalRequest {
  return {
    instance: 'work',
    account: 'Ledger · Work',
    tool: 'add_entry',
    arguments: args,
    session: { server: {} as Server, lastActive: 0 },
    requestId: 1,
    signal: new AbortController().signal,
  };
}

function setUp(answer: string | undefined) {
  const { api, state } = createFakeVscode();
  state.warningAnswer = answer;
  const redactor = new Redactor();
  redactor.add(SECRET);
  return { approval: modalApproval(api as unknown as VsCodeApi, redactor), state };
}

describe('modalApproval', () => {
  it('asks with a modal naming the account, the tool and the arguments, secrets hidden', async () => {
    const { approval, state } = setUp(ALLOW_ONCE);
    await approval.approve(request({ text: 'rent', token: SECRET }));
    assert.equal(state.warningMessages.length, 1);
    const shown = state.warningMessages[0]!;
    assert.equal(shown.message, 'Allow "add_entry" on Ledger · Work?');
    assert.deepEqual(shown.items, [ALLOW_ONCE, ALLOW_FOR_SESSION, DENY]);
    const options = shown.options as { modal: boolean; detail: string };
    assert.equal(options.modal, true);
    assert.match(options.detail, /Account: Ledger · Work/);
    assert.match(options.detail, /Tool: add_entry/);
    assert.match(options.detail, /"text": "rent"/);
    assert.ok(!options.detail.includes(SECRET), 'the secret value never reaches the modal');
  });

  it('reads each answer: once, for the session, deny, and Escape as a no', async () => {
    assert.deepEqual(await setUp(ALLOW_ONCE).approval.approve(request({})), { kind: 'once' });
    assert.deepEqual(await setUp(ALLOW_FOR_SESSION).approval.approve(request({})), { kind: 'session' });
    assert.equal((await setUp(DENY).approval.approve(request({}))).kind, 'declined');
    assert.equal((await setUp(undefined).approval.approve(request({}))).kind, 'declined');
  });

  it('cuts long arguments', async () => {
    const { approval, state } = setUp(DENY);
    await approval.approve(request({ text: 'x'.repeat(10_000) }));
    const detail = (state.warningMessages[0]!.options as { detail: string }).detail;
    assert.ok(detail.length < 3_000, `detail is ${detail.length} characters`);
    assert.match(detail, /more characters\)/);
  });
});
