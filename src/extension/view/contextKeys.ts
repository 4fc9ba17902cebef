/**
 * The context keys the manifest's `when` clauses read: `mcplex.trusted` (instance actions
 * that start processes), `mcplex.hasFolder` (commands that write a folder's file),
 * `mcplex.hasConfig` (the welcome view shows while it is false) and `mcplex.mcpJsonServers`
 * (a `.vscode/mcp.json` has a server not in `.mcplex.jsonc` yet: the welcome view and the
 * walkthrough lead with "Add a second account"). Set only when a value
 * changes, so frequent runtime events cost nothing.
 */
import type { VsCodeApi } from '../vscodeApi';

export const CONTEXT_KEYS = {
  trusted: 'mcplex.trusted',
  hasFolder: 'mcplex.hasFolder',
  hasConfig: 'mcplex.hasConfig',
  mcpJsonServers: 'mcplex.mcpJsonServers',
} as const;

export type ContextKey = (typeof CONTEXT_KEYS)[keyof typeof CONTEXT_KEYS];

export class ContextKeys {
  private readonly values = new Map<ContextKey, boolean>();

  constructor(private readonly api: Pick<VsCodeApi, 'commands'>) {}

  set(key: ContextKey, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void this.api.commands.executeCommand('setContext', key, value);
  }
}
