/**
 * Reading and writing a folder's `.mcplex.jsonc` (and reading `.vscode/mcp.json`) for the
 * commands that edit it. An open document is read with its unsaved changes and edited
 * through a WorkspaceEdit and saved, so the user's buffer, undo stack and cursor survive;
 * a closed or missing file goes through `workspace.fs`. Saving fires the file watcher,
 * which re-reads the configuration: the tree and VS Code's MCP list follow without reload.
 */
import type * as vscode from 'vscode';
import { EditError } from '../../core/edit';
import type { VsCodeApi } from '../vscodeApi';
import { CONFIG_FILE_NAME, MCP_JSON_PATH } from './workspaceInputs';

export { MCP_JSON_PATH };

type FilesApi = Pick<VsCodeApi, 'workspace' | 'Uri' | 'FileSystemError' | 'WorkspaceEdit' | 'Range'>;

export class ConfigFiles {
  constructor(private readonly api: FilesApi) {}

  folders(): readonly vscode.WorkspaceFolder[] {
    return this.api.workspace.workspaceFolders ?? [];
  }

  folderById(folderId: string): vscode.WorkspaceFolder | undefined {
    return this.folders().find((folder) => folder.uri.toString() === folderId);
  }

  configUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    return this.api.Uri.joinPath(folder.uri, CONFIG_FILE_NAME);
  }

  mcpJsonUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    return this.api.Uri.joinPath(folder.uri, ...MCP_JSON_PATH);
  }

  /** The text (an open document's, unsaved changes included), or undefined when there is no file. */
  async read(uri: vscode.Uri): Promise<string | undefined> {
    const open = this.openDocument(uri);
    if (open !== undefined) return open.getText();
    try {
      // The byte order mark stays in the text (core/config and core/edit read past it), so a write keeps it.
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await this.api.workspace.fs.readFile(uri));
    } catch (error) {
      const missing = error instanceof this.api.FileSystemError ? error.code === 'FileNotFound' : /EntryNotFound|ENOENT|not found/i.test(String(error));
      if (missing) return undefined;
      throw error;
    }
  }

  /** Reads, applies `edit` (text → text; undefined text: no file yet), writes. */
  async edit(uri: vscode.Uri, edit: (text: string | undefined) => string): Promise<string> {
    const before = await this.read(uri);
    const after = edit(before);
    if (after === before) return after;
    await this.write(uri, after);
    return after;
  }

  async write(uri: vscode.Uri, text: string): Promise<void> {
    const open = this.openDocument(uri);
    if (open === undefined) {
      await this.api.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      return;
    }
    const edit = new this.api.WorkspaceEdit();
    edit.replace(uri, new this.api.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
    if (!(await this.api.workspace.applyEdit(edit))) {
      throw new EditError('unexpected-shape', `VS Code refused the edit of ${uri.fsPath}; save or revert the file and try again.`);
    }
    await open.save();
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    return this.api.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  }
}
