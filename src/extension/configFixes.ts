/**
 * The quick fixes of `.mcplex.jsonc`'s own diagnostics: a misspelt key becomes the key it
 * was meant to be, a `${secret:NAME}` not stored yet gets "Set Secret NAME…", an instance
 * that needs a sign-in gets "Sign In", and one that failed (at its `command`) opens its log.
 * Diagnostics come back from VS Code as copies, so what each one is about is looked up
 * where it was published (diagnostics.ts, stateDiagnostics.ts).
 */
import type * as vscode from 'vscode';
import type { Problem } from '../core';
import { CONFIG_FILE_SELECTOR } from './cloneFixes';
import { COMMANDS } from './commands';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { NEEDS_SIGN_IN_CODE, START_FAILED_CODE } from './stateDiagnostics';
import type { InstanceRef } from './view';
import type { VsCodeApi } from './vscodeApi';

type FixApi = Pick<VsCodeApi, 'languages' | 'CodeAction' | 'CodeActionKind' | 'WorkspaceEdit'>;

export interface FixSources {
  problemFor(file: string, diagnostic: vscode.Diagnostic): Problem | undefined;
  instanceFor(file: string, diagnostic: vscode.Diagnostic): InstanceRef | undefined;
}

/** What Set Secret takes to skip its pick: the name of the secret to set. */
export interface SecretArgument {
  readonly kind: 'secret';
  readonly name: string;
}

export function registerConfigFixes(api: FixApi, sources: FixSources): vscode.Disposable {
  return api.languages.registerCodeActionsProvider(CONFIG_FILE_SELECTOR, new ConfigFixes(api, sources), { providedCodeActionKinds: [api.CodeActionKind.QuickFix] });
}

type FixDocument = Pick<vscode.TextDocument, 'uri' | 'getText'>;

export class ConfigFixes implements vscode.CodeActionProvider {
  constructor(
    private readonly api: FixApi,
    private readonly sources: FixSources,
  ) {}

  provideCodeActions(document: FixDocument, _range: vscode.Range, context: Pick<vscode.CodeActionContext, 'diagnostics'>): vscode.CodeAction[] {
    return context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE).flatMap((diagnostic) => this.actionsFor(document, diagnostic));
  }

  private actionsFor(document: FixDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const file = document.uri.fsPath;
    switch (codeOf(diagnostic)) {
      case 'unknown-key': {
        const replacement = this.sources.problemFor(file, diagnostic)?.replacement;
        if (replacement === undefined) return [];
        const action = this.action(`Change to ${replacement}`, diagnostic);
        action.edit = new this.api.WorkspaceEdit();
        action.edit.replace(document.uri, diagnostic.range, replacement);
        action.isPreferred = true;
        return [action];
      }
      case 'unresolved-secret': {
        const name = /\$\{secret:([^}]+)\}/.exec(document.getText(diagnostic.range))?.[1];
        if (name === undefined) return [];
        const argument: SecretArgument = { kind: 'secret', name };
        return [this.command(`Set Secret ${name}…`, diagnostic, COMMANDS.setSecret, argument, true)];
      }
      case NEEDS_SIGN_IN_CODE: {
        const instance = this.sources.instanceFor(file, diagnostic);
        return instance === undefined ? [] : [this.command(`Sign In to ${instance.label}`, diagnostic, COMMANDS.signIn, { kind: 'instance', instance }, true)];
      }
      case START_FAILED_CODE: {
        const instance = this.sources.instanceFor(file, diagnostic);
        return instance === undefined ? [] : [this.command(`Show the log of ${instance.label}`, diagnostic, COMMANDS.showInstanceLog, { kind: 'instance', instance }, true)];
      }
      default:
        return [];
    }
  }

  private action(title: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new this.api.CodeAction(title, this.api.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    return action;
  }

  private command(title: string, diagnostic: vscode.Diagnostic, command: string, argument: unknown, preferred: boolean): vscode.CodeAction {
    const action = this.action(title, diagnostic);
    action.command = { command, title, arguments: [argument] };
    action.isPreferred = preferred;
    return action;
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}
