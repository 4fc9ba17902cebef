// Names in a real VS Code (code-server 4.139.1, headless chromium): the two accounts of one
// server (`memory`, whose `memory-personal` VS Code would cut to `memo-personal`) reach
// vscode.lm.tools under one stem, `mcp_memory-…`, so they sort side by side; the names are
// computed from the naming module, never written out here.
// Run: npm run build && node --import tsx --test test/e2e/names.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignSlugs, serverStems } from '../../src/core/naming';
import { provision, REPO_ROOT } from './lib/environment';
import { mcpToolNames, packageProbe, parseProbeReport } from './lib/probe';
import { VsCodeSession } from './lib/vsCodeSession';
import { packageExtension } from './lib/mcplexVsix';

/** The demo notes server, by absolute path, so it resolves the repo's SDK from any workspace. */
const NOTES_SERVER = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const TOOLS = ['add_note', 'list_notes', 'read_note', 'search_notes'];
const ACCOUNTS = ['personal', 'work'] as const;

const CONFIG = {
  servers: {
    memory: {
      label: 'Memory',
      command: 'node',
      args: [NOTES_SERVER],
      instances: Object.fromEntries(ACCOUNTS.map((account) => [account, { label: account, env: { ACCOUNT: account } }])),
    },
  },
};

test('the two accounts of one server show one stem in vscode.lm.tools', { timeout: 300_000 }, async () => {
  const environment = await provision();
  const root = mkdtempSync(join(tmpdir(), 'mcplex-names-e2e-'));
  let session: VsCodeSession | undefined;
  try {
    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, '.mcplex.jsonc'), `${JSON.stringify(CONFIG, null, 2)}\n`);
    const slugs = assignSlugs(ACCOUNTS.map((instanceId) => ({ key: `memory/${instanceId}`, serverId: 'memory', instanceId })));
    const stem = serverStems(['memory']).get('memory') ?? '';
    const expected = ACCOUNTS.flatMap((account) => TOOLS.map((tool) => `mcp_${slugs.get(`memory/${account}`) ?? ''}_${tool}`)).sort();
    const probeOutput = join(root, 'probe.json');
    const vsixFiles = await Promise.all([packageExtension(root), packageProbe(root)]);
    session = await VsCodeSession.start({
      workspace,
      vsixFiles,
      environment,
      settings: { 'mcplexProbe.output': probeOutput, 'mcplexProbe.expectMcpTools': expected.length },
    });
    const report = parseProbeReport(await session.waitForFile(probeOutput, 120_000));
    const names = mcpToolNames(report);
    process.stderr.write(`probe: startServers ${JSON.stringify(report.startServers)}, tools ${JSON.stringify(names)}\n`);
    assert.equal(report.startServers.error, undefined);
    assert.deepEqual(names, expected);
    const stems = new Set(names.map((name) => name.slice(0, name.indexOf('-') + 1)));
    assert.deepEqual([...stems], [`mcp_${stem}-`], 'one stem for both accounts');
    assert.ok(names.every((name) => name.length <= 64));
  } finally {
    try {
      await session?.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});
