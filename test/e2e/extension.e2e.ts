// The product in a real VS Code (code-server 4.139.1, headless chromium): our own VSIX,
// installed beside the probe, opens examples/two-accounts, hosts both notes instances on
// its unix socket and hands them to VS Code's MCP provider API. Asserts what a user and
// the model see: "MCP: List Servers" rows, the tools under VS Code's own names with the
// instance note in their descriptions, and that calling an account's tool through VS Code's
// own MCP client (vscode.lm.invokeTool) reaches that account's server and no other.
// Run: node --import tsx --test test/e2e/extension.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assignSlugs, instanceNote } from '../../src/core/naming';
import { E2eRun } from './lib/e2eRun';
import { REPO_ROOT } from './lib/environment';
import { invocationSettings, invokeTools, mcpToolNames, parseProbeReport, resultText } from './lib/probe';

/** Opened in place, read-only: the notes server resolves the repo's @modelcontextprotocol/sdk. */
const WORKSPACE = join(REPO_ROOT, 'examples', 'two-accounts');

/** What examples/two-accounts/.mcplex.jsonc says, and what the naming module makes of it. */
const INSTANCES = [
  { instanceId: 'personal', label: 'Personal', tools: ['add_note', 'list_notes', 'read_note', 'search_notes'] },
  // `tools.deny: ["add_*"]`: the model never sees add_note for work.
  { instanceId: 'work', label: 'Work', tools: ['list_notes', 'read_note', 'search_notes'] },
] as const;

function slugs(): ReadonlyMap<string, string> {
  return assignSlugs(INSTANCES.map(({ instanceId }) => ({ key: `notes/${instanceId}`, serverId: 'notes', instanceId })));
}

/** VS Code's name of `tool` of one instance (mcplex.toolPrefix is off by default: VS Code's mcp_<slug>_ already names the account). */
function toolName(instanceId: (typeof INSTANCES)[number]['instanceId'], tool: string): string {
  return `mcp_${slugs().get(`notes/${instanceId}`)}_${tool}`;
}

function expectedTools(): { name: string; note: string }[] {
  return INSTANCES.flatMap(({ instanceId, label, tools }) => tools.map((tool) => ({ name: toolName(instanceId, tool), note: instanceNote(label) })));
}

/** A note no seed has (the seeds: personal "Groceries", "Trip"; work "Standup", "Roadmap"). */
const NEW_NOTE = { title: 'Dentist', body: 'Tuesday at nine.' };

test('examples/two-accounts: both instances run in VS Code, their tools reach the model by distinct names, and each call reaches its own account', { timeout: 300_000 }, async () => {
  const run = await E2eRun.create('ext');
  const { root } = run;
  const began = Date.now();
  const timings: Record<string, number> = {};
  let mark = began;
  const lap = (name: string): void => {
    timings[name] = Date.now() - mark;
    mark = Date.now();
  };
  try {
    const expected = expectedTools();
    const { probeOutput } = run;
    const personalList = toolName('personal', 'list_notes');
    const workList = toolName('work', 'list_notes');
    const personalAdd = toolName('personal', 'add_note');

    const session = await run.startMcplex({
      workspace: WORKSPACE,
      probe: { expectMcpTools: expected.length },
      settings: {
        ...invocationSettings(root),
        // Outside a chat, VS Code confirms a tool without readOnlyHint (add_note) in a modal;
        // this per-tool entry approves that one tool and nothing else (the probe sets VS Code's
        // test context key that skips the one-time global opt-in modal). list_notes is read-only.
        'chat.tools.global.autoApprove': { [personalAdd]: true },
      },
    });
    lap('startVsCode');

    const report = parseProbeReport(await session.waitForFile(probeOutput, 90_000));
    lap('probeReport');
    process.stderr.write(`probe: startServers ${JSON.stringify(report.startServers)}, tools ${JSON.stringify(mcpToolNames(report))}\n`);
    assert.deepEqual(report.providerExtensions.map((extension) => [extension.id, extension.active]), [['mcplex.mcplex', true]]);
    assert.equal(report.startServers.error, undefined);
    assert.deepEqual(mcpToolNames(report), expected.map((tool) => tool.name).sort());
    const sample = report.tools.find((tool) => tool.name === expected.at(-1)?.name);
    process.stderr.write(`${sample?.name} description: ${JSON.stringify(sample?.description)}\n`);
    for (const { name, note } of expected) {
      const tool = report.tools.find((candidate) => candidate.name === name);
      assert.ok(tool?.description.endsWith(note), `${name}: description ${JSON.stringify(tool?.description)} lacks ${JSON.stringify(note)}`);
    }

    // The central promise: the model calls an account's tool and the call reaches that
    // account. In order, so the write is seen by the reads after it.
    const invocation = await invokeTools(session, root, [
      { name: personalList, input: {} },
      { name: workList, input: {} },
      { name: personalAdd, input: NEW_NOTE },
      { name: personalList, input: {} },
      { name: workList, input: {} },
    ]);
    lap('invokeTools');
    process.stderr.write(`invokeTool results: ${JSON.stringify(invocation.results)}\n`);
    // A call that timed out usually sits behind a confirmation modal: keep a picture of it.
    if (invocation.results.some((result) => !result.ok)) await session.screenshot('e2e-extension-invoke-failed');
    const [personalBefore, workBefore, added, personalAfter, workAfter] = invocation.results.map(resultText);
    assert.match(personalBefore ?? '', /Groceries/, `${personalList} answered ${JSON.stringify(personalBefore)}`);
    assert.doesNotMatch(personalBefore ?? '', /Standup/, `${personalList} answered with work's notes: ${JSON.stringify(personalBefore)}`);
    assert.match(workBefore ?? '', /Standup/, `${workList} answered ${JSON.stringify(workBefore)}`);
    assert.doesNotMatch(workBefore ?? '', /Groceries/, `${workList} answered with personal's notes: ${JSON.stringify(workBefore)}`);
    assert.match(added ?? '', /^Added note \d+\.$/, `${personalAdd} answered ${JSON.stringify(added)}`);
    // State stays per account: the note is personal's alone.
    assert.match(personalAfter ?? '', new RegExp(`: ${NEW_NOTE.title}$`, 'm'), `${personalList} after add_note: ${JSON.stringify(personalAfter)}`);
    assert.match(personalAfter ?? '', /Groceries/);
    assert.doesNotMatch(workAfter ?? '', new RegExp(NEW_NOTE.title), `${workList} shows personal's new note: ${JSON.stringify(workAfter)}`);
    assert.match(workAfter ?? '', /Standup/);

    await session.runCommand('MCP: List Servers');
    const rows = await session.waitForQuickPickRow((label) => label.startsWith('Notes (Work), Running'), 30_000);
    lap('listServers');
    process.stderr.write(`MCP: List Servers rows: ${JSON.stringify(rows)}\n`);
    for (const label of ['Notes (Personal)', 'Notes (Work)']) {
      assert.ok(rows.some((row) => row.startsWith(`${label}, Running`)), `no running "${label}" row in ${JSON.stringify(rows)}`);
    }
    await session.screenshot('e2e-extension-list-servers');
    lap('screenshot');
  } finally {
    await run.close();
    lap('close');
    process.stderr.write(`extension e2e timings (ms): ${JSON.stringify({ ...timings, total: Date.now() - began, session: run.session?.timings })}\n`);
  }
});
