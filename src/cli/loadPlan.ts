/**
 * What every command that reads a configuration does first: read its files (the folder's
 * and the user's, configSources.ts) and plan them as a window of one folder — the planner the extension uses (`planFolders`), so slugs,
 * labels, hashes, problems and the duplicate-prefix check are the same — then say what is
 * wrong (each problem as FILE:LINE:COL, then where the CLI looks for missing secrets).
 * One broken instance never stops the others: the plan holds the rest.
 */
import { basename, isAbsolute, relative } from 'node:path';
import type { PlannedInstance, WindowPlan } from '../core/plan';
import { planFolders, type FolderInput, type FolderOptions } from '../core/runtime';
import type { EndpointLayout } from '../core/engine';
import { formatProblem, type Problem } from '../core';
import { secretHints } from './configFile';
import { describeSources, readConfigSources, type ConfigChoice, type ConfigSources } from './configSources';
import type { CliIo } from './io';

/**
 * The CLI's one folder. Tool names are prefixed unless the file says `toolPrefix: false`;
 * `toolPrefix`, from `--tool-prefix`, wins over the file. By default every instance is behind one
 * endpoint (`mcplex serve`), so instances that share a prefix are a problem here as in
 * VS Code's aggregate; `serve --instance` serves one alone, where a shared prefix is none.
 */
export function cliFolderOptions(exposure: FolderOptions['exposure'] = 'aggregate', toolPrefix?: boolean): FolderOptions {
  return { toolPrefix: true, exposure, ...(toolPrefix !== undefined && { toolPrefixOverride: toolPrefix }) };
}

/** How a command serves what it loads (`serve`'s flags); by default every instance behind one endpoint. */
export interface CliServing {
  /**
   * `one-endpoint` (`serve`, and `check` and `list`, which answer for it): every instance
   * behind one endpoint, whatever the file's `exposure`; `alone` (`serve --instance`, `pin`):
   * each on its own. The file's `exposure` cannot change this: it says how VS Code lays out
   * its definitions, and the CLI has one endpoint.
   */
  readonly layout?: Exclude<EndpointLayout, 'window'>;
  /** `--exposure`. */
  readonly exposure?: FolderOptions['exposure'];
  /** `--tool-prefix`. */
  readonly toolPrefix?: boolean;
}

export interface LoadedPlan {
  /** The files read, the workspace folder and what `${...}` resolves in. */
  readonly sources: ConfigSources;
  /** The folder as planned (`mcplex serve` narrows it and hands it to the engine). */
  readonly folder: FolderInput;
  readonly window: WindowPlan;
  /** The instances the CLI can run, in plan order (secrets resolved, prefixes distinct). */
  readonly plan: { readonly instances: readonly PlannedInstance[]; readonly separator: string };
  /** Every problem of the file and the plan, in file order. */
  readonly problems: readonly Problem[];
  /** Instances that wait for secrets, and which. */
  readonly needsSecrets: readonly { serverId: string; instanceId: string; secrets: readonly string[] }[];
}

export async function loadPlan(choice: ConfigChoice, io: CliIo, serving: CliServing = {}): Promise<LoadedPlan> {
  const layout = serving.layout ?? 'one-endpoint';
  const sources = await readConfigSources(choice, io);
  const { file, userFile, context } = sources;
  const folder: FolderInput = {
    id: file?.path ?? sources.folder,
    name: basename(sources.folder),
    path: sources.folder,
    ...(file !== undefined && { file }),
    ...(userFile !== undefined && { userFile }),
    options: cliFolderOptions(layout === 'alone' ? 'instances' : serving.exposure, serving.toolPrefix),
  };
  const planned = await planFolders([folder], { env: context.env, secrets: context.secrets, userHome: context.userHome }, new Map(), true, layout);
  const { plan: window, exposed } = planned;
  // As planned: with the exposure the file chose.
  const chosen = planned.folders[0] ?? folder;
  const instances = [...exposed.wanted.values()].map((instance) => instance.planned);
  const separator = window.folders[0]?.separator ?? '__';
  const problems = [...planned.problems.values()].flat().sort((a, b) => a.file.localeCompare(b.file) || a.offset - b.offset);
  const needsSecrets = window.instances.flatMap(({ serverId, instanceId, missingSecrets }) => (missingSecrets === undefined ? [] : [{ serverId, instanceId, secrets: missingSecrets }]));
  return { sources, folder: chosen, window, plan: { instances, separator }, problems, needsSecrets };
}

/** Prints the problems and the secret hints with `write` (stdout for `check`, stderr otherwise). */
export function reportProblems(loaded: LoadedPlan, io: CliIo, write: (text: string) => void): void {
  for (const problem of loaded.problems) write(`${formatProblem({ ...problem, file: displayPath(problem.file, io.cwd) })}\n`);
  for (const hint of secretHints(loaded.needsSecrets)) write(`${hint}\n`);
}

/** Which files were read (`check`, `list`), on stderr: with the upward search and the user's file, not obvious. */
export function reportSources(loaded: LoadedPlan, io: CliIo): void {
  io.writeErr(`mcplex: ${describeSources(loaded.sources, (file) => displayPath(file, io.cwd))}\n`);
}

/** Paths under the current folder are printed relative, as the user typed them. */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
