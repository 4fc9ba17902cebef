/**
 * Tells when the runtime's inputs may have changed: a `.mcplex.jsonc` or `.vscode/mcp.json`
 * created, changed or deleted in any workspace folder, folders added or removed (multi-root), or an
 * `mcplex.*` setting changed. It only says "look again" with a reason for the log; the
 * caller debounces and re-reads everything, which keeps this free of diffing.
 */
import type * as vscode from 'vscode';
import { SETTINGS_SECTION } from './settings';
import type { DisposableLike, VsCodeApi } from '../vscodeApi';
import { CONFIG_FILE_NAME, MCP_JSON_PATH } from './workspaceInputs';

/** One watcher per folder for both files: mcp.json decides which instances run twice. */
const WATCHED = `{${CONFIG_FILE_NAME},${MCP_JSON_PATH.join('/')}}`;

type WatcherApi = Pick<VsCodeApi, 'workspace' | 'RelativePattern'>;

export class InputWatcher {
  private readonly subscriptions: DisposableLike[] = [];
  /** One file watcher per folder, rebuilt when the folders change. */
  private fileWatchers: DisposableLike[] = [];

  constructor(
    private readonly api: WatcherApi,
    private readonly onChange: (reason: string) => void,
  ) {
    this.watchFolders();
    this.subscriptions.push(
      api.workspace.onDidChangeWorkspaceFolders((event) => {
        this.watchFolders();
        const names = [...event.added, ...event.removed].map((folder) => folder.name).join(', ');
        this.onChange(`workspace folders changed (${names})`);
      }),
      api.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTINGS_SECTION)) this.onChange('settings changed');
      }),
    );
  }

  private watchFolders(): void {
    this.disposeFileWatchers();
    for (const folder of this.api.workspace.workspaceFolders ?? []) {
      const watcher = this.api.workspace.createFileSystemWatcher(new this.api.RelativePattern(folder, WATCHED));
      const changed = (verb: string) => (uri: vscode.Uri) => this.onChange(`${uri.fsPath} ${verb}`);
      this.fileWatchers.push(
        watcher,
        watcher.onDidCreate(changed('created')),
        watcher.onDidChange(changed('changed')),
        watcher.onDidDelete(changed('deleted')),
      );
    }
  }

  private disposeFileWatchers(): void {
    for (const disposable of this.fileWatchers) disposable.dispose();
    this.fileWatchers = [];
  }

  dispose(): void {
    this.disposeFileWatchers();
    for (const disposable of this.subscriptions) disposable.dispose();
    this.subscriptions.length = 0;
  }
}
