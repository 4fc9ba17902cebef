// Names in a real VS Code (code-server 4.139.1, headless chromium): the two accounts of one
// server (`memory`, whose `memory-personal` VS Code would cut to `memo-personal`) reach
// vscode.lm.tools under one stem, `mcp_memory-…`, so they sort side by side; the names are
// computed from the naming module, never written out here. And Copilot CLI's names: the rule
// the Copilot extension inside this VS Code applies to definition labels, read out of its
// bundle, agrees with core/naming's copilotServerName on mcplex's labels and on odd ones.
// Run: npm run build && node --import tsx --test test/e2e/names.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assignSlugs, copilotServerName, serverStems } from '../../src/core/naming';
import { aggregateShapes } from '../../src/core/engine';
import { planWindow } from '../../src/core/plan';
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

/**
 * `CopilotCLIMCPHandler.normalizeServerName` as shipped (copilot-chat 0.67.0 in VS Code
 * 1.139.1, `extensions/copilot/dist/extension.js`): the method's text and the regex it
 * replaces with, cut out of the minified bundle and run as they are.
 */
function shippedNormalizeServerName(codeServerEntry: string): (label: string) => string | undefined {
  const bundle = readFileSync(join(dirname(dirname(dirname(codeServerEntry))), 'lib', 'vscode', 'extensions', 'copilot', 'dist', 'extension.js'), 'utf8');
  assert.match(bundle, /this\.normalizeServerName\(\w+\.label\)\?\?`vscode-mcp-server-/, 'the gateway still keys servers by the label');
  const head = /normalizeServerName\((\w+)\)\{/.exec(bundle);
  assert.ok(head, 'normalizeServerName is in the bundle');
  let depth = 0;
  let end = head.index + head[0].length - 1;
  do {
    const char = bundle[end];
    if (char === '{') depth++;
    else if (char === '}') depth--;
    end++;
  } while (depth > 0);
  const body = bundle.slice(head.index + head[0].length, end - 1);
  const regexName = /\.replace\((\w+),"_"\)/.exec(body)?.[1] ?? '';
  const regexSource = new RegExp(`[^\\w$]${regexName.replace('$', '\\$')}=(/[^/]+/[a-z]*)`).exec(bundle)?.[1];
  assert.ok(regexSource, `the regex ${regexName} is in the bundle`);
  const method = new Function(regexName, `return function(${head[1] ?? 'e'}){${body}}`)(new Function(`return ${regexSource}`)()) as (this: unknown, label: string) => string | undefined;
  const quiet = { logService: { error: () => undefined, trace: () => undefined } };
  return (label) => method.call(quiet, label);
}

test('Copilot CLI names definitions by the rule core/naming implements', { timeout: 120_000 }, async () => {
  const environment = await provision();
  const shipped = shippedNormalizeServerName(environment.codeServerEntry);
  const folder = (name: string, labels: readonly [string, string][]) => ({
    id: `file:///ws/${name}`,
    name,
    instances: labels.map(([serverLabel, instanceLabel], index) => ({
      serverId: `s${index}`,
      instanceId: 'work',
      serverLabel,
      instanceLabel,
      upstream: { kind: 'stdio' as const, command: 'node', args: [], env: {} },
      redacted: { kind: 'stdio' as const, command: 'node', args: [], env: {} },
      tools: {},
      location: { file: `/ws/${name}/.mcplex.jsonc`, path: [], offset: 0, length: 0, line: 1, column: 1 },
      secrets: [],
    })),
  });
  const plan = planWindow([
    folder('app', [['Notes', 'Work'], ['notes', 'work!'], ['Google Drive', 'Client A'], ['Заметки', 'Работа']]),
    folder('lib', [['Notes', 'Work']]),
  ]);
  const labels = [
    ...plan.instances.map((instance) => instance.label),
    ...[...aggregateShapes(plan.folders, () => 'aggregate', 'window').values()].map((shape) => shape.label),
    ...[...aggregateShapes(plan.folders, () => 'accounts', 'window').values()].map((shape) => shape.label),
    'Notes · Work', 'My Cool Server!', '___test___', '!!!', 'io.github.github.github-mcp-server', 'Café', 'a😀b', 'İstanbul', 'x'.repeat(200),
  ];
  for (const label of labels) assert.equal(copilotServerName(label), shipped(label), JSON.stringify(label));
  const names = plan.instances.map((instance) => shipped(instance.label));
  process.stderr.write(`copilot names: ${JSON.stringify(names)}\n`);
  assert.ok(names.every((name) => name !== undefined));
  assert.equal(new Set(names).size, names.length, 'every definition arrives under a name of its own');
  assert.equal(shipped('Notes (Work)'), 'notes__work');
});
