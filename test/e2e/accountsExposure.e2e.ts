// Exposure `accounts` in a real VS Code (code-server, headless chromium): two accounts of the
// notes server with the server's own `"exposure": "accounts"` reach vscode.lm.tools as ONE
// server whose tools are listed once each and take an `account` parameter (enum of the
// instance ids), and "MCP: List Servers" shows that server once, under its own label.
// Run: npm run build && node --import tsx --test test/e2e/accountsExposure.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provision, REPO_ROOT } from './lib/environment';
import { mcpToolNames, packageProbe, parseProbeReport } from './lib/probe';
import { VsCodeSession } from './lib/vsCodeSession';
import { packageExtension } from './lib/mcplexVsix';

const NOTES_SERVER = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const TOOLS = ['add_note', 'list_notes', 'read_note', 'search_notes'];
const ACCOUNTS = ['personal', 'work'] as const;

const CONFIG = {
  servers: {
    notes: {
      label: 'Notes',
      command: 'node',
      args: [NOTES_SERVER],
      exposure: 'accounts',
      instances: Object.fromEntries(ACCOUNTS.map((account) => [account, { label: account, env: { ACCOUNT: account } }])),
    },
  },
};

test('a server in accounts exposure is one server whose tools take `account`', { timeout: 600_000 }, async () => {
  const environment = await provision();
  const root = mkdtempSync(join(tmpdir(), 'mcplex-accounts-e2e-'));
  let session: VsCodeSession | undefined;
  try {
    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, '.mcplex.jsonc'), `${JSON.stringify(CONFIG, null, 2)}\n`);
    const probeOutput = join(root, 'probe.json');
    const vsixFiles = await Promise.all([packageExtension(root), packageProbe(root)]);
    session = await VsCodeSession.start({
      workspace,
      vsixFiles,
      environment,
      settings: { 'mcplexProbe.output': probeOutput, 'mcplexProbe.expectMcpTools': TOOLS.length },
    });
    const report = parseProbeReport(await session.waitForFile(probeOutput, 120_000));
    const names = mcpToolNames(report);
    process.stderr.write(`probe: startServers ${JSON.stringify(report.startServers)}, tools ${JSON.stringify(names)}\n`);
    assert.equal(report.startServers.error, undefined);
    assert.equal(names.length, TOOLS.length, `two accounts list as many tools as one: ${names.join(', ')}`);
    const servers = new Set(names.map((name) => name.slice(0, name.length - (TOOLS.find((tool) => name.endsWith(`_${tool}`))?.length ?? 0))));
    assert.equal(servers.size, 1, `one server: ${[...servers].join(', ')}`);
    for (const tool of TOOLS) assert.ok(names.some((name) => name.endsWith(`_${tool}`)), `${tool} is listed once, unprefixed by an account`);
    for (const tool of report.tools.filter((entry) => entry.tags.includes('mcp'))) {
      assert.deepEqual(tool.inputSchema?.properties?.['account']?.enum, [...ACCOUNTS], `${tool.name} takes account`);
      assert.ok(tool.inputSchema?.required?.includes('account'), `${tool.name}: no default, so account is required`);
    }
    assert.ok(names.every((name) => name.startsWith('mcp_notes_')), `VS Code names the tools after the server: ${names.join(', ')}`);

    // VS Code's own list: one "Notes" server, no row per account.
    await session.runCommand('MCP: List Servers');
    const rows = await session.waitForQuickPickRow((row) => row.startsWith('Notes'), 60_000);
    process.stderr.write(`MCP: List Servers rows: ${JSON.stringify(rows)}\n`);
    const notesRows = rows.filter((row) => row.startsWith('Notes'));
    assert.equal(notesRows.length, 1, `one server for both accounts: ${JSON.stringify(rows)}`);
    assert.match(notesRows[0] ?? '', /^Notes,/, `labelled as the server, not an account: ${JSON.stringify(rows)}`);
    await session.screenshot('e2e-accounts-exposure-list-servers');
  } finally {
    try {
      await session?.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});
