// Test-only fake language model (vendor `mcplex-probe`). An MCP App's view renders only in
// a chat response, so a real chat turn is needed, and the harness has no real model. This
// one is scripted: asked with tools, it calls the tool named by `mcplexProbe.chatTool`;
// once the tool result is in the conversation, it answers with plain text and the turn
// ends. Every request it gets is appended to the file named by `mcplexProbe.chatLog` (the
// tools offered, whether a tool result came back), so a runner can tell what the chat did.
'use strict';

const vscode = require('vscode');
const fs = require('node:fs');

const VENDOR = 'mcplex-probe';
/** How the scripted model's last reply of a turn begins. */
const DONE = 'MCPlex probe done';
const MODEL = {
  id: 'mcplex-probe-scripted',
  name: 'MCPlex Probe (scripted)',
  family: 'mcplex-probe',
  version: '1.0.0',
  maxInputTokens: 128000,
  maxOutputTokens: 4096,
  isUserSelectable: true,
  capabilities: { toolCalling: true, imageInput: false },
};

function config() {
  return vscode.workspace.getConfiguration('mcplexProbe');
}

function logRequest(entry) {
  const file = config().get('chatLog', '');
  if (!file) return;
  try {
    fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
  } catch (error) {
    console.error(`[mcplex-e2e-probe] could not append to ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The text of the tool results in `messages` (the chat hands them back as ToolResultParts). */
function toolResults(messages) {
  const results = [];
  for (const message of messages) {
    for (const part of message.content) {
      if (!(part instanceof vscode.LanguageModelToolResultPart)) continue;
      const text = part.content.map((inner) => (inner instanceof vscode.LanguageModelTextPart ? inner.value : '')).join('');
      results.push({ callId: part.callId, text });
    }
  }
  return results;
}

let calls = 0;

const provider = {
  provideLanguageModelChatInformation() {
    return [MODEL];
  },

  async provideLanguageModelChatResponse(model, messages, options, progress) {
    const wanted = config().get('chatTool', '');
    const offered = (options.tools || []).map((tool) => tool.name);
    const results = toolResults(messages);
    logRequest({ offered, toolResults: results, messages: messages.length });
    if (results.length > 0) {
      // The tool ran: finish the turn, so the chat settles with the app's view in it.
      // The results themselves are in the chat log; the reply stays one short line a runner can wait for.
      progress.report(new vscode.LanguageModelTextPart(`${DONE} after ${results.length} tool result(s).`));
      return;
    }
    if (wanted && offered.includes(wanted)) {
      progress.report(new vscode.LanguageModelToolCallPart(`mcplex-probe-call-${++calls}`, wanted, {}));
      return;
    }
    // Title generation and other side requests come without tools; a missing tool is said in the reply.
    progress.report(new vscode.LanguageModelTextPart(offered.length === 0 ? 'ok' : `no tool named ${wanted} among ${offered.join(', ')}`));
  },

  provideTokenCount(model, text) {
    const value = typeof text === 'string' ? text : JSON.stringify(text);
    return Math.ceil(value.length / 4);
  },
};

/** Registers the model only when a test names a tool, so other tests' windows have no extra model. */
function registerChatModel(context) {
  if (!config().get('chatTool', '')) return;
  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider(VENDOR, provider));
}

/**
 * "MCPlex Probe: Open Chat": the chat view in agent mode with the scripted model, sending
 * `mcplexProbe.chatPrompt` (the model ignores the words; the chat needs a request to run).
 */
async function openChat() {
  const query = config().get('chatPrompt', 'Use the tool.');
  await vscode.commands.executeCommand('workbench.action.chat.open', { query, mode: 'agent', modelSelector: { vendor: VENDOR, id: MODEL.id } });
}

module.exports = { registerChatModel, openChat, VENDOR };
