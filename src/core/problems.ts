/**
 * A problem found in a configuration: where it is and what to do about it.
 * Problems are data, not exceptions: a loader collects every one of them so the user
 * can fix them all at once, and one broken instance never hides the others.
 */
export type Severity = 'error' | 'warning';

/** A JSON path into the document, e.g. `['servers', 'google', 'instances', 'work', 'env']`. */
export type JsonPath = readonly (string | number)[];

export interface Problem {
  readonly severity: Severity;
  /** Stable, machine-readable code, e.g. `unknown-key`, `invalid-type`, `unresolved-secret`. */
  readonly code: string;
  /** What is wrong and how to fix it, in one or two sentences. */
  readonly message: string;
  /** The file the problem is in (absolute path, or a label such as `settings.json`). */
  readonly file: string;
  /** 1-based line and column of the start of the offending value (or key). */
  readonly line: number;
  readonly column: number;
  /** Zero-based offset and length in the text, for editors (diagnostic ranges). */
  readonly offset: number;
  readonly length: number;
  readonly path: JsonPath;
  /**
   * What to write over the text at `offset`/`length` when the fix is certain enough to offer
   * as a quick fix (a misspelt key's "did you mean": `"label"`, quotes included).
   */
  readonly replacement?: string;
}

/** `FILE:LINE:COL: message`, the shape compilers print and editors link. */
export function formatProblem(problem: Problem): string {
  const tag = problem.severity === 'warning' ? 'warning: ' : '';
  return `${problem.file}:${problem.line}:${problem.column}: ${tag}${problem.message}`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}
