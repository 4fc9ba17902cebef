// The harness's own bookkeeping, without VS Code: the leak check of VsCodeSession.close()
// is only as good as its process discovery, so prove it finds orphans and descendants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mcpToolNames, parseProbeReport } from './lib/probe';
import { descendantsOf, isAlive, pollUntil, processesOfRun, RUN_MARKER_VARIABLE, signal } from './lib/processes';

test('processesOfRun finds an orphaned grandchild by its marker, and no longer once it is gone', async () => {
  const runId = randomBytes(6).toString('hex');
  // sh starts sleep in the background and exits at once: sleep is reparented away from us.
  const pid = Number(
    execFileSync('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], {
      env: { ...process.env, [RUN_MARKER_VARIABLE]: runId },
      encoding: 'utf8',
    }).trim(),
  );
  try {
    const found = processesOfRun(runId);
    assert.deepEqual(found.map((info) => info.pid), [pid]);
    assert.match(found[0]?.commandLine ?? '', /^sleep 30$/);
    assert.ok(!descendantsOf(process.pid).some((info) => info.pid === pid), 'the orphan is not our descendant');
    assert.deepEqual(processesOfRun(randomBytes(6).toString('hex')), []);
  } finally {
    signal(pid, 'SIGKILL');
  }
  assert.ok(await pollUntil(() => processesOfRun(runId).length === 0, 5_000));
});

test('descendantsOf walks children and grandchildren; isAlive sees them end', async () => {
  const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
  const exited = once(child, 'exit');
  assert.ok(child.pid !== undefined);
  assert.ok(await pollUntil(() => descendantsOf(child.pid ?? 0).length === 1, 5_000), 'sleep started under sh');
  const tree = descendantsOf(process.pid).filter((info) => info.pid === child.pid || info.parentPid === child.pid);
  assert.deepEqual(tree.map((info) => info.commandLine).sort(), ['sh -c sleep 30 & wait', 'sleep 30']);
  for (const info of tree) signal(info.pid, 'SIGKILL');
  await exited;
  assert.ok(await pollUntil(() => tree.every((info) => !isAlive(info)), 5_000));
});

test('a probe report is read for its MCP tools only; anything else is refused with its text', () => {
  const report = parseProbeReport(
    JSON.stringify({
      sequence: 1,
      vscodeVersion: '1.139.1',
      providerExtensions: [],
      startServers: { ok: true, attempts: 1, ms: 5 },
      tools: [
        { name: 'mcp_b_x', tags: ['mcp'], description: '' },
        { name: 'copilot_readFile', tags: ['vscode_editing'], description: '' },
        { name: 'mcp_a_y', tags: ['mcp', 'other'], description: '' },
      ],
    }),
  );
  assert.deepEqual(mcpToolNames(report), ['mcp_a_y', 'mcp_b_x']);
  assert.throws(() => parseProbeReport('{"tools": 3}'), /not a probe report: \{"tools": 3\}/);
});
