/**
 * "Copy Configuration for Another Client": the entry that makes Claude Code, Cursor, Copilot
 * CLI or another VS Code start an instance (an instance row) or a folder's instances behind
 * one endpoint (a folder row) through `npx mcplex serve`, copied to the clipboard. From the
 * palette, the folder or instance is picked first. The text is core/clients' (pure); this
 * file only asks, copies and says so.
 */
import type * as vscode from 'vscode';
import { CLIENTS, clientConfig, entryName, type ClientInfo, type ServeTarget } from '../../core/clients';
import type { InstanceView } from '../../core/runtime';
import type { ConfigFiles } from '../inputs';
import { instanceFromArgument, isFilePath } from './instanceActions';
import type { VsCodeApi } from '../vscodeApi';

export const OPEN_IN_EDITOR = 'Open in Editor';

export interface CopyClientConfigDeps {
  readonly api: Pick<VsCodeApi, 'window' | 'workspace' | 'env'>;
  readonly instances: () => readonly InstanceView[];
  readonly files: Pick<ConfigFiles, 'folders' | 'folderById' | 'configUri'>;
  /** Where the other client runs (`process.platform`): the shell its command line is quoted for, and `cmd /c` on Windows. */
  readonly platform: NodeJS.Platform;
}

/** What is copied for: the serve target, what the message calls it, the secrets its instances read. */
interface Chosen {
  readonly target: ServeTarget;
  readonly label: string;
  readonly secrets: readonly string[];
}

interface TargetPick extends vscode.QuickPickItem {
  readonly chosen: Chosen;
}

interface ClientPick extends vscode.QuickPickItem {
  readonly client: ClientInfo;
}

export class CopyClientConfig {
  constructor(private readonly deps: CopyClientConfigDeps) {}

  async run(argument?: unknown): Promise<void> {
    const chosen = await this.resolve(argument);
    if (chosen === undefined) return;
    const { api } = this.deps;
    const items: ClientPick[] = CLIENTS.map((client) => ({ label: client.label, description: client.where, client }));
    const picked = await api.window.showQuickPick(items, { title: `MCPlex: ${chosen.label} in another client`, placeHolder: 'Which client?' });
    if (picked === undefined) return;
    const { client } = picked;
    const text = clientConfig(client.kind, chosen.target, this.deps.platform);
    await api.env.clipboard.writeText(text);
    // The other client runs the CLI, which reads secrets from its own store, not VS Code's.
    const names = chosen.secrets.map((name) => `\${secret:${name}}`).join(', ');
    const secrets = chosen.secrets.length === 0 ? '' : ` The CLI reads ${names} from its own store: set each once with "npx mcplex secret set NAME".`;
    const answer = await api.window.showInformationMessage(`Copied the ${client.label} configuration of ${chosen.label} to the clipboard: paste it into ${client.where}.${secrets}`, OPEN_IN_EDITOR);
    if (answer !== OPEN_IN_EDITOR) return;
    const document = await api.workspace.openTextDocument({ content: text, language: client.language });
    await api.window.showTextDocument(document, { preview: false });
  }

  private async resolve(argument: unknown): Promise<Chosen | undefined> {
    const instance = instanceFromArgument(argument);
    if (instance !== undefined) {
      const view = this.deps.instances().find((candidate) => `${candidate.folderId}#${candidate.key}` === instance.runtimeId);
      return view === undefined ? undefined : this.forInstance(view);
    }
    const folderId = folderFromArgument(argument);
    if (folderId !== undefined) return this.forFolder(folderId);
    return this.pick();
  }

  /** Says why when the instance is not in a file the CLI can read. */
  private async forInstance(view: InstanceView): Promise<Chosen | undefined> {
    const chosen = instanceChoice(view);
    if (chosen === undefined) {
      await this.deps.api.window.showErrorMessage(`"${view.label}" comes from the mcplex.servers setting, which the CLI does not read; move it into the folder's .mcplex.jsonc to use it in another client.`);
    }
    return chosen;
  }

  private async forFolder(folderId: string): Promise<Chosen | undefined> {
    const folder = this.deps.files.folderById(folderId);
    if (folder === undefined) return undefined;
    const chosen = this.folderChoice(folder);
    if (chosen === undefined) {
      await this.deps.api.window.showInformationMessage(`${folder.name} has no instance in .mcplex.jsonc for another client to run: the CLI reads that file only.`);
    }
    return chosen;
  }

  /** Every instance of the folder's file behind one endpoint; undefined when the file has none. */
  private folderChoice(folder: vscode.WorkspaceFolder): Chosen | undefined {
    const config = this.deps.files.configUri(folder).fsPath;
    const inFile = this.deps.instances().filter((view) => view.folderId === folder.uri.toString() && view.location?.file === config);
    if (inFile.length === 0) return undefined;
    const secrets = [...new Set(inFile.flatMap((view) => view.secrets ?? []))];
    return { target: { name: entryName('mcplex', folder.name), config }, label: `the instances of ${folder.name}`, secrets };
  }

  /** From the palette: each folder's instances together, then each instance. */
  private async pick(): Promise<Chosen | undefined> {
    const { api } = this.deps;
    const folders: TargetPick[] = this.deps.files.folders().flatMap((folder) => {
      const chosen = this.folderChoice(folder);
      return chosen === undefined ? [] : [{ label: `$(root-folder) ${folder.name}`, description: 'every instance of its .mcplex.jsonc behind one endpoint', chosen }];
    });
    const instances: TargetPick[] = this.deps.instances().flatMap((view) => {
      const chosen = instanceChoice(view);
      return chosen === undefined ? [] : [{ label: `$(server) ${view.label}`, description: view.key, chosen }];
    });
    if (folders.length + instances.length === 0) {
      await api.window.showInformationMessage('MCPlex has no instance in a .mcplex.jsonc yet: another client runs those through the mcplex CLI.');
      return undefined;
    }
    const picked = await api.window.showQuickPick([...folders, ...instances], { title: 'MCPlex: Copy Configuration for Another Client', placeHolder: 'For a whole folder or one instance?' });
    return picked?.chosen;
  }
}

/** One instance alone (`serve --instance server/id`); undefined when it is not in a file (the mcplex.servers setting). */
function instanceChoice(view: InstanceView): Chosen | undefined {
  const file = view.location?.file;
  if (file === undefined || !isFilePath(file)) return undefined;
  return { target: { name: entryName(view.serverId, view.instanceId), config: file, instance: `${view.serverId}/${view.instanceId}` }, label: `"${view.label}"`, secrets: view.secrets ?? [] };
}

/** A folder row of the tree (or anything shaped like one): its folder id. The argument is untrusted. */
function folderFromArgument(argument: unknown): string | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const node = argument as { kind?: unknown; folderId?: unknown };
  return node.kind === 'folder' && typeof node.folderId === 'string' ? node.folderId : undefined;
}
