/**
 * The extension's commands, as one table: id → what it does. extension.ts registers the
 * table; the manifest's `contributes.commands` lists the same ids (a unit test checks).
 * Commands run from the tree get its node as their argument; from the palette, none.
 */
import type { DisposableLike, VsCodeApi } from '../vscodeApi';

export const COMMANDS = {
  showLog: 'mcplex.showLog',
  restartAll: 'mcplex.restartAll',
  showInstances: 'mcplex.showInstances',
  refresh: 'mcplex.refresh',
  startInstance: 'mcplex.startInstance',
  stopInstance: 'mcplex.stopInstance',
  restartInstance: 'mcplex.restartInstance',
  showInstanceLog: 'mcplex.showInstanceLog',
  openInstanceConfig: 'mcplex.openInstanceConfig',
  removeInstance: 'mcplex.removeInstance',
  copyToolName: 'mcplex.copyToolName',
  allowTool: 'mcplex.allowTool',
  denyTool: 'mcplex.denyTool',
  acceptToolDefinition: 'mcplex.acceptToolDefinition',
  addInstance: 'mcplex.addInstance',
  addSecondAccount: 'mcplex.addSecondAccount',
  createConfiguration: 'mcplex.createConfiguration',
  importServers: 'mcplex.importServers',
  setSecret: 'mcplex.setSecret',
  clearSecret: 'mcplex.clearSecret',
  signIn: 'mcplex.signIn',
  signOut: 'mcplex.signOut',
  removeFromMcpJson: 'mcplex.removeFromMcpJson',
  openAuditLog: 'mcplex.openAuditLog',
  addAccountToServer: 'mcplex.addAccountToServer',
  restartServer: 'mcplex.restartServer',
  manageTrust: 'mcplex.manageTrust',
  copyClientConfig: 'mcplex.copyClientConfig',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
/** A command's argument is untrusted (a tree node, or anything `executeCommand` passes). */
export type CommandTable = Readonly<Record<CommandId, (argument?: unknown) => unknown>>;

export function registerCommands(api: Pick<VsCodeApi, 'commands'>, table: CommandTable): DisposableLike[] {
  return Object.entries(table).map(([id, run]) => api.commands.registerCommand(id, run));
}
