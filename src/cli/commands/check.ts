/** `mcplex check`: validate a configuration; print every problem with its position. */
import { hasErrors } from '../../core';
import { ExitCode, type CliIo } from '../io';
import type { ConfigChoice } from '../configSources';
import { loadPlan, reportProblems, reportSources } from '../loadPlan';

export async function checkCommand(options: ConfigChoice, io: CliIo): Promise<ExitCode> {
  const loaded = await loadPlan(options, io);
  reportSources(loaded, io);
  reportProblems(loaded, io, (text) => io.writeOut(text));
  const { problems } = loaded;
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const instances = loaded.plan.instances.length;
  io.writeErr(
    hasErrors(problems)
      ? `${errors} error${plural(errors)}, ${warnings} warning${plural(warnings)}\n`
      : `ok: ${instances} instance${plural(instances)}${warnings > 0 ? `, ${warnings} warning${plural(warnings)}` : ''}\n`,
  );
  return hasErrors(problems) ? ExitCode.problems : ExitCode.ok;
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
