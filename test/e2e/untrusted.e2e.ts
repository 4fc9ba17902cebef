// Issue 5's scenario 5 in a real VS Code: with workspace trust on and the folder not
// trusted, MCPlex spawns nothing, VS Code gets no MCP tools from it, and the user is told
// why (the status bar item says `untrusted`, a notification explains it).
// Run: npm run build && node --import tsx --test test/e2e/untrusted.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { E2eRun } from './lib/e2eRun';
import { REPO_ROOT } from './lib/environment';
import { mcpToolNames } from './lib/probe';
import { ProbeChannel } from './lib/probeChannel';
import { processesOfRun } from './lib/processes';
import { RECORD_SPAWN_HOOK, readSpawns, SPAWN_LOG_VARIABLE } from './lib/spawnLog';
import { notificationTexts, statusBarTexts, waitForView } from './lib/workbenchViews';

const ECHO_SERVER = join(REPO_ROOT, 'test', 'fixtures', 'servers', 'echo.mjs');
/** The start of the extension's explanation (src/extension/inputs/trust.ts). */
const UNTRUSTED_NOTICE = 'MCPlex does not start the MCP servers of .mcplex.jsonc in an untrusted workspace';

test('an untrusted workspace starts no process, offers VS Code no tools, and says why', { timeout: 300_000 }, async () => {
  const run = await E2eRun.create('untrusted');
  const { root } = run;
  const began = Date.now();
  try {
    const spawnLog = join(root, 'spawns.jsonl');
    const workspace = join(root, 'untrusted');
    mkdirSync(workspace);
    // Every start of the server would leave a line in the spawn log, even one that ended at once.
    writeFileSync(
      join(workspace, '.mcplex.jsonc'),
      JSON.stringify({
        servers: {
          echo: {
            command: 'node',
            args: ['--import', RECORD_SPAWN_HOOK, ECHO_SERVER],
            env: { [SPAWN_LOG_VARIABLE]: spawnLog },
            instances: { work: { env: { ACCOUNT: 'work' } }, personal: { env: { ACCOUNT: 'personal' } } },
          },
        },
      }, null, 2),
    );
    const { probeOutput } = run;
    const session = await run.startMcplex({
      workspace,
      workspaceTrust: true,
      // Ask VS Code once to start everything, and expect nothing.
      probe: { expectMcpTools: 0 },
    });
    const report = await new ProbeChannel(session, probeOutput).first();
    process.stderr.write(`probe (untrusted): ${JSON.stringify({ startServers: report.startServers, providers: report.providerExtensions })}\n`);
    assert.deepEqual(report.providerExtensions.map((extension) => [extension.id, extension.active]), [['mcplex.mcplex', true]]);
    assert.deepEqual(mcpToolNames(report), []);

    const status = await waitForView(() => statusBarTexts(session!.page), (items) => items.some((item) => item.includes('untrusted')), 'the status bar does not say "untrusted"');
    const notices = await waitForView(
      () => notificationTexts(session!.page),
      (messages) => messages.some((message) => message.includes(UNTRUSTED_NOTICE)),
      'no notification explains why nothing starts',
    );
    process.stderr.write(`status bar: ${JSON.stringify(status)}\nnotifications: ${JSON.stringify(notices)}\n`);
    await session.screenshot('e2e-untrusted');

    // Give a spawn every chance to happen before looking for its trace.
    await sleep(1_000);
    assert.equal(existsSync(spawnLog), false, `a server was spawned: ${JSON.stringify(readSpawns(spawnLog))}`);
    const servers = processesOfRun(session.runId).filter((info) => info.commandLine.includes(ECHO_SERVER));
    assert.deepEqual(servers, [], 'no echo server runs');
  } finally {
    try {
      await run.close();
    } finally {
      process.stderr.write(`untrusted e2e timings (ms): ${JSON.stringify({ total: Date.now() - began, session: run.session?.timings })}\n`);
    }
  }
});
