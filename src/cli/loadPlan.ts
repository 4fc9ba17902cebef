/**
 * What every command that reads a configuration does first: read the file, load and plan
 * it, and say what is wrong (each problem as FILE:LINE:COL, then where the CLI looks for
 * missing secrets). One broken instance never stops the others: the plan holds the rest.
 */
import { isAbsolute, relative } from 'node:path';
import { loadConfig, type LoadResult } from '../core/config';
import { planInstances, type Plan } from '../core/plan';
import { formatProblem, type Problem } from '../core';
import { readConfigFile, secretHints, type ConfigFile } from './configFile';
import type { CliIo } from './io';

export interface LoadedPlan {
  readonly file: ConfigFile;
  readonly loaded: LoadResult;
  readonly plan: Plan;
  /** Every problem of the file and the plan, in file order. */
  readonly problems: readonly Problem[];
}

export async function loadPlan(configArg: string, io: CliIo): Promise<LoadedPlan> {
  const file = await readConfigFile(configArg, io);
  const loaded = await loadConfig(file.text, file.path, file.context);
  const plan = planInstances(loaded.instances, {
    ...(loaded.config?.separator === undefined ? {} : { separator: loaded.config.separator }),
    ...(loaded.config?.note === undefined ? {} : { note: loaded.config.note }),
  });
  const problems = [...loaded.problems, ...plan.problems].sort((a, b) => a.file.localeCompare(b.file) || a.offset - b.offset);
  return { file, loaded, plan, problems };
}

/** Prints the problems and the secret hints with `write` (stdout for `check`, stderr otherwise). */
export function reportProblems(loaded: LoadedPlan, io: CliIo, write: (text: string) => void): void {
  for (const problem of loaded.problems) write(`${formatProblem({ ...problem, file: displayPath(problem.file, io.cwd) })}\n`);
  for (const hint of secretHints(loaded.loaded.needsSecrets)) write(`${hint}\n`);
}

/** Paths under the current folder are printed relative, as the user typed them. */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
