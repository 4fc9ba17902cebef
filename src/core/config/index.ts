/**
 * The config loader: `.mcplex.jsonc` text (or a settings value) → validated config →
 * resolved instances. Every problem is collected with its position; one broken
 * server or instance never stops the others.
 */
import type { Problem } from '../problems';
import { checkMergedInstance, mergeInstance } from './merge';
import type { InstanceConfig, McplexConfig, ResolvedInstance, ServerConfig, SubstitutionContext } from './model';
import { ProblemSink } from './positions';
import { parseText } from './parseText';
import { resolveInstances, type NeedsSecrets } from './resolve';
import { validateDocument } from './validateDocument';

export type { NeedsSecrets, ResolveResult } from './resolve';
export { resolveInstances } from './resolve';
export { mergeInstance } from './merge';
export type { MergedInstance } from './merge';
export { ID_PATTERN } from './validateDocument';
export { LineIndex, problemAt } from './positions';
export { mergeSources } from './mergeSources';
export * from './model';

export interface ParseResult {
  /** Undefined only when the document is unusable (empty, or not an object). */
  readonly config: McplexConfig | undefined;
  readonly problems: Problem[];
}

export interface ParseOptions {
  /**
   * `false` keeps instances that cannot run on their own (no `command`/`url` after merging
   * with their server), so a source can be merged with another first (`mergeSources`), and
   * then runs `keepRunnable` over the merged config. Default `true`.
   */
  readonly checkRunnable?: boolean;
}

export interface LoadResult extends ParseResult {
  readonly instances: ResolvedInstance[];
  readonly needsSecrets: NeedsSecrets[];
}

/**
 * Parses and validates. The config holds what is valid: servers and instances with
 * errors (including "exactly one of `command`/`url` after merging") are left out.
 */
export function parseConfig(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const sink = new ProblemSink(file, text);
  const { root, syntaxErrors } = parseText(text, sink);
  if (!root) {
    if (sink.problems.length === 0) {
      sink.error('missing-field', { offset: 0, length: 0 }, [], 'The configuration is empty; start with `{ "servers": {} }`.');
    }
    return { config: undefined, problems: sink.problems };
  }
  const config = validateDocument(root, sink, syntaxErrors);
  if (!config) return { config, problems: sink.problems };
  if (options.checkRunnable === false) return { config, problems: sink.problems };
  return { config: keepRunnable(config, sink.problems), problems: sink.problems };
}

/**
 * Merges each instance with its server to check it, and leaves out those that cannot run;
 * their problems are added to `problems`.
 */
export function keepRunnable(config: McplexConfig, problems: Problem[]): McplexConfig {
  const reported = new Set<string>();
  const servers: Record<string, ServerConfig> = {};
  for (const [serverId, server] of Object.entries(config.servers)) {
    const instances: Record<string, InstanceConfig> = {};
    for (const [instanceId, instance] of Object.entries(server.instances)) {
      const found = checkMergedInstance(mergeInstance(serverId, server, instanceId, instance));
      for (const problem of found) {
        // A server-level field is shared by all its instances: say it once.
        const key = `${problem.code}@${problem.file}@${problem.offset}`;
        if (reported.has(key)) continue;
        reported.add(key);
        problems.push(problem);
      }
      if (!found.some((problem) => problem.severity === 'error')) instances[instanceId] = instance;
    }
    servers[serverId] = { ...server, instances };
  }
  return { ...config, servers };
}

/** Parse, validate and resolve in one go. */
export async function loadConfig(text: string, file: string, ctx: SubstitutionContext): Promise<LoadResult> {
  const parsed = parseConfig(text, file);
  if (!parsed.config) return { ...parsed, instances: [], needsSecrets: [] };
  const resolved = await resolveInstances(parsed.config, ctx);
  return {
    config: parsed.config,
    problems: [...parsed.problems, ...resolved.problems],
    instances: resolved.instances,
    needsSecrets: resolved.needsSecrets,
  };
}

/**
 * A config from a settings value (`{ "servers": { … } }`, the same shape as the file).
 * It is serialized and parsed so it gets exactly the file's checks; positions then
 * refer to that serialization, so `label` (e.g. `User settings`) and the JSON path are
 * what locate a problem.
 */
export function configFromValue(value: unknown, label: string, options: ParseOptions = {}): ParseResult {
  // An unset setting configures nothing; that is not a mistake.
  if (value === undefined || value === null) return { config: { file: label, servers: {} }, problems: [] };
  let text: string;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const sink = new ProblemSink(label, '');
    sink.error('invalid-type', { offset: 0, length: 0 }, [], `The setting cannot be read as JSON (${reason}); write it as plain JSON.`);
    return { config: undefined, problems: sink.problems };
  }
  return parseConfig(text, label, options);
}
export { didYouMean, editDistance } from './didYouMean';
export { BYTE_ORDER_MARK, MAX_NESTING, tooDeepAt, tooDeepMessage, withoutByteOrderMark } from './jsonText';
export { parseTemplate, secretNames } from './template';
export { defaultStateRoot, instanceDirOf, instanceRecordsOf } from './instanceDir';
