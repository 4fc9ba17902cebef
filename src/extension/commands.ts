/**
 * The extension's commands, as one table: id → what it does. extension.ts registers the
 * table; the manifest's `contributes.commands` lists the same ids (a unit test checks).
 */
import type { DisposableLike, VsCodeApi } from './vscodeApi';

export const COMMANDS = {
  showLog: 'mcplex.showLog',
  restartAll: 'mcplex.restartAll',
  showInstances: 'mcplex.showInstances',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
export type CommandTable = Readonly<Record<CommandId, () => unknown>>;

export function registerCommands(api: Pick<VsCodeApi, 'commands'>, table: CommandTable): DisposableLike[] {
  return Object.entries(table).map(([id, run]) => api.commands.registerCommand(id, run));
}
