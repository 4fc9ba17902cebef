/**
 * `mcplex list`: start every instance in parallel and print the tools each exposes,
 * under the names a client of `mcplex serve` sees, and the ones it hides and why. One
 * failing instance is reported and never hides the others.
 *
 * The names come from the catalog `serve` builds for the same configuration (core/catalog:
 * keyed by prefix, prefixed unless one instance is served alone with `toolPrefix: false`, the
 * plan's separator), so list and serve cannot disagree, shortened names included.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { buildCatalog, collapseAccounts, type Catalog, type HiddenReason } from '../../core/catalog';
import type { PlannedInstance } from '../../core/plan';
import { PinStore, PinsFileError } from '../../core/pins';
import { compileToolFilter } from '../../core/naming';
import type { AuthorizedConnector } from '../../core/auth';
import { listAllTools } from '../../core/wire';
import { hasErrors } from '../../core';
import { sameAccountWarnings, signInScope } from '../../core/runtime';
import { cliConnector, cliSignedInAs, sharedUrlsOf, unsupportedAuth } from '../cliAuth';
import { loadPlan, reportProblems, reportSources } from '../loadPlan';
import type { ConfigChoice } from '../configSources';
import { endpointExposure, sharedExposure } from '../serving';
import { ExitCode, type CliIo } from '../io';
import { Progress } from '../progress';

export interface ListedTool {
  readonly instance: string;
  readonly server: string;
  readonly name: string;
  readonly upstreamName: string;
  /** What the model reads: the upstream's description with the instance note (a hidden tool: the upstream's). */
  readonly description: string;
  /** Why the model does not see it (then `name` is the name it would have); absent when exposed. */
  readonly hidden?: HiddenReason;
  /** Its instance's own roots (URIs) that mcplex answers `roots/list` with, `false` for none; absent: the client's. */
  readonly roots?: readonly string[] | false;
  /** The instance's private folder (`${instanceDir}`), when its configuration uses it or `isolate`. */
  readonly stateDir?: string;
}

type InstanceResult =
  | { readonly ok: true; readonly instance: PlannedInstance; readonly tools: readonly Tool[]; readonly ms: number; readonly account?: string }
  | { readonly ok: false; readonly instance: PlannedInstance; readonly error: string };

export async function listCommand(options: ConfigChoice & { readonly json: boolean }, io: CliIo): Promise<ExitCode> {
  const loadedPlan = await loadPlan(options, io);
  reportSources(loadedPlan, io);
  reportProblems(loadedPlan, io, (text) => io.writeErr(text));
  const { plan } = loadedPlan;

  const progress = new Progress(io, plan.instances.length);
  const { folder } = loadedPlan.sources;
  const shared = sharedUrlsOf(plan.instances.map((instance) => instance.upstream));
  const connector = cliConnector(io, new Map(plan.instances.map((i) => [i.key, { name: i.key, prefix: i.prefix, cwd: folder }])), shared);
  const results = await Promise.all(plan.instances.map(async (instance) => withAccount(await listInstance(instance, io, progress, connector), io)));
  await connector.close();
  warnSameAccount(results, io);

  // Named as `mcplex serve` of this file names them: an instance alone keeps its tools' own
  // names under `toolPrefix: false`; instances sharing the endpoint keep their prefixes.
  const folderExposure = loadedPlan.folder.options.exposure;
  const exposure = endpointExposure(plan.instances.length, sharedExposure(folderExposure));
  const prefixed = exposure !== 'instances' || (loadedPlan.window.folders[0]?.toolPrefix ?? true);
  const collapses = (instance: PlannedInstance): boolean => exposure !== 'instances' && (instance.exposure ?? folderExposure) === 'accounts';
  const catalog = catalogOf(results, { separator: plan.separator, prefixed }, await approvedPins(results, io), collapses);
  for (const issue of catalog.issues) io.writeErr(`mcplex: ${issue.message}\n`);
  const listed = listedTools(catalog, results);

  if (options.json) io.writeOut(`${JSON.stringify(listed, null, 2)}\n`);
  else io.writeOut(renderTable(results, listed));

  const failed = results.some((result) => !result.ok);
  return failed || hasErrors(loadedPlan.problems) ? ExitCode.problems : ExitCode.ok;
}

async function listInstance(
  instance: PlannedInstance,
  io: CliIo,
  progress: Progress,
  connector: AuthorizedConnector,
): Promise<InstanceResult> {
  const started = Date.now();
  const stderrTail: string[] = [];
  const unsupported = unsupportedAuth(instance);
  if (unsupported !== undefined) {
    progress.report(`${instance.key}: failed`);
    return { ok: false, instance, error: `${instance.key}: ${unsupported}` };
  }
  try {
    const connection = await connector.connectUpstream(instance.upstream, {
      instance: instance.key,
      onStderr: (line) => {
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
        if (io.env['MCPLEX_LOG_STDERR'] === '1') io.writeErr(`[${instance.key}] ${line}\n`);
      },
    });
    try {
      const tools = await listAllTools(connection.client);
      const ms = Date.now() - started;
      progress.report(`${instance.key}: ${tools.length} tool${tools.length === 1 ? '' : 's'} (${ms} ms)`);
      return { ok: true, instance, tools, ms };
    } finally {
      await connection.close();
    }
  } catch (error) {
    const message = io.secrets.redact(error instanceof Error ? error.message : String(error));
    progress.report(`${instance.key}: failed`);
    return { ok: false, instance, error: message };
  }
}

/** An OAuth instance that came up: who it is signed in as, when its ID token says. */
async function withAccount(result: InstanceResult, io: CliIo): Promise<InstanceResult> {
  const { upstream } = result.instance;
  if (!result.ok || upstream.kind !== 'remote' || upstream.auth?.type !== 'oauth') return result;
  const account = await cliSignedInAs(io, result.instance.key, upstream.url);
  return account === undefined ? result : { ...result, account };
}

/** Two instances signed in to one upstream as one identity: said on stderr (stdout is the table). */
function warnSameAccount(results: readonly InstanceResult[], io: CliIo): void {
  const warnings = sameAccountWarnings(results.map((result) => ({
    id: result.instance.key,
    label: result.instance.key,
    account: result.ok ? result.account : undefined,
    scope: signInScope(result.instance.upstream),
  })));
  for (const [key, text] of warnings) io.writeErr(`mcplex: warning: ${key} is ${text}\n`);
}

/**
 * The catalog of `mcplex serve` over the same instances: the ones that failed are members
 * whose list is unknown; for a server in `accounts` exposure (its own, else the file's), tools all its accounts share are shown once;
 * prefixed unless one instance is served alone with `toolPrefix: false`.
 */
function catalogOf(
  results: readonly InstanceResult[],
  naming: { readonly separator: string; readonly prefixed: boolean },
  pins: readonly (ReadonlyMap<string, string> | undefined)[],
  collapses: (instance: PlannedInstance) => boolean,
): Catalog<Tool, PlannedInstance> {
  const members = results.map((result, index) => ({
    owner: result.instance,
    key: result.instance.prefix,
    note: result.instance.note,
    filter: compileToolFilter(result.instance.tools),
    describe: result.instance.tools.describe,
    pins: pins[index],
    items: result.ok ? result.tools : undefined,
    listed: true,
    // Only a collapsing server's accounts are a group; another member is its own (`server/instance` is never a server id).
    group: collapses(result.instance) ? result.instance.serverId : result.instance.key,
    label: result.instance.instanceLabel,
    isDefault: result.instance.isDefault === true,
  }));
  const catalog = buildCatalog(members, naming);
  return results.some((result) => collapses(result.instance)) ? collapseAccounts(catalog, members) : catalog;
}

/**
 * `tools.pin`: the approved definitions of each pinned instance that listed, recording its list
 * as `serve` would (the first list approved, later differences waiting for `mcplex pin accept`).
 */
function approvedPins(results: readonly InstanceResult[], io: CliIo): Promise<(ReadonlyMap<string, string> | undefined)[]> {
  return Promise.all(
    results.map(async (result) => {
      if (result.instance.tools.pin !== true) return undefined;
      if (!result.ok) return new Map<string, string>();
      // A damaged record approves nothing (every tool shows as hidden), and says why.
      return new PinStore(result.instance.recordsDir).check(result.tools).catch((error: unknown) => {
        if (!(error instanceof PinsFileError)) throw error;
        io.writeErr(`mcplex: ${error.message}\n`);
        return new Map<string, string>();
      });
    }),
  );
}

/** Exposed tools first, as a client lists them, then the hidden ones (members are in `results` order). */
function listedTools(catalog: Catalog<Tool, PlannedInstance>, results: readonly InstanceResult[]): ListedTool[] {
  const exposed = catalog.exposed.flatMap((tool): ListedTool[] => {
    const route = catalog.routes.get(tool.name);
    // A tool shown once for several accounts: a row for each, under the one name.
    const accounts = catalog.accounts?.get(tool.name);
    if (accounts !== undefined) {
      return [...accounts.choices.values()].map(({ owner }) => ({ instance: owner.key, server: owner.serverId, name: tool.name, upstreamName: accounts.upstreamName, description: tool.description ?? '', ...instanceFields(owner) }));
    }
    if (route === undefined) return [];
    return [{ instance: route.member.key, server: route.member.serverId, name: tool.name, upstreamName: route.upstreamName, description: tool.description ?? '', ...instanceFields(route.member) }];
  });
  const hidden = catalog.members.flatMap((member, index) => {
    const instance = results[index]?.instance;
    if (instance === undefined) return [];
    return (member.entries ?? []).flatMap((entry): ListedTool[] =>
      entry.hidden === undefined
        ? []
        : [{ instance: instance.key, server: instance.serverId, name: entry.exposedName, upstreamName: entry.upstreamName, description: entry.description ?? '', hidden: entry.hidden, ...instanceFields(instance) }],
    );
  });
  return [...exposed, ...hidden];
}

/** What `--json` says of an instance beside each of its tools: its own roots and state folder. */
function instanceFields(instance: PlannedInstance): { readonly roots?: readonly string[] | false; readonly stateDir?: string } {
  const { stateDir } = instance.upstream;
  return { ...(instance.roots !== undefined && { roots: instance.roots }), ...(stateDir !== undefined && { stateDir }) };
}

function stateLine(instance: PlannedInstance): string[] {
  return instance.upstream.stateDir === undefined ? [] : [`  state folder: ${instance.upstream.stateDir}`];
}

function renderTable(results: readonly InstanceResult[], listed: readonly ListedTool[]): string {
  const lines: string[] = [];
  const width = Math.max(0, ...listed.map((tool) => tool.name.length));
  for (const result of results) {
    const { instance } = result;
    if (!result.ok) {
      lines.push(`${instance.key}  (${instance.label})  FAILED`, ...stateLine(instance), `  ${result.error}`, '');
      continue;
    }
    const tools = listed.filter((tool) => tool.instance === instance.key && tool.hidden === undefined);
    const hidden = listed.filter((tool) => tool.instance === instance.key && tool.hidden !== undefined);
    const count = `${tools.length} tool${tools.length === 1 ? '' : 's'}${hidden.length === 0 ? '' : `, ${hidden.length} hidden`}`;
    const account = result.account === undefined ? '' : `  signed in as ${result.account}`;
    lines.push(`${instance.key}  (${instance.label})${account}  ${count}`, ...stateLine(instance));
    if (instance.roots !== undefined) lines.push(`  roots: ${instance.roots === false ? 'none' : instance.roots.join(', ') || '(empty list)'}`);
    for (const tool of tools) {
      const upstream = tool.upstreamName === tool.name ? '' : `  ← ${tool.upstreamName}`;
      lines.push(`  ${tool.name.padEnd(width)}${upstream}`);
    }
    for (const tool of hidden) lines.push(`  (hidden) ${tool.upstreamName}: ${HIDDEN_WORDS[tool.hidden ?? 'collided'](tool.name)}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

const HIDDEN_WORDS: Readonly<Record<HiddenReason, (name: string) => string>> = {
  denied: () => 'denied by tools.deny',
  filtered: () => 'not in tools.allow',
  collided: (name) => `the name ${name} is taken`,
  unnamed: () => 'no name fits its prefix',
  'not-read-only': () => 'not read-only (tools.readOnly; the server does not annotate it readOnlyHint)',
  changed: () => 'changed since you approved it (tools.pin; see mcplex pin show)',
  unapproved: () => 'new since you approved the list (tools.pin; see mcplex pin show)',
};
