/**
 * The extension's UI around the runtime: the Instances view, the context keys, the
 * instance and tool actions, Add Account Instance and the configuration commands. It
 * builds them and hands back their command handlers and disposables; mcplexWindow.ts
 * registers the handlers with the rest of the command table.
 */
import type * as vscode from 'vscode';
import { EditError } from '../core/edit';
import { addAccountInstance, addSecondAccount, importableServers, serverChoices, VsCodePrompter, type FlowDeps, type FlowStart } from './addInstance';
import { acceptToolDefinition, COMMANDS, type CommandId, ConfigCommands, CopyClientConfig, InstanceActions, McpJsonActions, ServerActions, type ActionLog } from './commands';
import { ConfigFiles, MANAGE_TRUST_COMMAND, type Timers } from './inputs';
import type { FolderInput } from '../core/runtime';
import { CONTEXT_KEYS, ContextKeys, INSTANCES_VIEW_ID, InstancesTree, type TreeNode } from './view';
import type { RuntimePort } from './runtimePort';
import { secretStorageKey, knownAccounts } from './credentials';
import type { DisposableLike, VsCodeApi } from './vscodeApi';

export type UiCommandId = Exclude<CommandId, typeof COMMANDS.showLog | typeof COMMANDS.restartAll | typeof COMMANDS.showInstances>;

export interface UiOptions {
  readonly api: VsCodeApi;
  readonly runtime: RuntimePort;
  readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>;
  readonly log: ActionLog & { error(message: string): void };
  readonly isTrusted: () => boolean;
  /** Re-read the configuration now (after an edit or a secret change). */
  readonly configChanged: (reason: string) => void;
  readonly timers?: Timers;
}

export class McplexUi {
  readonly disposables: DisposableLike[] = [];
  readonly commands: Readonly<Record<UiCommandId, (argument?: unknown) => unknown>>;
  readonly tree: InstancesTree;
  private readonly contextKeys: ContextKeys;

  constructor(private readonly options: UiOptions) {
    const { api, runtime } = options;
    const files = new ConfigFiles(api);
    this.contextKeys = new ContextKeys(api);
    this.tree = new InstancesTree(api, runtime, options.timers);
    const view = api.window.createTreeView<TreeNode>(INSTANCES_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(
      this.tree,
      view,
      this.tree.onDidChangeTreeData(() => this.updateContext()),
      api.workspace.onDidChangeWorkspaceFolders(() => this.updateContext()),
      api.workspace.onDidGrantWorkspaceTrust(() => this.updateContext()),
    );
    this.updateContext();

    const actions = new InstanceActions({ api, runtime, log: options.log, files, configChanged: options.configChanged });
    const mcpJson = new McpJsonActions({ api, files, instances: () => runtime.instances(), configChanged: options.configChanged });
    const config = new ConfigCommands({ api, files, secrets: options.secrets, instances: () => runtime.instances(), configChanged: options.configChanged });
    const servers = new ServerActions({ runtime, files, addAccount: (start) => this.addInstance(files, () => config.createConfiguration(), start) });
    const clientConfig = new CopyClientConfig({ api, files, instances: () => runtime.instances(), platform: process.platform });
    const guard = this.guard.bind(this);
    this.commands = {
      [COMMANDS.refresh]: () => this.tree.refresh(),
      [COMMANDS.startInstance]: guard((argument) => actions.start(argument)),
      [COMMANDS.stopInstance]: guard((argument) => actions.stop(argument)),
      [COMMANDS.restartInstance]: guard((argument) => actions.restart(argument)),
      [COMMANDS.showInstanceLog]: guard((argument) => actions.showLog(argument)),
      [COMMANDS.openInstanceConfig]: guard((argument) => actions.openConfig(argument)),
      [COMMANDS.removeInstance]: guard((argument) => actions.remove(argument)),
      [COMMANDS.copyToolName]: guard((argument) => actions.copyToolName(argument)),
      [COMMANDS.allowTool]: guard((argument) => actions.allowTool(argument)),
      [COMMANDS.denyTool]: guard((argument) => actions.denyTool(argument)),
      [COMMANDS.acceptToolDefinition]: guard((argument) => acceptToolDefinition({ api, log: options.log }, argument)),
      [COMMANDS.addInstance]: guard(() => this.addInstance(files, () => config.createConfiguration())),
      [COMMANDS.addSecondAccount]: guard((argument) => this.addSecondAccount(files, typeof argument === 'string' ? argument : undefined)),
      [COMMANDS.createConfiguration]: guard(() => config.createConfiguration()),
      [COMMANDS.importServers]: guard(() => config.importServers()),
      [COMMANDS.setSecret]: guard((argument) => config.setSecret(argument)),
      [COMMANDS.clearSecret]: guard((argument) => config.clearSecret(argument)),
      [COMMANDS.signIn]: guard((argument) => actions.signIn(argument)),
      [COMMANDS.signOut]: guard((argument) => actions.signOut(argument)),
      [COMMANDS.removeFromMcpJson]: guard((argument) => mcpJson.removeFromMcpJson(argument)),
      [COMMANDS.openAuditLog]: guard((argument) => actions.openAuditLog(argument)),
      [COMMANDS.addAccountToServer]: guard((argument) => servers.addAccount(argument)),
      [COMMANDS.restartServer]: guard((argument) => servers.restart(argument)),
      [COMMANDS.manageTrust]: () => api.commands.executeCommand(MANAGE_TRUST_COMMAND),
      [COMMANDS.copyClientConfig]: guard((argument) => clientConfig.run(argument)),
    };
  }

  private flowDeps(files: ConfigFiles): FlowDeps {
    const { api, runtime } = this.options;
    return {
      prompter: new VsCodePrompter(api),
      files,
      storeSecret: (name: string, value: string) => Promise.resolve(this.options.secrets.store(secretStorageKey(name), value)),
      instances: () => runtime.instances(),
      configChanged: this.options.configChanged,
      accounts: async (provider) => (await knownAccounts(api.authentication, provider)).map((account) => account.label),
    };
  }

  /**
   * With no server anywhere (no file, nothing in mcp.json) there is no account to add: the
   * file is created for the first server. `start`: from a server row, its folder and server.
   */
  private async addInstance(files: ConfigFiles, createConfiguration: () => Promise<void>, start?: FlowStart): Promise<void> {
    const { api } = this.options;
    const choices = await Promise.all(files.folders().map((folder) => serverChoices(files, folder)));
    if (start === undefined && files.folders().length > 0 && choices.every((found) => found.length === 0)) {
      await createConfiguration();
      void api.window.showInformationMessage('MCPlex: add your MCP server under "servers" in .mcplex.jsonc; then "Add Account Instance" adds each of its accounts.');
      return;
    }
    const added = await addAccountInstance(this.flowDeps(files), start);
    if (added === undefined) return;
    const what = added.imported ? `Imported ${added.serverId} from .vscode/mcp.json and added` : 'Added';
    void api.window.showInformationMessage(`${what} the account "${added.label}" (${added.prefix}); its tools reach the model as ${added.vscodeName}.`);
  }

  private async addSecondAccount(files: ConfigFiles, serverName: string | undefined): Promise<void> {
    const done = await addSecondAccount(this.flowDeps(files), serverName);
    if (done === undefined) return;
    const { added, first, serverId } = done;
    const both = first === undefined ? `"${added.label}"` : `"${first.label}" (${first.prefix}) and "${added.label}" (${added.prefix})`;
    void this.options.api.window.showInformationMessage(`MCPlex runs ${serverId} with ${both}; the new account's tools reach the model as ${added.vscodeName}.`);
  }

  /** What the window read: whether an mcp.json server waits for its second account (the onboarding's door). */
  inputsRead(folders: readonly FolderInput[]): void {
    this.contextKeys.set(CONTEXT_KEYS.mcpJsonServers, folders.some((folder) => importableServers(folder).length > 0));
  }

  /** A command's failure is shown to the user (an EditError says what to do), never lost. */
  private guard(run: (argument?: unknown) => Promise<void>): (argument?: unknown) => Promise<void> {
    return async (argument) => {
      try {
        await run(argument);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!(error instanceof EditError)) this.options.log.error(`Command failed: ${message}`);
        void this.options.api.window.showErrorMessage(`MCPlex: ${message}`);
      }
    };
  }

  private updateContext(): void {
    const folders = this.options.api.workspace.workspaceFolders ?? [];
    this.contextKeys.set(CONTEXT_KEYS.trusted, this.options.isTrusted());
    this.contextKeys.set(CONTEXT_KEYS.hasFolder, folders.length > 0);
    // A configuration with errors counts: its row says why, rather than the welcome view's "no instance yet".
    this.contextKeys.set(CONTEXT_KEYS.hasConfig, this.options.runtime.instances().length > 0 || this.options.runtime.brokenConfigs().length > 0);
  }

  dispose(): void {
    for (const disposable of this.disposables.reverse()) disposable.dispose();
    this.disposables.length = 0;
  }
}
