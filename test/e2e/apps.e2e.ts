// MCP Apps (issue 14 item 7) in a real VS Code: an app server behind mcplex. What VS Code
// observably does with it: it keeps the app-only tool away from the model (it read
// `_meta.ui.visibility` through mcplex), the model's tool is invoked through mcplex, and the
// upstream was told of the extension by mcplex. The view itself renders only inside a
// chat response, which this harness cannot produce (see the report of the step it checks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignSlugs } from '../../src/core/naming';
import { appServerRequests, fixturePath } from '../fixtures/servers';
import { E2eRun } from './lib/e2eRun';
import { invocationSettings, invokeTools, mcpToolNames, parseProbeReport, resultText } from './lib/probe';

test('MCP Apps: an app server behind mcplex in VS Code', { timeout: 300_000 }, async () => {
  const run = await E2eRun.create('apps');
  const { root } = run;
  const workspace = join(root, 'workspace');
  const log = join(root, 'app-server.log');
  try {
    mkdirSync(workspace);
    const server = { command: process.execPath, args: [fixturePath('app-server')], env: { APP_SERVER_LOG: log, CITY: 'Lisbon' }, instances: { work: { label: 'Work' } } };
    writeFileSync(join(workspace, '.mcplex.jsonc'), JSON.stringify({ servers: { weather: server } }, null, 2));
    const slug = assignSlugs([{ key: 'weather/work', serverId: 'weather', instanceId: 'work' }]).get('weather/work');
    const show = `mcp_${slug}_show_weather`;
    const { probeOutput } = run;
    const session = await run.startMcplex({
      workspace,
      probe: { expectMcpTools: 1 },
      settings: {
        ...invocationSettings(root),
        'chat.tools.global.autoApprove': { [show]: true },
      },
    });

    const report = parseProbeReport(await session.waitForFile(probeOutput, 90_000));
    process.stderr.write(`probe: startServers ${JSON.stringify(report.startServers)}, tools ${JSON.stringify(mcpToolNames(report))}\n`);
    assert.equal(report.startServers.error, undefined);

    // mcplex told the upstream VS Code can render apps, so the server attached its view.
    const initialize = appServerRequests(log).find((request) => request.method === 'initialize');
    const capabilities = initialize?.params['capabilities'] as { extensions?: Record<string, { mimeTypes?: string[] }> } | undefined;
    assert.deepEqual(capabilities?.extensions?.['io.modelcontextprotocol/ui']?.mimeTypes, ['text/html;profile=mcp-app']);
    assert.ok(appServerRequests(log).some((request) => request.method === 'tools/list'), 'VS Code listed the tools through mcplex');

    // VS Code read `_meta.ui.visibility: ["app"]` through mcplex: the app-only tool never reaches the model.
    assert.deepEqual(mcpToolNames(report), [show]);

    const invocation = await invokeTools(session, root, [{ name: show, input: {} }]);
    process.stderr.write(`invokeTool results: ${JSON.stringify(invocation.results)}\n`);
    const seen = appServerRequests(log).map((request) => `${request.method}${request.method === 'resources/read' ? ` ${String(request.params['uri'])}` : ''}`);
    process.stderr.write(`the app server saw: ${JSON.stringify(seen)}\n`);
    // For a tool with a view VS Code hands the model the structured content (the view gets the rest).
    assert.equal(invocation.results[0]?.ok, true);
    assert.match(resultText(invocation.results[0]), /"city":"Lisbon"/);
    assert.ok(seen.includes('tools/call'), 'the call reached the app server');
    await session.screenshot('e2e-apps-invoked');
  } finally {
    await run.close();
  }
});
