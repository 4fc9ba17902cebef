/**
 * Config → runnable instances: merge each instance with its server, fetch the secrets
 * it uses, fill in every `${...}`. An instance that cannot be resolved is reported and
 * left out; the others still resolve. Problems never contain a secret value.
 */
import * as path from 'node:path';
import type { JsonPath, Problem } from '../problems';
import { defaultStateRoot, instanceDirOf, instanceRecordsOf } from './instanceDir';
import { checkMergedInstance, mergeInstance, type MergedInstance } from './merge';
import type { Isolation, McplexConfig, ResolvedInstance, SecretResolver, SubstitutionContext, UpstreamSpec } from './model';
import { formatPath, locationInString, problemAt } from './positions';
import { authTemplates, buildAuth } from './resolveAuth';
import { substitute, type Lookups, type SubstitutionFailure } from './substitute';
import { parseTemplate, secretNames, usesInstanceDir } from './template';
import { rootUris } from './rootUris';
import { isHttpUrl } from './validateFields';

/** An instance left out because secrets it uses are not stored (a "needs a secret" state). */
export interface NeedsSecrets {
  readonly serverId: string;
  readonly instanceId: string;
  /** The missing secret names. */
  readonly secrets: readonly string[];
}

export interface ResolveResult {
  readonly instances: ResolvedInstance[];
  readonly problems: Problem[];
  readonly needsSecrets: NeedsSecrets[];
}

export async function resolveInstances(config: McplexConfig, ctx: SubstitutionContext): Promise<ResolveResult> {
  const result: ResolveResult = { instances: [], problems: [], needsSecrets: [] };
  const secrets = new SecretCache(ctx.secrets);
  for (const [serverId, server] of Object.entries(config.servers)) {
    for (const [instanceId, instance] of Object.entries(server.instances)) {
      const merged = mergeInstance(serverId, server, instanceId, instance);
      // Shape warnings are parseConfig's to report; only what stops the instance matters here.
      const blocking = checkMergedInstance(merged).filter((problem) => problem.severity === 'error');
      if (blocking.length > 0) {
        result.problems.push(...blocking);
        continue;
      }
      await resolveOne(merged, ctx, secrets, result);
    }
  }
  return result;
}

/** One value to substitute: where it is in the instance, and its text as written. */
interface Field {
  readonly relative: JsonPath;
  readonly raw: string;
}

function fieldsOf(merged: MergedInstance): Field[] {
  const fields: Field[] = [];
  const add = (relative: JsonPath, raw: string | undefined): void => {
    if (raw !== undefined) fields.push({ relative, raw });
  };
  if (merged.command !== undefined) {
    add(['command'], merged.command);
    (merged.args ?? []).forEach((arg, index) => add(['args', index], arg));
    for (const [name, value] of Object.entries(merged.env)) add(['env', name], value);
    add(['cwd'], merged.cwd);
  } else {
    add(['url'], merged.url);
    for (const [name, value] of Object.entries(merged.headers)) add(['headers', name], value);
    if (merged.auth !== undefined) fields.push(...authTemplates(merged.auth));
  }
  if (merged.roots !== false) (merged.roots ?? []).forEach((root, index) => add(['roots', index], root));
  return fields;
}

async function resolveOne(
  merged: MergedInstance,
  ctx: SubstitutionContext,
  cache: SecretCache,
  result: ResolveResult,
): Promise<void> {
  const fields = fieldsOf(merged);
  const names = [...new Set(fields.flatMap((field) => secretNames(parseTemplate(field.raw))))];
  const fetched = new Map<string, SecretOutcome>();
  for (const name of names) fetched.set(name, await cache.get(name));
  const problems: Problem[] = [];
  const stateRoot = ctx.stateRoot ?? defaultStateRoot(ctx.env, ctx.userHome);
  const instanceDir = instanceDirOf(stateRoot, ctx.workspaceFolder, merged.serverId, merged.instanceId);
  const lookups: Lookups = {
    env: ctx.env,
    workspaceFolder: ctx.workspaceFolder,
    userHome: ctx.userHome,
    instanceDir,
    secret: (name) => {
      const outcome = fetched.get(name);
      return outcome && 'value' in outcome ? outcome.value : undefined;
    },
  };
  const values = new Map<string, { value: string; redacted: string }>();
  const missingSecrets = new Set<string>();
  for (const field of fields) {
    const outcome = substitute(field.raw, lookups);
    if (outcome.ok) {
      values.set(JSON.stringify(field.relative), outcome);
      continue;
    }
    for (const failure of outcome.failures) {
      const unreadable = failure.kind === 'missing-secret' ? fetched.get(failure.name) : undefined;
      if (unreadable && 'failure' in unreadable) {
        problems.push(unreadableSecret(merged, field, failure, unreadable.failure));
        continue;
      }
      if (failure.kind === 'missing-secret') missingSecrets.add(failure.name);
      problems.push(failureProblem(merged, field, failure));
    }
  }
  if (missingSecrets.size > 0) {
    result.needsSecrets.push({ serverId: merged.serverId, instanceId: merged.instanceId, secrets: [...missingSecrets] });
  }
  if (problems.length === 0) {
    const usesDir = isolationOf(merged) !== undefined || fields.some((field) => usesInstanceDir(parseTemplate(field.raw)));
    const stateDir = usesDir ? instanceDir : undefined;
    const built = buildUpstreams(merged, ctx, (relative) => values.get(JSON.stringify(relative)), stateDir);
    if ('problem' in built) problems.push(built.problem);
    else {
      const secretValues = names.flatMap((name) => {
        const outcome = fetched.get(name);
        return outcome && 'value' in outcome && outcome.value !== undefined ? [outcome.value] : [];
      });
      result.instances.push({
        serverId: merged.serverId,
        instanceId: merged.instanceId,
        serverLabel: merged.serverLabel,
        instanceLabel: merged.instanceLabel,
        upstream: secretValues.length > 0 ? { ...built.upstream, secretValues } : built.upstream,
        redacted: built.redacted,
        tools: merged.tools,
        audit: merged.audit,
        location: merged.location,
        secrets: names,
        recordsDir: instanceRecordsOf(stateRoot, ctx.workspaceFolder, merged.serverId, merged.instanceId),
        ...(merged.isDefault && { isDefault: true }),
        ...(merged.exposure !== undefined && { exposure: merged.exposure }),
        ...(merged.roots !== undefined && { roots: rootUris(merged.roots, ctx, (relative) => values.get(JSON.stringify(relative))?.value ?? '') }),
      });
    }
  }
  result.problems.push(...problems);
}

function who(merged: MergedInstance): string {
  return `Instance \`${merged.instanceId}\` of server \`${merged.serverId}\``;
}

function failureProblem(merged: MergedInstance, field: Field, failure: SubstitutionFailure): Problem {
  const location = merged.locate(field.relative);
  const where = `\`${formatPath(field.relative)}\``;
  if (failure.kind === 'template') {
    const at = locationInString(location, field.raw, failure.issue.start, failure.issue.end);
    return problemAt('error', failure.issue.code, at, `${who(merged)}, ${where}: ${failure.issue.message}`);
  }
  const at = locationInString(location, field.raw, failure.start, failure.end);
  if (failure.kind === 'missing-secret') {
    return problemAt(
      'error',
      'unresolved-secret',
      at,
      `${who(merged)} needs the secret \`${failure.name}\` (used in ${where}), which is not stored; store a value for it, then start the instance again.`,
    );
  }
  return problemAt(
    'error',
    'unresolved-variable',
    at,
    `${who(merged)} uses \`${failure.source}\` in ${where}, but the environment variable \`${failure.name}\` is not set; set it, or keep the value as a secret with \`\${secret:NAME}\`.`,
  );
}

/** The secret store failed (as opposed to not having the secret): say why, not "store it". */
function unreadableSecret(merged: MergedInstance, field: Field, failure: SubstitutionFailure, reason: string): Problem {
  const location = merged.locate(field.relative);
  const at = failure.kind === 'template' ? location : locationInString(location, field.raw, failure.start, failure.end);
  const name = failure.kind === 'template' ? '' : failure.name;
  return problemAt(
    'error',
    'unresolved-secret',
    at,
    `${who(merged)} could not read the secret \`${name}\` (used in \`${formatPath(field.relative)}\`): ${reason}`,
  );
}

type Resolved = (relative: JsonPath) => { value: string; redacted: string } | undefined;

function buildUpstreams(
  merged: MergedInstance,
  ctx: SubstitutionContext,
  resolved: Resolved,
  stateDir: string | undefined,
): { upstream: UpstreamSpec; redacted: UpstreamSpec } | { problem: Problem } {
  const pick = (which: 'value' | 'redacted') => (relative: JsonPath): string => resolved(relative)?.[which] ?? '';
  if (merged.command !== undefined) {
    const isolate = isolationOf(merged);
    const build = (get: (relative: JsonPath) => string): UpstreamSpec => ({
      kind: 'stdio',
      command: get(['command']),
      args: (merged.args ?? []).map((_, index) => get(['args', index])),
      env: Object.fromEntries(Object.keys(merged.env).map((name) => [name, get(['env', name])])),
      // Relative to the workspace folder, which is also the default: a config should
      // mean the same thing whichever directory the CLI or VS Code was started from.
      cwd: path.resolve(ctx.workspaceFolder, merged.cwd === undefined ? '.' : get(['cwd'])),
      ...(stateDir !== undefined && { stateDir }),
      ...(isolate !== undefined && { isolate }),
    });
    return { upstream: build(pick('value')), redacted: build(pick('redacted')) };
  }
  const url = resolved(['url']);
  if (!url || !isHttpUrl(url.value)) {
    return {
      problem: problemAt(
        'error',
        'invalid-value',
        merged.locate(['url']),
        `${who(merged)}: \`url\` is not a valid http:// or https:// URL once its variables are filled in (\`${url?.redacted ?? ''}\`); check the variables it uses.`,
      ),
    };
  }
  const build = (get: (relative: JsonPath) => string): UpstreamSpec => ({
    kind: 'remote',
    url: get(['url']),
    transport: merged.transport ?? 'auto',
    headers: Object.fromEntries(Object.keys(merged.headers).map((name) => [name, get(['headers', name])])),
    ...(merged.auth !== undefined && { auth: buildAuth(merged.auth, get) }),
    ...(stateDir !== undefined && { stateDir }),
  });
  return { upstream: build(pick('value')), redacted: build(pick('redacted')) };
}

/** The launcher's private folders, or none (`isolate` absent or `none`, or a remote upstream). */
function isolationOf(merged: MergedInstance): Isolation | undefined {
  if (merged.command === undefined || merged.isolate === undefined || merged.isolate === 'none') return undefined;
  return { mode: merged.isolate, share: merged.isolate === 'home' ? (merged.share ?? []) : [] };
}

type SecretOutcome = { readonly value: string | undefined } | { readonly failure: string };

/** Asks the resolver once per name for a whole resolve, however many instances use it. */
class SecretCache {
  private readonly pending = new Map<string, Promise<SecretOutcome>>();

  constructor(private readonly resolver: SecretResolver) {}

  get(name: string): Promise<SecretOutcome> {
    let outcome = this.pending.get(name);
    if (!outcome) {
      outcome = this.resolver.get(name).then(
        (value): SecretOutcome => ({ value }),
        (error: unknown): SecretOutcome => ({ failure: error instanceof Error ? error.message : String(error) }),
      );
      this.pending.set(name, outcome);
    }
    return outcome;
  }
}
