/**
 * One workspace folder's sources → runnable and pending instances. The `mcplex.servers`
 * setting (in the CLI: the user's configuration file) and the folder's `.mcplex.jsonc` are
 * parsed without the "can it run" check, merged (the folder's file wins), then checked and
 * resolved together, so an instance in one source may inherit its `command` from the other.
 */
import { findClones, writtenCandidate } from '../clones';
import {
  configFromValue,
  keepRunnable,
  mergeInstance,
  mergeSources,
  parseConfig,
  resolveInstances,
  type Exposure,
  type McplexConfig,
  type ParseResult,
  type ResolvedInstance,
  type SecretResolver,
  type SourceLocation,
} from '../config';
import type { PendingInstance } from '../plan';
import type { Problem } from '../problems';
import type { FolderInput } from './model';

/** Where problems of the `mcplex.servers` setting are filed. */
export const SETTINGS_LABEL = 'settings (mcplex.servers)';

export interface FolderContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: SecretResolver;
  readonly userHome: string;
  /** Where `${instanceDir}` folders live; absent: the CLI's default (`defaultStateRoot`). */
  readonly stateRoot?: string;
}

export interface FolderLoad {
  /** By source (file path or `SETTINGS_LABEL`); each source read has an entry, maybe empty. */
  readonly problems: ReadonlyMap<string, readonly Problem[]>;
  /** The file does not parse: its config is partial and must not replace the last good one. */
  readonly syntaxError: boolean;
  /**
   * Any error in what its sources say (syntax, an unknown key, a wrong type), not a missing
   * secret or variable: what it would run is not what the user wrote, so it must not replace
   * the last good load.
   */
  readonly hasErrors: boolean;
  readonly instances: readonly ResolvedInstance[];
  readonly pending: readonly PendingInstance[];
  readonly separator?: string;
  readonly note?: string;
  /** Whether an instance alone prefixes its tool names: the CLI flag, else the file, else the setting. */
  readonly toolPrefix: boolean;
  /** Set when the configuration chose `toolPrefix: false` and nothing overrode it (see toolPrefixProblems). */
  readonly unprefixedAt?: SourceLocation;
  /** The file's top-level `exposure`, which wins over the folder's option (see planFolders). */
  readonly exposure?: Exposure;
}

export async function loadFolder(folder: FolderInput, context: FolderContext): Promise<FolderLoad> {
  const problems = new Map<string, Problem[]>();
  const settings = folder.settingsServers === undefined ? undefined : readSource(problems, SETTINGS_LABEL, configFromValue({ servers: folder.settingsServers }, SETTINGS_LABEL, { checkRunnable: false }));
  const user = folder.userFile === undefined ? undefined : readFile(problems, folder.userFile);
  const file = folder.file === undefined ? undefined : readFile(problems, folder.file);
  const syntaxError = [folder.userFile, folder.file].some((source) => source !== undefined && (problems.get(source.path) ?? []).some((problem) => problem.code === 'syntax'));

  // The most general source first: the setting, the user's file, then the folder's file.
  const merged = mergeSources(mergeSources(settings, user), file);
  const separator = merged?.separator ?? folder.options.separator;
  const note = merged?.note ?? folder.options.note;
  const written = folder.options.toolPrefixOverride === undefined ? merged?.toolPrefix : undefined;
  const options = {
    ...(separator !== undefined && { separator }),
    ...(note !== undefined && { note }),
    toolPrefix: folder.options.toolPrefixOverride ?? written?.prefixed ?? folder.options.toolPrefix,
    ...(written?.prefixed === false && { unprefixedAt: written.location }),
    ...(merged?.exposure !== undefined && { exposure: merged.exposure }),
  };
  if (merged === undefined) return { problems, syntaxError, hasErrors: anyError(problems), instances: [], pending: [], ...options };

  const found: Problem[] = [];
  const runnable = keepRunnable(merged, found);
  const resolved = await resolveInstances(runnable, {
    env: context.env,
    secrets: context.secrets,
    workspaceFolder: folder.path,
    userHome: context.userHome,
    ...(context.stateRoot !== undefined && { stateRoot: context.stateRoot }),
  });
  for (const problem of [...found, ...resolved.problems]) problemsOf(problems, problem.file).push(problem);
  const pending = resolved.needsSecrets.flatMap((missing) => pendingInstance(runnable, missing.serverId, missing.instanceId, missing.secrets));
  for (const problem of pendingClones(runnable, pending)) problemsOf(problems, problem.file).push(problem);
  return { problems, syntaxError, hasErrors: anyError(problems), instances: resolved.instances, pending, ...options };
}

/**
 * A value the text refers to and that is not there (a secret not stored yet, an environment
 * variable not set) is not a broken configuration: its instance waits (`pending`) or is left
 * out alone, and the last good load must not run it on a value that was cleared.
 */
const MISSING_VALUE_CODES: ReadonlySet<string> = new Set(['unresolved-secret', 'unresolved-variable']);

/** An error in what the configuration says, which keeps the folder on its last good load. */
export function isConfigError(problem: Problem): boolean {
  return problem.severity === 'error' && !MISSING_VALUE_CODES.has(problem.code);
}

function anyError(problems: ReadonlyMap<string, readonly Problem[]>): boolean {
  return [...problems.values()].some((list) => list.some(isConfigError));
}

/**
 * Instances waiting for a secret cannot be compared on their launch yet; as written they
 * can: the same text in one folder resolves to the same launch (the others: planFolders).
 */
function pendingClones(config: McplexConfig, pending: readonly PendingInstance[]): Problem[] {
  const candidates = pending.flatMap(({ serverId, instanceId }) => {
    const server = config.servers[serverId];
    const instance = server?.instances[instanceId];
    return server === undefined || instance === undefined ? [] : [writtenCandidate(mergeInstance(serverId, server, instanceId, instance))];
  });
  return findClones(candidates);
}

function readFile(problems: Map<string, Problem[]>, file: { readonly path: string; readonly text: string }): McplexConfig | undefined {
  return readSource(problems, file.path, parseConfig(file.text, file.path, { checkRunnable: false }));
}

function readSource(problems: Map<string, Problem[]>, label: string, parsed: ParseResult): McplexConfig | undefined {
  problemsOf(problems, label).push(...parsed.problems);
  return parsed.config;
}

function problemsOf(problems: Map<string, Problem[]>, file: string): Problem[] {
  let list = problems.get(file);
  if (list === undefined) {
    list = [];
    problems.set(file, list);
  }
  return list;
}

function pendingInstance(config: McplexConfig, serverId: string, instanceId: string, secrets: readonly string[]): PendingInstance[] {
  const server = config.servers[serverId];
  const instance = server?.instances[instanceId];
  if (server === undefined || instance === undefined) return [];
  return [{ serverId, instanceId, serverLabel: server.label ?? serverId, instanceLabel: instance.label ?? instanceId, location: instance.location, secrets, ...(server.exposure !== undefined && { exposure: server.exposure }) }];
}
