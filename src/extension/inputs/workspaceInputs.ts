/**
 * Turns the window's workspace folders into the runtime's `FolderInput[]`: each folder's
 * `.mcplex.jsonc` and `.vscode/mcp.json` (read through `workspace.fs`, so it works for any file system VS Code
 * mounts; a missing file is simply no file) and its `mcplex.*` settings.
 */
import type * as vscode from 'vscode';
import type { FolderInput } from '../../core/runtime';
import { readFolderSettings, SETTINGS_SECTION } from './settings';
import type { VsCodeApi } from '../vscodeApi';

export const CONFIG_FILE_NAME = '.mcplex.jsonc';
/** VS Code's own MCP configuration, read so an instance that duplicates one of its servers is warned about. */
export const MCP_JSON_PATH = ['.vscode', 'mcp.json'] as const;

export interface WorkspaceInputs {
  readonly folders: readonly FolderInput[];
  /** Absolute file path → the text read, so diagnostics can place a problem's end exactly. */
  readonly texts: ReadonlyMap<string, string>;
  /** Files that exist but could not be read, with why; the folder is treated as having none. */
  readonly readFailures: readonly { readonly path: string; readonly message: string }[];
}

type InputsApi = Pick<VsCodeApi, 'workspace' | 'Uri' | 'FileSystemError'>;

export async function readWorkspaceInputs(api: InputsApi): Promise<WorkspaceInputs> {
  const folders = api.workspace.workspaceFolders ?? [];
  const texts = new Map<string, string>();
  const readFailures: { path: string; message: string }[] = [];
  const inputs = await Promise.all(
    folders.map(async (folder): Promise<FolderInput> => {
      const fileUri = api.Uri.joinPath(folder.uri, CONFIG_FILE_NAME);
      const read = await readText(api, fileUri);
      if (read.kind === 'text') texts.set(fileUri.fsPath, read.text);
      if (read.kind === 'failed') readFailures.push({ path: fileUri.fsPath, message: read.message });
      const mcpJsonUri = api.Uri.joinPath(folder.uri, ...MCP_JSON_PATH);
      const mcpJson = await readText(api, mcpJsonUri);
      const settings = readFolderSettings(api.workspace.getConfiguration(SETTINGS_SECTION, folder.uri));
      return {
        id: folder.uri.toString(),
        name: folder.name,
        path: folder.uri.fsPath,
        ...(read.kind === 'text' ? { file: { path: fileUri.fsPath, text: read.text } } : {}),
        ...(settings.servers === undefined ? {} : { settingsServers: settings.servers }),
        ...(mcpJson.kind === 'text' ? { mcpJson: { path: mcpJsonUri.fsPath, text: mcpJson.text } } : {}),
        options: {
          ...(settings.separator === undefined ? {} : { separator: settings.separator }),
          ...(settings.note === undefined ? {} : { note: settings.note }),
          toolPrefix: settings.toolPrefix,
          exposure: settings.exposure,
        },
      };
    }),
  );
  return { folders: inputs, texts, readFailures };
}

type ReadResult =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'failed'; readonly message: string };

async function readText(api: InputsApi, uri: vscode.Uri): Promise<ReadResult> {
  try {
    const bytes = await api.workspace.fs.readFile(uri);
    return { kind: 'text', text: new TextDecoder('utf-8').decode(bytes) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Remote file systems may lose the class on the way; their message still says so.
    const missing = error instanceof api.FileSystemError ? error.code === 'FileNotFound' : /EntryNotFound|ENOENT/.test(message);
    return missing ? { kind: 'missing' } : { kind: 'failed', message };
  }
}
