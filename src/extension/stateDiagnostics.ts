/**
 * What a running configuration does, where it is written: an instance that failed to start
 * (a command not found) gets a diagnostic at its `command`, one that needs a sign-in at its
 * key, so the file says what the tree says, and configFixes.ts offers the log or the sign-in
 * there. Kept in their own collection: they follow the runtime, not the file's text.
 */
import { isAbsolute } from 'node:path';
import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type * as vscode from 'vscode';
import type { InstanceView } from '../core/runtime';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { instanceRef, type InstanceRef } from './view';
import type { RuntimePort } from './runtimePort';
import type { DisposableLike, VsCodeApi } from './vscodeApi';

export const START_FAILED_CODE = 'start-failed';
export const NEEDS_SIGN_IN_CODE = 'needs-sign-in';

type StateApi = Pick<VsCodeApi, 'languages' | 'Uri' | 'Range' | 'Diagnostic' | 'DiagnosticSeverity'>;

interface Placed {
  readonly code: string;
  readonly line: number;
  readonly character: number;
  readonly instance: InstanceRef;
}

export class StateDiagnostics {
  private readonly collection: vscode.DiagnosticCollection;
  private placed = new Map<string, Placed[]>();
  private readonly subscription: DisposableLike;

  constructor(
    private readonly api: StateApi,
    private readonly runtime: Pick<RuntimePort, 'instances' | 'onDidChange'>,
    private readonly readText: (file: string) => string | undefined = readQuietly,
  ) {
    this.collection = api.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}-state`);
    this.subscription = runtime.onDidChange(() => this.refresh());
    this.refresh();
  }

  /** The instance a state diagnostic of `file` is about (its code and start tell it apart). */
  instanceFor(file: string, diagnostic: Pick<vscode.Diagnostic, 'code' | 'range'>): InstanceRef | undefined {
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    const { line, character } = diagnostic.range.start;
    return this.placed.get(file)?.find((placed) => placed.code === code && placed.line === line && placed.character === character)?.instance;
  }

  refresh(): void {
    const next = new Map<string, { placed: Placed; diagnostic: vscode.Diagnostic }[]>();
    const texts = new Map<string, string | undefined>();
    for (const view of this.runtime.instances()) {
      const file = view.location?.file;
      const what = stateDiagnostic(view);
      if (file === undefined || !isAbsolute(file) || what === undefined) continue;
      if (!texts.has(file)) texts.set(file, this.readText(file));
      const text = texts.get(file);
      if (text === undefined) continue;
      const node = what.code === START_FAILED_CODE ? commandNode(text, view) : undefined;
      const span = node ?? { offset: view.location?.offset ?? 0, length: view.location?.length ?? 0 };
      const start = position(text, span.offset);
      const end = position(text, span.offset + span.length);
      const diagnostic = new this.api.Diagnostic(new this.api.Range(start.line, start.character, end.line, end.character), what.message, what.code === START_FAILED_CODE ? this.api.DiagnosticSeverity.Warning : this.api.DiagnosticSeverity.Information);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = what.code;
      next.set(file, [...(next.get(file) ?? []), { placed: { code: what.code, ...start, instance: instanceRef(view) }, diagnostic }]);
    }
    for (const file of this.placed.keys()) if (!next.has(file)) this.collection.delete(this.api.Uri.file(file));
    for (const [file, list] of next) this.collection.set(this.api.Uri.file(file), list.map((entry) => entry.diagnostic));
    this.placed = new Map([...next].map(([file, list]) => [file, list.map((entry) => entry.placed)]));
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}

function stateDiagnostic(view: InstanceView): { code: string; message: string } | undefined {
  const { status } = view;
  if (status.kind === 'failed') return { code: START_FAILED_CODE, message: `"${view.label}" failed: ${status.message}` };
  if (status.kind === 'needs-sign-in') return { code: NEEDS_SIGN_IN_CODE, message: `"${view.label}" needs you to sign in.` };
  return undefined;
}

/** The instance's own `command`, else the server's it inherits. */
function commandNode(text: string, view: InstanceView): Node | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (root === undefined) return undefined;
  return findNodeAtLocation(root, ['servers', view.serverId, 'instances', view.instanceId, 'command']) ?? findNodeAtLocation(root, ['servers', view.serverId, 'command']);
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function readQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
