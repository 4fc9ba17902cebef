/**
 * The part of the `vscode` API the extension's adapters use, as one type.
 *
 * Every adapter takes this object as a parameter instead of importing `vscode` itself:
 * extension.ts passes the real module, unit tests pass test/helpers/fakeVscode.ts. So
 * the glue is tested on plain Node, and this list says exactly what a fake must provide.
 */
import type * as vscode from 'vscode';

export interface VsCodeApi {
  readonly lm: Pick<typeof vscode.lm, 'registerMcpServerDefinitionProvider'>;
  readonly window: Pick<
    typeof vscode.window,
    | 'createOutputChannel'
    | 'createStatusBarItem'
    | 'showInformationMessage'
    | 'showErrorMessage'
    | 'showQuickPick'
    // The UI (tree, Add Account Instance, the config commands):
    | 'createTreeView'
    | 'showWarningMessage'
    | 'showInputBox'
    | 'showTextDocument'
    | 'createQuickPick'
    | 'createInputBox'
  >;
  readonly workspace: Pick<
    typeof vscode.workspace,
    | 'fs'
    | 'workspaceFolders'
    | 'isTrusted'
    | 'getConfiguration'
    | 'createFileSystemWatcher'
    | 'onDidChangeWorkspaceFolders'
    | 'onDidChangeConfiguration'
    | 'onDidGrantWorkspaceTrust'
    | 'openTextDocument'
    | 'textDocuments'
    | 'applyEdit'
    | 'registerTextDocumentContentProvider'
  >;
  readonly env: Pick<typeof vscode.env, 'clipboard' | 'openExternal'>;
  /** VS Code accounts for `"auth": { "type": "vscode" }`. */
  readonly authentication: Pick<typeof vscode.authentication, 'getSession' | 'getAccounts'>;
  readonly languages: Pick<typeof vscode.languages, 'createDiagnosticCollection' | 'registerCodeActionsProvider'>;
  readonly commands: Pick<typeof vscode.commands, 'registerCommand' | 'executeCommand'>;
  readonly Uri: Pick<typeof vscode.Uri, 'parse' | 'file' | 'joinPath'>;
  readonly EventEmitter: typeof vscode.EventEmitter;
  readonly McpHttpServerDefinition: typeof vscode.McpHttpServerDefinition;
  readonly RelativePattern: typeof vscode.RelativePattern;
  readonly Range: typeof vscode.Range;
  readonly Diagnostic: typeof vscode.Diagnostic;
  readonly DiagnosticSeverity: typeof vscode.DiagnosticSeverity;
  readonly StatusBarAlignment: typeof vscode.StatusBarAlignment;
  readonly ThemeColor: typeof vscode.ThemeColor;
  readonly FileSystemError: typeof vscode.FileSystemError;
  readonly TreeItem: typeof vscode.TreeItem;
  readonly TreeItemCollapsibleState: typeof vscode.TreeItemCollapsibleState;
  readonly ThemeIcon: typeof vscode.ThemeIcon;
  readonly QuickInputButtons: typeof vscode.QuickInputButtons;
  readonly Selection: typeof vscode.Selection;
  readonly WorkspaceEdit: typeof vscode.WorkspaceEdit;
  /** The clone warning's quick fix (cloneFixes.ts). */
  readonly CodeAction: typeof vscode.CodeAction;
  readonly CodeActionKind: typeof vscode.CodeActionKind;
  readonly TextEditorRevealType: typeof vscode.TextEditorRevealType;
}

/** Something to dispose, as VS Code's `Disposable` is. */
export interface DisposableLike {
  dispose(): unknown;
}
