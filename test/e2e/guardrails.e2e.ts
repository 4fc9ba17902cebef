// tools.confirm (issue 17) in a real VS Code: the ledger fixture as one account whose
// add_entry needs approval. The probe invokes add_entry through VS Code's own MCP client
// (`vscode.lm.invokeTool`, as the model would); mcplex's modal names the account, the tool
// and the arguments. Denied: the ledger never sees the call and the result says the user
// declined; allowed once: the ledger sees it exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignSlugs } from '../../src/core/naming';
import { fixturePath, ledgerCalls } from '../fixtures/servers';
import { E2eRun } from './lib/e2eRun';
import { invocationSettings, invokeTools, mcpToolNames, parseProbeReport, type ToolCallResult } from './lib/probe';
import { clickDialogButton, dialogButtons, waitForDialog } from './lib/workbenchParts';

/** What VS Code gave back for a call, whether as parts or as an error. */
function said(result: ToolCallResult | undefined): string {
  return `${(result?.parts ?? []).map((part) => part.text ?? '').join('\n')}${result?.error ?? ''}`;
}

test('tools.confirm: the approval modal in VS Code, denied and allowed', { timeout: 300_000 }, async () => {
  const run = await E2eRun.create('guardrails');
  const { root } = run;
  const workspace = join(root, 'workspace');
  const log = join(root, 'ledger.jsonl');
  try {
    mkdirSync(workspace);
    const ledger = { label: 'Ledger', command: process.execPath, args: [fixturePath('ledger')], env: { LEDGER_LOG: log }, instances: { work: { label: 'Work', tools: { confirm: ['add_entry'] } } } };
    writeFileSync(join(workspace, '.mcplex.jsonc'), JSON.stringify({ servers: { ledger } }, null, 2));
    const slug = assignSlugs([{ key: 'ledger/work', serverId: 'ledger', instanceId: 'work' }]).get('ledger/work');
    const add = `mcp_${slug}_add_entry`;
    const { probeOutput } = run;
    const session = await run.startMcplex({
      workspace,
      probe: { expectMcpTools: 5 },
      settings: {
        ...invocationSettings(root),
        // VS Code's own confirmation is not what this test is about: only mcplex's asks.
        'chat.tools.global.autoApprove': { [add]: true },
        'mcplexProbe.invokeTimeoutMs': 120_000,
      },
    });
    const report = parseProbeReport(await session.waitForFile(probeOutput, 90_000));
    process.stderr.write(`probe: startServers ${JSON.stringify(report.startServers)}, tools ${JSON.stringify(mcpToolNames(report))}\n`);
    assert.ok(mcpToolNames(report).includes(add), `VS Code lists ${add}`);
    const page = session.page;

    // Denied: the modal says who, what and with which arguments; nothing reaches the ledger.
    const denied = invokeTools(session, root, [{ name: add, input: { text: 'never' } }], 150_000);
    const question = await waitForDialog(page, 60_000);
    const buttons = await dialogButtons(page);
    process.stderr.write(`mcplex asks: ${JSON.stringify(question)} ${JSON.stringify(buttons)}\n`);
    await session.screenshot('e2e-guardrails-modal');
    assert.match(question, /Allow "add_entry" on Ledger \(Work\)\?/);
    assert.match(question, /"text": "never"/);
    for (const button of ['Allow Once', 'Allow for This Session', 'Deny']) assert.ok(buttons.includes(button), `the modal has "${button}"`);
    await clickDialogButton(page, 'Deny');
    const deniedResult = (await denied).results[0];
    process.stderr.write(`denied: ${JSON.stringify(deniedResult)}\n`);
    assert.match(said(deniedResult), /The user declined the call to "add_entry" on Ledger \(Work\)/);
    assert.deepEqual(ledgerCalls(log), [], 'a denied call never reaches the ledger');

    // Allowed once: it reaches the ledger exactly once.
    const allowed = invokeTools(session, root, [{ name: add, input: { text: 'once' } }], 150_000);
    await waitForDialog(page, 60_000);
    await clickDialogButton(page, 'Allow Once');
    const allowedResult = (await allowed).results[0];
    process.stderr.write(`allowed: ${JSON.stringify(allowedResult)}\n`);
    assert.equal(allowedResult?.ok, true);
    assert.match(said(allowedResult), /added: once/);
    assert.deepEqual(ledgerCalls(log), [{ tool: 'add_entry', arguments: { text: 'once' } }]);
  } finally {
    await run.close();
  }
});
