/**
 * Config problems in the Problems panel, each at its line and column, with the core's
 * stable code and `source: 'mcplex'`. A file whose problems are fixed is cleared.
 * Problems in no file (a label such as `settings.json`) cannot be placed; they are
 * returned for the log.
 */
import { isAbsolute } from 'node:path';
import type * as vscode from 'vscode';
import type { Problem } from '../core';
import type { VsCodeApi } from './vscodeApi';

export const DIAGNOSTIC_SOURCE = 'mcplex';

type DiagnosticsApi = Pick<VsCodeApi, 'languages' | 'Uri' | 'Range' | 'Diagnostic' | 'DiagnosticSeverity'>;

/** Zero-based, end exclusive, as `vscode.Range` wants it. */
export interface ZeroBasedRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/**
 * The problem's range: its 1-based line and column made 0-based; its end from its offset
 * and length in the file's text when known (a value may span lines), else on the same line.
 */
export function problemRange(problem: Problem, text?: string): ZeroBasedRange {
  const startLine = Math.max(problem.line - 1, 0);
  const startCharacter = Math.max(problem.column - 1, 0);
  const length = Math.max(problem.length, 0);
  if (text === undefined || problem.offset + length > text.length) {
    return { startLine, startCharacter, endLine: startLine, endCharacter: startCharacter + length };
  }
  const covered = text.slice(problem.offset, problem.offset + length);
  const lastBreak = covered.lastIndexOf('\n');
  if (lastBreak === -1) {
    return { startLine, startCharacter, endLine: startLine, endCharacter: startCharacter + length };
  }
  const breaks = covered.split('\n').length - 1;
  return { startLine, startCharacter, endLine: startLine + breaks, endCharacter: covered.length - lastBreak - 1 };
}

export class ProblemDiagnostics {
  private readonly collection: vscode.DiagnosticCollection;
  /** The files that have diagnostics now, so the ones fixed can be cleared. */
  private shown = new Set<string>();
  /** What was published, for the quick fixes (a diagnostic VS Code hands back is a copy, without our data). */
  private published: ReadonlyMap<string, readonly Problem[]> = new Map();

  constructor(private readonly api: DiagnosticsApi) {
    this.collection = api.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  }

  /** Replaces every diagnostic; returns the problems that have no file to sit in. */
  publish(problems: ReadonlyMap<string, readonly Problem[]>, texts: ReadonlyMap<string, string>): Problem[] {
    const unplaced: Problem[] = [];
    const next = new Set<string>();
    for (const [file, list] of problems) {
      if (!isAbsolute(file)) {
        unplaced.push(...list);
        continue;
      }
      if (list.length === 0) continue;
      next.add(file);
      this.collection.set(this.api.Uri.file(file), list.map((problem) => this.toDiagnostic(problem, texts.get(file))));
    }
    for (const file of this.shown) {
      if (!next.has(file)) this.collection.delete(this.api.Uri.file(file));
    }
    this.shown = next;
    this.published = problems;
    return unplaced;
  }

  /** The problem a diagnostic of `file` shows: the same code and message, starting at the same place. */
  problemFor(file: string, diagnostic: Pick<vscode.Diagnostic, 'code' | 'message' | 'range'>): Problem | undefined {
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    const { line, character } = diagnostic.range.start;
    return this.published.get(file)?.find((problem) => problem.code === code && problem.message === diagnostic.message && problem.line - 1 === line && problem.column - 1 === character);
  }

  private toDiagnostic(problem: Problem, text: string | undefined): vscode.Diagnostic {
    const range = problemRange(problem, text);
    const diagnostic = new this.api.Diagnostic(
      new this.api.Range(range.startLine, range.startCharacter, range.endLine, range.endCharacter),
      problem.message,
      problem.severity === 'error' ? this.api.DiagnosticSeverity.Error : this.api.DiagnosticSeverity.Warning,
    );
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = problem.code;
    return diagnostic;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
