// Test-only probe, installed beside the extension under test by the end-to-end runner and
// never shipped. It reports what VS Code's extension host sees: it activates every
// extension that contributes an MCP server definition provider (workbench.mcp.startServer
// does not load a provider whose extension is still asleep), asks VS Code to start every
// MCP server and wait for their tools, then writes `vscode.lm.tools` as JSON to the file
// named by the setting `mcplexProbe.output`. It runs once when the window starts and again
// on the command "MCPlex Probe: Write Tools". "MCPlex Probe: Invoke Tools" calls tools the
// way a chat participant outside a chat request would (`vscode.lm.invokeTool`, no token) and
// writes what they answered. With `mcplexProbe.chatTool` set it also registers a scripted
// language model (chatModel.js) and "MCPlex Probe: Open Chat" runs a chat turn with it.
'use strict';

const vscode = require('vscode');
const fs = require('node:fs');
const { openChat, registerChatModel } = require('./chatModel');

/** Every report carries a sequence number so a runner can tell a new one from an old one. */
let sequence = 0;
/** Reports are written one at a time, in order. */
let queue = Promise.resolve();

function providerExtensions() {
  return vscode.extensions.all.filter((extension) => {
    const contributes = extension.packageJSON && extension.packageJSON.contributes;
    const providers = contributes && contributes.mcpServerDefinitionProviders;
    return Array.isArray(providers) && providers.length > 0;
  });
}

function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function message(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Internal command (undocumented, pinned with the VS Code version): starts the MCP server
 * whose definition id is `id` (`<extension id>/<label>` for a provider's servers), or all
 * of them for '*', and waits for their tools.
 */
async function startServer(id, deadline) {
  try {
    await withTimeout(
      Promise.resolve(vscode.commands.executeCommand('workbench.mcp.startServer', id, { waitForLiveTools: true })),
      Math.max(deadline - Date.now(), 1),
      'workbench.mcp.startServer',
    );
    return { ok: true, error: undefined };
  } catch (error) {
    return { ok: false, error: message(error) };
  }
}

async function buildReport() {
  const config = vscode.workspace.getConfiguration('mcplexProbe');
  const startTimeoutMs = config.get('startTimeoutMs', 30000);
  const begun = Date.now();
  const report = {
    sequence: ++sequence,
    vscodeVersion: vscode.version,
    providerExtensions: [],
    startServers: { ok: false, error: undefined, attempts: 0, ms: 0 },
    starts: [],
    tools: [],
  };
  for (const extension of providerExtensions()) {
    try {
      await extension.activate();
      report.providerExtensions.push({ id: extension.id, active: extension.isActive });
    } catch (error) {
      report.providerExtensions.push({ id: extension.id, active: false, error: message(error) });
    }
  }
  // Right after activation VS Code may not know a provider's servers yet, and then
  // startServer('*') starts nothing; ask again until the expected tools show up.
  const expected = config.get('expectMcpTools', 1);
  const startOrder = config.get('startOrder', []);
  const deadline = begun + startTimeoutMs;
  for (;;) {
    report.startServers.attempts++;
    report.starts = [];
    if (startOrder.length === 0) {
      const outcome = await startServer('*', deadline);
      report.startServers.ok = outcome.ok;
      report.startServers.error = outcome.error;
    } else {
      // One at a time, in the order asked for: VS Code numbers duplicate slugs in start order.
      for (const id of startOrder) report.starts.push({ id, ...(await startServer(id, deadline)) });
      const failed = report.starts.find((start) => !start.ok);
      report.startServers.ok = failed === undefined;
      report.startServers.error = failed === undefined ? undefined : failed.error;
    }
    const mcpTools = vscode.lm.tools.filter((tool) => tool.tags.includes('mcp')).length;
    if (mcpTools >= expected || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  report.startServers.ms = Date.now() - begun;
  report.tools = vscode.lm.tools.map((tool) => ({
    name: tool.name,
    tags: [...tool.tags],
    description: tool.description,
    // What the model is told a tool takes (the accounts exposure adds `account`).
    inputSchema: tool.inputSchema,
  }));
  return report;
}

/** Writes through a temporary file and a rename, so a reader never sees half a report. */
function writeAtomically(file, text) {
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, file);
}

function writeReport() {
  const output = vscode.workspace.getConfiguration('mcplexProbe').get('output', '');
  if (!output) return Promise.resolve(undefined);
  queue = queue.then(async () => {
    try {
      writeAtomically(output, JSON.stringify(await buildReport(), null, 2));
    } catch (error) {
      // The runner times out waiting for the file; this line in the extension host log says why.
      console.error(`[mcplex-e2e-probe] could not write ${output}: ${message(error)}`);
    }
  });
  return queue.then(() => output);
}

/**
 * VS Code's own switch for tests (languageModelToolsService.ts, `SkipAutoApproveConfirmationKey`;
 * its API tests set it the same way): with it, a tool named in `chat.tools.global.autoApprove`
 * runs without the one-time "enable global auto approve?" modal. It approves nothing by itself.
 */
const SKIP_AUTO_APPROVE_OPT_IN = 'vscode.chat.tools.global.autoApprove.testMode';

/** The text of a tool result; other parts (data, prompt-tsx) by their kind, so none vanish silently. */
function resultParts(result) {
  return result.content.map((part) =>
    part instanceof vscode.LanguageModelTextPart ? { text: part.value } : { kind: part && part.constructor ? part.constructor.name : typeof part },
  );
}

async function invokeOne(call, timeoutMs) {
  const began = Date.now();
  const cancel = new vscode.CancellationTokenSource();
  try {
    // Outside a chat request VS Code asks in a modal for a tool that needs confirmation; the
    // timeout turns a modal nobody answers into an error instead of a hang.
    const result = await withTimeout(
      Promise.resolve(vscode.lm.invokeTool(call.name, { input: call.input, toolInvocationToken: undefined }, cancel.token)),
      timeoutMs,
      `invokeTool(${call.name}) (a confirmation dialog may be waiting)`,
    );
    return { name: call.name, ok: true, parts: resultParts(result), ms: Date.now() - began };
  } catch (error) {
    cancel.cancel();
    return { name: call.name, ok: false, error: message(error), ms: Date.now() - began };
  } finally {
    cancel.dispose();
  }
}

/**
 * Reads `[{ name, input }]` from the file named by `mcplexProbe.invokeRequest`, invokes the
 * tools one after another in that order (so a write is seen by the reads after it), and
 * writes `{ results }` to the file named by `mcplexProbe.invokeResults`.
 */
function invokeTools() {
  const config = vscode.workspace.getConfiguration('mcplexProbe');
  const request = config.get('invokeRequest', '');
  const output = config.get('invokeResults', '');
  const timeoutMs = config.get('invokeTimeoutMs', 20000);
  if (!request || !output) {
    console.error('[mcplex-e2e-probe] set mcplexProbe.invokeRequest and mcplexProbe.invokeResults to invoke tools');
    return Promise.resolve(undefined);
  }
  queue = queue.then(async () => {
    const report = { sequence: ++sequence, autoApprove: undefined, results: [], error: undefined };
    try {
      const calls = JSON.parse(fs.readFileSync(request, 'utf8'));
      if (!Array.isArray(calls)) throw new Error(`${request} holds no array of { name, input }`);
      await vscode.commands.executeCommand('setContext', SKIP_AUTO_APPROVE_OPT_IN, true);
      report.autoApprove = vscode.workspace.getConfiguration('chat.tools.global').get('autoApprove');
      for (const call of calls) report.results.push(await invokeOne(call, timeoutMs));
    } catch (error) {
      report.error = message(error);
    }
    try {
      writeAtomically(output, JSON.stringify(report, null, 2));
    } catch (error) {
      console.error(`[mcplex-e2e-probe] could not write ${output}: ${message(error)}`);
    }
  });
  return queue.then(() => output);
}

function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('mcplexProbe.writeTools', writeReport));
  context.subscriptions.push(vscode.commands.registerCommand('mcplexProbe.invokeTools', invokeTools));
  context.subscriptions.push(
    vscode.commands.registerCommand('mcplexProbe.openChat', async () => {
      // A chat turn asks before an MCP tool just as invokeTool does: the same opt-in applies.
      await vscode.commands.executeCommand('setContext', SKIP_AUTO_APPROVE_OPT_IN, true);
      await openChat();
    }),
  );
  registerChatModel(context);
  void writeReport();
}

function deactivate() {}

module.exports = { activate, deactivate };
