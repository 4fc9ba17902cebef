// MCP Apps (issue 14 item 7) in a real VS Code: an app server behind mcplex. What VS Code
// does with it: it keeps the app-only tool away from the model (it read
// `_meta.ui.visibility` through mcplex), the model's tool is invoked through mcplex, the
// upstream was told of the extension by mcplex — and in a chat turn the app's view renders:
// the probe's scripted model calls the tool in agent mode (Copilot Chat runs the turn), VS
// Code reads the view through mcplex, and the view calls its app-only tool back through
// mcplex to its own instance and shows the answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignSlugs } from '../../src/core/naming';
import { appServerRequests, fixturePath } from '../fixtures/servers';
import { appErrors, appWebviewCount, chatResponseTexts, SCRIPTED_MODEL_DONE, waitForTextInFrames } from './lib/chatView';
import { enableCopilotChatAgent } from './lib/copilotChat';
import { E2eRun } from './lib/e2eRun';
import { runPaletteCommandWhenReady } from './lib/palette';
import { waitForView } from './lib/workbenchViews';
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
    const chatLog = join(root, 'chat-model.log');
    const session = await run.startMcplex({
      workspace,
      probe: { expectMcpTools: 1 },
      settings: {
        ...invocationSettings(root),
        'chat.tools.global.autoApprove': { [show]: true },
        'mcplexProbe.chatTool': show,
        'mcplexProbe.chatLog': chatLog,
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

    // A chat turn: the scripted model calls show_weather, and the chat renders the app's view.
    const before = appServerRequests(log).length;
    await enableCopilotChatAgent(session);
    await runPaletteCommandWhenReady(session, 'MCPlex Probe: Open Chat');
    const page = session.page;
    const shown = await waitForTextInFrames(page, '#status', (text) => text.startsWith('refreshed'), 'the app view showed no refreshed weather', 120_000).catch(async (error: unknown) => {
      await session.screenshot('e2e-apps-rendered-failed');
      const modelSaw = readFileIfAny(chatLog);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nthe scripted model saw:\n${modelSaw}\nchat responses: ${JSON.stringify(await chatResponseTexts(page).catch(() => []))}`);
    });
    const inChat = appServerRequests(log).slice(before).map((request) => `${request.method} ${String(request.params['name'] ?? request.params['uri'] ?? '')}`.trim());
    process.stderr.write(`the view shows ${JSON.stringify(shown)}; in the chat turn the app server saw: ${JSON.stringify(inChat)}\n`);
    assert.ok(shown.includes('refreshed Lisbon (weather)'), `the view shows its callback's answer: ${JSON.stringify(shown)}`);
    // The tool through mcplex, then its view read through mcplex, then the view's own call back to the same instance.
    const call = inChat.indexOf('tools/call show_weather');
    const read = inChat.indexOf('resources/read ui://weather/view.html', call);
    const refresh = inChat.indexOf('tools/call refresh_weather', read);
    assert.ok(call >= 0 && read > call && refresh > read, `show_weather → view.html → refresh_weather in order: ${JSON.stringify(inChat)}`);
    // The turn ends (the model answered after the tool result) with the view still in the chat.
    await waitForView(() => chatResponseTexts(page), (found) => found.some((text) => text.includes(SCRIPTED_MODEL_DONE)), 'the chat turn did not end', 60_000);
    assert.equal(await appWebviewCount(page), 1, 'exactly one app webview in the chat');
    assert.deepEqual(await appErrors(page), [], 'no app part shows an error');
    await session.screenshot('e2e-apps-rendered');
  } finally {
    await run.close();
  }
});

function readFileIfAny(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '(nothing: the model got no request)';
}
