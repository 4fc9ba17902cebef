/**
 * The "Instances" view: a thin adapter from treeModel.ts's nodes to VS Code's TreeItems.
 * It follows the runtime (every state change, coalesced so a burst of starts redraws
 * once) and can be refreshed by hand.
 */
import type * as vscode from 'vscode';
import { Debouncer, realTimers, type Timers } from '../inputs';
import { buildTree, type ConfigErrorNode, type FolderNode, type TreeFolder, type TreeNode } from './treeModel';
import type { RuntimePort } from '../runtimePort';
import type { DisposableLike, VsCodeApi } from '../vscodeApi';

export const INSTANCES_VIEW_ID = 'mcplex.instances';
/** Enough to merge the events of one start (starting → running → tools listed) into one redraw. */
export const TREE_COALESCE_MS = 50;

type TreeApi = Pick<VsCodeApi, 'window' | 'workspace' | 'EventEmitter' | 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'ThemeColor' | 'Uri' | 'Range'>;

export class InstancesTree implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed: vscode.EventEmitter<TreeNode | undefined>;
  readonly onDidChangeTreeData: vscode.Event<TreeNode | undefined>;
  private roots: FolderNode[] = [];
  private readonly debouncer: Debouncer;
  private readonly subscriptions: DisposableLike[] = [];

  constructor(
    private readonly api: TreeApi,
    private readonly runtime: Pick<RuntimePort, 'instances' | 'brokenConfigs' | 'onDidChange'>,
    timers: Timers = realTimers,
  ) {
    this.changed = new api.EventEmitter<TreeNode | undefined>();
    this.onDidChangeTreeData = this.changed.event;
    this.debouncer = new Debouncer(() => this.refresh(), TREE_COALESCE_MS, timers);
    this.rebuild();
    this.subscriptions.push(
      this.changed,
      runtime.onDidChange(() => this.debouncer.trigger()),
      api.workspace.onDidChangeWorkspaceFolders(() => this.debouncer.trigger()),
    );
  }

  /** Rebuilds the nodes now and tells VS Code. */
  refresh(): void {
    this.rebuild();
    this.changed.fire(undefined);
  }

  /** The current top level (folders), for tests and the context keys. */
  get folders(): readonly FolderNode[] {
    return this.roots;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    // No instance and no configuration with errors: an empty tree, so the welcome view shows.
    if (node === undefined) return this.roots.some((folder) => folder.children.some((child) => child.kind === 'server' || child.kind === 'configError')) ? [...this.roots] : [];
    return [...node.children];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const { TreeItemCollapsibleState: State } = this.api;
    const collapsible = node.collapsible === 'none' ? State.None : node.collapsible === 'expanded' ? State.Expanded : State.Collapsed;
    const item = new this.api.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.contextValue = node.contextValue;
    if (node.description !== undefined) item.description = node.description;
    if (node.tooltip !== undefined) item.tooltip = node.tooltip;
    if (node.icon !== undefined) {
      item.iconPath = new this.api.ThemeIcon(node.icon.id, node.icon.color === undefined ? undefined : new this.api.ThemeColor(node.icon.color));
    }
    if (node.kind === 'configError') item.command = this.openCommand(node);
    return item;
  }

  /** Opens the first problem at its line and column, or the setting it is in. */
  private openCommand(node: ConfigErrorNode): vscode.Command {
    const title = 'Open the first problem';
    if (node.open.kind === 'settings') return { command: 'workbench.action.openSettings', title, arguments: ['mcplex.servers'] };
    const line = Math.max(node.open.line - 1, 0);
    const column = Math.max(node.open.column - 1, 0);
    return { command: 'vscode.open', title, arguments: [this.api.Uri.file(node.open.file), { selection: new this.api.Range(line, column, line, column) }] };
  }

  private rebuild(): void {
    const folders: TreeFolder[] = (this.api.workspace.workspaceFolders ?? []).map((folder) => ({ id: folder.uri.toString(), name: folder.name }));
    this.roots = buildTree(this.runtime.instances(), folders, this.runtime.brokenConfigs());
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
  }
}
