/**
 * The VS Code entry point. It only wires: every behaviour lives in src/core (plain Node,
 * tested without VS Code) and in the small adapters beside this file.
 *
 * Hosting instances and registering them with VS Code's MCP server definition provider
 * arrives with the extension host work (issue 4); until then the extension contributes
 * the `.mcplex.jsonc` schema (IntelliSense) and its log channel.
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('mcplex', { log: true });
  context.subscriptions.push(log);
  log.info(`mcplex ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
