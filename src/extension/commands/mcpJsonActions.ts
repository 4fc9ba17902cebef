/**
 * "Remove from mcp.json": on an instance that starts the same thing as a server of the
 * folder's `.vscode/mcp.json` (the runtime names it in the instance's view), removes that
 * entry, comments kept (core/edit's `removeMcpJsonServer`), through ConfigFiles so an open
 * mcp.json keeps its unsaved changes and undo. From the palette, the instance is picked
 * among those that have such a duplicate.
 */
import { removeMcpJsonServer } from '../../core/edit';
import type { InstanceView } from '../../core/runtime';
import type { ConfigFiles } from '../inputs';
import { instancePickItems } from '../view';
import { instanceFromArgument } from './instanceActions';
import type { VsCodeApi } from '../vscodeApi';

export interface McpJsonActionDeps {
  readonly api: Pick<VsCodeApi, 'window'>;
  readonly instances: () => readonly InstanceView[];
  readonly files: ConfigFiles;
  readonly configChanged: (reason: string) => void;
}

export class McpJsonActions {
  constructor(private readonly deps: McpJsonActionDeps) {}

  async removeFromMcpJson(argument?: unknown): Promise<void> {
    const view = await this.resolve(argument);
    const name = view?.duplicateOfMcpJson;
    if (view === undefined || name === undefined) return;
    const folder = this.deps.files.folderById(view.folderId);
    if (folder === undefined) return;
    await this.deps.files.edit(this.deps.files.mcpJsonUri(folder), (text) => removeMcpJsonServer(text ?? '', name));
    this.deps.configChanged(`"${name}" removed from .vscode/mcp.json`);
    void this.deps.api.window.showInformationMessage(`Removed "${name}" from .vscode/mcp.json: "${view.label}" is the one place this account runs.`);
  }

  private async resolve(argument: unknown): Promise<InstanceView | undefined> {
    const duplicates = this.deps.instances().filter((view) => view.duplicateOfMcpJson !== undefined);
    const fromTree = instanceFromArgument(argument);
    if (fromTree !== undefined) return duplicates.find((view) => `${view.folderId}#${view.key}` === fromTree.runtimeId);
    if (duplicates.length === 0) {
      await this.deps.api.window.showInformationMessage('No instance starts a server of .vscode/mcp.json again: nothing to remove.');
      return undefined;
    }
    const picked = await this.deps.api.window.showQuickPick(instancePickItems(duplicates), { title: 'MCPlex', placeHolder: 'Remove the mcp.json server of which instance?' });
    return picked?.instance;
  }
}
