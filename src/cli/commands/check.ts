/** `mcplex check`: validate a configuration; print every problem with its position. */
import { relative, isAbsolute } from 'node:path';
import { loadConfig } from '../../core/config';
import { planInstances } from '../../core/plan';
import { formatProblem, hasErrors, type Problem } from '../../core/problems';
import { readConfigFile, secretHints } from '../configFile';
import { ExitCode, type CliIo } from '../io';

export async function checkCommand(options: { readonly config: string }, io: CliIo): Promise<ExitCode> {
  const file = await readConfigFile(options.config, io);
  const loaded = await loadConfig(file.text, file.path, file.context);
  const plan = planInstances(loaded.instances, planOptions(loaded.config));
  const problems = [...loaded.problems, ...plan.problems];
  for (const problem of sortProblems(problems)) {
    io.writeOut(`${formatProblem({ ...problem, file: displayPath(problem.file, io.cwd) })}\n`);
  }
  for (const hint of secretHints(loaded.needsSecrets)) io.writeOut(`${hint}\n`);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const instances = plan.instances.length;
  io.writeErr(
    hasErrors(problems)
      ? `${errors} error${plural(errors)}, ${warnings} warning${plural(warnings)}\n`
      : `ok: ${instances} instance${plural(instances)}${warnings > 0 ? `, ${warnings} warning${plural(warnings)}` : ''}\n`,
  );
  return hasErrors(problems) ? ExitCode.problems : ExitCode.ok;
}

export function planOptions(config: { readonly separator?: string; readonly note?: string } | undefined): {
  separator?: string;
  note?: string;
} {
  return {
    ...(config?.separator === undefined ? {} : { separator: config.separator }),
    ...(config?.note === undefined ? {} : { note: config.note }),
  };
}

export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.offset - b.offset);
}

/** Paths under the current folder are printed relative, as the user typed them. */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
