/** Problems by file (a path, or the settings label), as the extension's diagnostics want them. */
import type { Problem } from '../problems';

export function groupByFile(problems: readonly Problem[]): Map<string, Problem[]> {
  const grouped = new Map<string, Problem[]>();
  for (const problem of problems) grouped.set(problem.file, [...(grouped.get(problem.file) ?? []), problem]);
  return grouped;
}

/** Adds `more` to `problems`, once each: every folder reads the same user settings. */
export function addProblems(problems: Map<string, Problem[]>, more: ReadonlyMap<string, readonly Problem[]>): void {
  for (const [file, list] of more) {
    const existing = problems.get(file) ?? [];
    const seen = new Set(existing.map((problem) => JSON.stringify(problem)));
    problems.set(file, [...existing, ...list.filter((problem) => !seen.has(JSON.stringify(problem)))]);
  }
}
