// Proves the end-to-end harness in a real VS Code (code-server 4.139.1 in headless chromium):
// a provider extension's stdio server is started by VS Code, its tool reaches
// `vscode.lm.tools` under VS Code's own name for it, and "MCP: List Servers" shows it by
// its label as running. Run: node --import tsx --test test/e2e/*.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provision, REPO_ROOT } from './lib/environment';
import { mcpToolNames, packageProbe, parseProbeReport } from './lib/probe';
import { writeStdioProviderExtension } from './lib/stdioProviderExtension';
import { VsCodeSession } from './lib/vsCodeSession';
import { packageVsix } from './lib/vsix';

const ECHO_SERVER = join(REPO_ROOT, 'test', 'fixtures', 'servers', 'echo.mjs');

test('VS Code starts a provided stdio server, names its tool and lists it by label', { timeout: 300_000 }, async () => {
  assert.ok(existsSync(ECHO_SERVER), `${ECHO_SERVER} is missing`);
  const environment = await provision();
  const root = mkdtempSync(join(tmpdir(), 'mcplex-smoke-'));
  let session: VsCodeSession | undefined;
  try {
    const providerDir = join(root, 'provider');
    writeStdioProviderExtension(providerDir, {
      name: 'mcplex-smoke-provider',
      definitions: [
        {
          label: 'Echo · Work',
          // The runner's own node (20): the fixture server imports the repo's SDK.
          command: process.execPath,
          args: [ECHO_SERVER],
          env: { SERVER_NAME: 'echo-work' },
          version: '1',
        },
      ],
    });
    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'README.md'), '# smoke\n');
    const probeOutput = join(root, 'probe.json');
    const vsixFiles = await Promise.all([packageVsix(providerDir, join(root, 'provider.vsix')), packageProbe(root)]);

    session = await VsCodeSession.start({
      workspace,
      vsixFiles,
      environment,
      settings: { 'mcplexProbe.output': probeOutput },
    });

    const timings = session.timings;
    let mark = Date.now();
    const lap = (name: string): void => {
      timings[name] = Date.now() - mark;
      mark = Date.now();
    };
    const report = parseProbeReport(await session.waitForFile(probeOutput, 90_000));
    lap('probeReport');
    process.stderr.write(`probe: startServers ${JSON.stringify(report.startServers)}, tools ${JSON.stringify(mcpToolNames(report))}\n`);
    assert.equal(report.startServers.error, undefined);
    assert.ok(report.startServers.ok);
    assert.deepEqual(
      report.providerExtensions.map((extension) => [extension.id, extension.active]),
      [['mcplex-test.mcplex-smoke-provider', true]],
    );
    // VS Code's name: mcp_<serverInfo.name, slugged>_<tool> (DESIGN.md, "Facts").
    assert.deepEqual(mcpToolNames(report), ['mcp_echo-work_echo']);
    const echo = report.tools.find((tool) => tool.name === 'mcp_echo-work_echo');
    assert.equal(echo?.description, 'Returns the text it is given.');

    await session.runCommand('MCP: List Servers');
    lap('runCommand');
    const rows = await session.waitForQuickPickRow((label) => label.startsWith('Echo · Work'));
    lap('listServers');
    process.stderr.write(`MCP: List Servers rows: ${JSON.stringify(rows)}\n`);
    // The row reads `<label>, <state>, <provider's label>` in VS Code 1.139.
    assert.ok(
      rows.includes('Echo · Work, Running, mcplex-smoke-provider'),
      `no running "Echo · Work" row in ${JSON.stringify(rows)}`,
    );
    await session.screenshot('e2e-smoke-list-servers');
    lap('screenshot');
  } finally {
    try {
      await session?.close();
      process.stderr.write(`session timings (ms): ${JSON.stringify(session?.timings)}\n`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});
