/**
 * The VS Code entry point. It only wires: every behaviour lives in src/core (plain Node,
 * tested without VS Code) and in the small adapters beside this file, which take the
 * `vscode` API as a parameter (see vscodeApi.ts).
 */
import { randomBytes } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import * as vscode from 'vscode';
import { WindowRuntime } from '../core/runtime';
import { McplexWindow } from './mcplexWindow';

let current: McplexWindow | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  try {
    current = await McplexWindow.start(vscode, context, {
      startRuntime: (request) => WindowRuntime.start(request),
      platform: process.platform,
      tmpdir: tmpdir(),
      randomId: randomBytes(6).toString('hex'),
      env: process.env,
      userHome: homedir(),
    });
  } catch (error) {
    // A failed activation is shown, not swallowed: the user would otherwise only see
    // that no MCP servers appear.
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`MCPlex could not start its MCP host: ${message}. Reload the window to try again.`);
    throw error;
  }
}

export async function deactivate(): Promise<void> {
  const window = current;
  current = undefined;
  await window?.close();
}
