/**
 * The quick fix of a clone warning (two instances that would be one account): for a server
 * whose state setting is known, write a `${instanceDir}` value into the second instance;
 * for any other, only open the instance, because a guessed setting would be worse than none.
 * The fix is read from the file's text at the warning (`cloneFixAt`), not carried along.
 */
import type * as vscode from 'vscode';
import { CLONE_PROBLEM_CODE, cloneFixAt, describeSetting } from '../core/clones';
import { EditError, setStateSettings } from '../core/edit';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { VsCodeApi } from './vscodeApi';

type CloneFixApi = Pick<VsCodeApi, 'languages' | 'CodeAction' | 'CodeActionKind' | 'WorkspaceEdit' | 'Range'>;

/** Where the provider applies: the configuration files. */
export const CONFIG_FILE_SELECTOR: vscode.DocumentFilter = { pattern: '**/.mcplex.jsonc' };

export function registerCloneFixes(api: CloneFixApi): vscode.Disposable {
  return api.languages.registerCodeActionsProvider(CONFIG_FILE_SELECTOR, new CloneFixes(api), { providedCodeActionKinds: [api.CodeActionKind.QuickFix] });
}

type FixDocument = Pick<vscode.TextDocument, 'uri' | 'getText' | 'offsetAt' | 'positionAt'>;

export class CloneFixes implements vscode.CodeActionProvider {
  constructor(private readonly api: CloneFixApi) {}

  provideCodeActions(document: FixDocument, _range: vscode.Range, context: Pick<vscode.CodeActionContext, 'diagnostics'>): vscode.CodeAction[] {
    return context.diagnostics.filter(isCloneWarning).flatMap((diagnostic) => this.actionsFor(document, diagnostic));
  }

  private actionsFor(document: FixDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const { api } = this;
    const text = document.getText();
    const fix = cloneFixAt(text, document.uri.fsPath, document.offsetAt(diagnostic.range.start));
    if (fix === undefined) return [];
    const key = `${fix.serverId}/${fix.instanceId}`;
    const open = new api.CodeAction(`Open the instance ${key}`, api.CodeActionKind.QuickFix);
    open.command = { command: 'vscode.open', title: open.title, arguments: [document.uri, { selection: diagnostic.range }] };
    open.diagnostics = [diagnostic];
    if (fix.known === undefined) return [open];

    let edited: string;
    try {
      edited = setStateSettings(text, fix.serverId, fix.instanceId, fix.known.settings);
    } catch (error) {
      // The file changed under the warning (or no longer parses): nothing safe to write.
      if (error instanceof EditError) return [open];
      throw error;
    }
    const settings = fix.known.settings.map(describeSetting).join(' and ');
    const write = new api.CodeAction(`Give ${key} its own ${fix.known.name} state: ${settings}`, api.CodeActionKind.QuickFix);
    write.edit = this.replaceChanged(document, text, edited);
    write.diagnostics = [diagnostic];
    write.isPreferred = true;
    return [write, open];
  }

  /** One edit over the part that changed, so the cursor and the undo stack stay where they were. */
  private replaceChanged(document: FixDocument, before: string, after: string): vscode.WorkspaceEdit {
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
    let end = 0;
    while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end += 1;
    const from = document.positionAt(start);
    const to = document.positionAt(before.length - end);
    const edit = new this.api.WorkspaceEdit();
    edit.replace(document.uri, new this.api.Range(from.line, from.character, to.line, to.character), after.slice(start, after.length - end));
    return edit;
  }
}

function isCloneWarning(diagnostic: vscode.Diagnostic): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return diagnostic.source === DIAGNOSTIC_SOURCE && code === CLONE_PROBLEM_CODE;
}
