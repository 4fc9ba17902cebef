// The product in a real VS Code (code-server 4.139.1, headless chromium): our own VSIX,
// installed beside the probe, opens examples/two-accounts, hosts both notes instances on
// its unix socket and hands them to VS Code's MCP provider API. Asserts what a user and
// the model see: "MCP: List Servers" rows, and the tools under VS Code's own names with
// the instance note in their descriptions.
// Run: node --import tsx --test test/e2e/extension.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignSlugs, instanceNote } from '../../src/core/naming';
import { provision, REPO_ROOT } from './lib/environment';
import { mcpToolNames, packageProbe, parseProbeReport } from './lib/probe';
import { VsCodeSession } from './lib/vsCodeSession';
import { packageExtension } from './lib/mcplexVsix';

/** Opened in place, read-only: the notes server resolves the repo's @modelcontextprotocol/sdk. */
const WORKSPACE = join(REPO_ROOT, 'examples', 'two-accounts');

/** What examples/two-accounts/.mcplex.jsonc says, and what the naming module makes of it. */
const INSTANCES = [
  { instanceId: 'personal', label: 'Personal', tools: ['add_note', 'list_notes', 'read_note', 'search_notes'] },
  // `tools.deny: ["add_*"]`: the model never sees add_note for work.
  { instanceId: 'work', label: 'Work', tools: ['list_notes', 'read_note', 'search_notes'] },
] as const;

function expectedTools(): { name: string; note: string }[] {
  const slugs = assignSlugs(INSTANCES.map(({ instanceId }) => ({ key: `notes/${instanceId}`, serverId: 'notes', instanceId })));
  return INSTANCES.flatMap(({ instanceId, label, tools }) =>
    // mcplex.toolPrefix is off by default: VS Code's mcp_<slug>_ already names the account.
    tools.map((tool) => ({ name: `mcp_${slugs.get(`notes/${instanceId}`)}_${tool}`, note: instanceNote(label) })),
  );
}

test('examples/two-accounts: both instances run in VS Code and their tools reach the model by distinct names', { timeout: 300_000 }, async () => {
  const environment = await provision();
  const root = mkdtempSync(join(tmpdir(), 'mcplex-ext-e2e-'));
  const began = Date.now();
  const timings: Record<string, number> = {};
  let mark = began;
  const lap = (name: string): void => {
    timings[name] = Date.now() - mark;
    mark = Date.now();
  };
  let session: VsCodeSession | undefined;
  try {
    const expected = expectedTools();
    const probeOutput = join(root, 'probe.json');
    const vsixFiles = await Promise.all([packageExtension(root), packageProbe(root)]);
    lap('package');

    session = await VsCodeSession.start({
      workspace: WORKSPACE,
      vsixFiles,
      environment,
      settings: { 'mcplexProbe.output': probeOutput, 'mcplexProbe.expectMcpTools': expected.length },
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

    await session.runCommand('MCP: List Servers');
    const rows = await session.waitForQuickPickRow((label) => label.startsWith('Notes · Work, Running'), 30_000);
    lap('listServers');
    process.stderr.write(`MCP: List Servers rows: ${JSON.stringify(rows)}\n`);
    for (const label of ['Notes · Personal', 'Notes · Work']) {
      assert.ok(rows.some((row) => row.startsWith(`${label}, Running`)), `no running "${label}" row in ${JSON.stringify(rows)}`);
    }
    await session.screenshot('e2e-extension-list-servers');
    lap('screenshot');
  } finally {
    try {
      await session?.close();
      lap('close');
      process.stderr.write(`extension e2e timings (ms): ${JSON.stringify({ ...timings, total: Date.now() - began, session: session?.timings })}\n`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});
