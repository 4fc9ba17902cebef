// tools.confirm through `mcplex serve` over stdio (issue 17): the ledger fixture as two
// accounts of one aggregate — `work` confirms `add_entry` and `delete_*` by name, `personal`
// confirms "writes" (every tool not annotated read-only). The ledger's LEDGER_LOG proves
// what reached it: a declined call never does, an approved one does exactly once, and a
// client that cannot be asked (no elicitation) is refused with an error that says what to do.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { stdioClient } from '../../helpers/cli';
import { fixturePath, ledgerCalls } from '../../fixtures/servers/index';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-confirm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let served = 0;
/** A fresh config (and fresh ledgers) per client, so each test reads only its own calls. */
function setUp(): { file: string; work: string; personal: string } {
  const n = ++served;
  const work = join(dir, `work-${n}.jsonl`);
  const personal = join(dir, `personal-${n}.jsonl`);
  const file = join(dir, `confirm-${n}.mcplex.jsonc`);
  const ledger = { command: process.execPath, args: [fixturePath('ledger')] };
  writeFileSync(
    file,
    JSON.stringify({
      servers: {
        ledger: {
          ...ledger,
          label: 'Ledger',
          instances: {
            work: { label: 'Work', env: { LEDGER_LOG: work }, tools: { confirm: ['add_entry', 'delete_*'] } },
            personal: { label: 'Personal', env: { LEDGER_LOG: personal }, tools: { confirm: 'writes' } },
          },
        },
      },
    }),
  );
  return { file, work, personal };
}

type Answer = (request: ElicitRequest) => ElicitResult;

async function serve(file: string, answer: Answer | undefined): Promise<{ client: Client; asked: ElicitRequest[] }> {
  const asked: ElicitRequest[] = [];
  const client = await stdioClient(['serve', '--config', file], {}, answer === undefined ? {} : { elicitation: { form: {} } });
  if (answer !== undefined) {
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request);
      return answer(request);
    });
  }
  after(() => client.close());
  return { client, asked };
}

const accept: Answer = () => ({ action: 'accept', content: { approve: true } });
const decline: Answer = () => ({ action: 'decline' });

function text(result: Record<string, unknown>): string {
  const content = result['content'] as { type: string; text?: string }[];
  return content.map((item) => item.text ?? '').join('\n');
}

describe('tools.confirm through mcplex serve', { timeout: 120_000 }, () => {
  it('a declined call never reaches the upstream and tells the model so', async () => {
    const { file, work } = setUp();
    const { client, asked } = await serve(file, decline);
    const result = await client.callTool({ name: 'work__add_entry', arguments: { text: 'salary' } });
    assert.equal(result.isError, true);
    assert.match(text(result), /^The user declined the call to "add_entry" on Ledger \(Work\)/);
    assert.deepEqual(result._meta, { 'mcplex/declined': true });
    assert.equal(asked.length, 1);
    const message = asked[0]!.params.message;
    assert.match(message, /"add_entry" on Ledger \(Work\)/, 'names the account and the tool');
    assert.match(message, /"text": "salary"/, 'shows the arguments');
    // A tool not under confirm runs without a question, and proves the ledger was reachable.
    await client.callTool({ name: 'work__read_entries', arguments: {} });
    assert.deepEqual(ledgerCalls(work).map((call) => call.tool), ['read_entries']);
    assert.equal(asked.length, 1);
  });

  it('an approved call reaches the upstream exactly once', async () => {
    const { file, work } = setUp();
    const { client, asked } = await serve(file, accept);
    const result = await client.callTool({ name: 'work__add_entry', arguments: { text: 'rent' } });
    assert.equal(result.isError, undefined);
    assert.equal(text(result), 'added: rent');
    assert.deepEqual(ledgerCalls(work), [{ tool: 'add_entry', arguments: { text: 'rent' } }]);
    assert.equal(asked.length, 1);
    // Approval in a client is once: the next call asks again.
    await client.callTool({ name: 'work__delete_all', arguments: {} });
    assert.equal(asked.length, 2);
    assert.deepEqual(ledgerCalls(work).map((call) => call.tool), ['add_entry', 'delete_all']);
  });

  it('an accept without approve ticked is a no', async () => {
    const { file, work } = setUp();
    const { client } = await serve(file, () => ({ action: 'accept', content: { approve: false } }));
    const result = await client.callTool({ name: 'work__delete_all', arguments: {} });
    assert.equal(result.isError, true);
    assert.deepEqual(result._meta, { 'mcplex/declined': true });
    assert.deepEqual(ledgerCalls(work), []);
  });

  it('a client without elicitation is refused with what to do, and nothing reaches the upstream', async () => {
    const { file, work } = setUp();
    const { client } = await serve(file, undefined);
    await assert.rejects(client.callTool({ name: 'work__add_entry', arguments: { text: 'x' } }), (error: Error) => {
      assert.match(error.message, /"add_entry" on Ledger \(Work\) needs your approval, and this client cannot ask you/);
      assert.match(error.message, /remove it from tools\.confirm/);
      return true;
    });
    await client.callTool({ name: 'work__count_entries', arguments: {} });
    assert.deepEqual(ledgerCalls(work).map((call) => call.tool), ['count_entries']);
  });

  it('"writes" confirms every tool not annotated read-only', async () => {
    const { file, personal } = setUp();
    const { client, asked } = await serve(file, accept);
    for (const tool of ['read_entries', 'count_entries', 'add_entry', 'delete_all']) {
      await client.callTool({ name: `personal__${tool}`, arguments: tool === 'add_entry' ? { text: 'a' } : {} });
    }
    const askedAbout = asked.map((request) => /"(\w+)" on/.exec(request.params.message)?.[1]);
    assert.deepEqual(askedAbout, ['add_entry', 'delete_all']);
    assert.deepEqual(ledgerCalls(personal).map((call) => call.tool), ['read_entries', 'count_entries', 'add_entry', 'delete_all']);
  });
});
