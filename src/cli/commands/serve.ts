/**
 * `mcplex serve`: every instance of a configuration behind one MCP endpoint (the
 * aggregate), or one instance with `--instance`, over stdio, loopback HTTP or a unix socket.
 */
import { dirname } from 'node:path';
import { createAggregateRelay, createInstanceRelay, type Relay } from '../../core/mux';
import type { PlannedInstance } from '../../core/plan';
import { Supervisor } from '../../core/upstream';
import type { ServeListen } from '../args';
import { cliConnector, unsupportedAuth } from '../cliAuth';
import { ExitCode, type CliIo } from '../io';
import { serveRelay } from '../serving';
import { upstreamLogger } from '../upstreamLog';
import { loadPlan, reportProblems } from '../loadPlan';
import packageJson from '../../../package.json';

export interface ServeOptions {
  readonly config: string;
  readonly listen: ServeListen;
  readonly instance?: string;
  readonly tokenEnv?: string;
}

export async function serveCommand(options: ServeOptions, io: CliIo): Promise<ExitCode> {
  const token = options.tokenEnv === undefined ? undefined : io.env[options.tokenEnv];
  if (options.tokenEnv !== undefined && (token === undefined || token === '')) {
    io.writeErr(`mcplex: --token-env ${options.tokenEnv}: the environment variable is not set\n`);
    return ExitCode.usage;
  }
  const loadedPlan = await loadPlan(options.config, io);
  reportProblems(loadedPlan, io, (text) => io.writeErr(text));
  const { file, loaded, plan } = loadedPlan;

  const selected = selectInstances(plan.instances, options.instance);
  if (typeof selected === 'string') {
    io.writeErr(`mcplex: ${selected}\n`);
    return ExitCode.usage;
  }
  const chosen = selected.filter((instance) => {
    const why = unsupportedAuth(instance);
    if (why !== undefined) io.writeErr(`mcplex: ${instance.key} is left out: ${why}\n`);
    return why === undefined;
  });
  if (chosen.length === 0) {
    io.writeErr('mcplex: no instance can be served; fix the problems above\n');
    return ExitCode.problems;
  }
  const duplicate = duplicatePrefix(chosen);
  if (duplicate !== undefined) {
    io.writeErr(
      `mcplex: ${duplicate.join(' and ')} share the prefix "${chosen.find((i) => i.key === duplicate[0])?.prefix}" and cannot share one endpoint; serve one with --instance, or rename an instance\n`,
    );
    return ExitCode.problems;
  }

  const log = upstreamLogger(io);
  const folder = dirname(file.path);
  const connector = cliConnector(io, new Map(chosen.map((i) => [i.prefix, { name: i.key, prefix: i.prefix, cwd: folder }])));
  const supervisor = new Supervisor(
    chosen.map((instance) => ({ key: instance.prefix, spec: instance.upstream, label: instance.key })),
    { onStderr: log.stderr, onEvent: log.event, connect: connector.connectUpstream },
  );
  const relay = buildRelay(chosen, plan.separator, loaded.config?.note);
  void supervisor.startAll();
  const describe = chosen.length === 1 ? `instance ${chosen[0]?.key}` : `${chosen.length} instances`;
  await serveRelay(relay, options.listen, io, { ...(token === undefined ? {} : { token }), describe, upstreams: supervisor });
  await connector.close();
  return ExitCode.ok;

  function buildRelay(instances: readonly PlannedInstance[], separator: string, note: string | undefined): Relay {
    const [only] = instances;
    if (instances.length === 1 && only !== undefined) {
      return createInstanceRelay({
        source: supervisor.source(only.prefix),
        slug: only.slug,
        label: only.instanceLabel,
        prefixTools: true,
        separator,
        tools: only.tools,
        version: packageJson.version,
        ...(note === undefined ? {} : { note }),
      });
    }
    return createAggregateRelay({
      members: instances.map((instance) => ({ source: supervisor.source(instance.prefix), label: instance.instanceLabel, tools: instance.tools })),
      separator,
      version: packageJson.version,
      ...(note === undefined ? {} : { note }),
    });
  }
}

/** `--instance work` or `--instance notes/work`; a name that matches nothing lists what would. */
function selectInstances(instances: readonly PlannedInstance[], wanted: string | undefined): readonly PlannedInstance[] | string {
  if (wanted === undefined) return instances;
  const matches = instances.filter((instance) => instance.key === wanted || instance.instanceId === wanted);
  if (matches.length === 1) return matches;
  const known = instances.map((instance) => instance.key).join(', ') || 'none';
  return matches.length === 0
    ? `--instance ${wanted}: no such instance (instances: ${known})`
    : `--instance ${wanted} matches ${matches.map((m) => m.key).join(' and ')}; say which, e.g. --instance ${matches[0]?.key}`;
}

function duplicatePrefix(instances: readonly PlannedInstance[]): readonly [string, string] | undefined {
  const byPrefix = new Map<string, string>();
  for (const instance of instances) {
    const other = byPrefix.get(instance.prefix);
    if (other !== undefined) return [other, instance.key];
    byPrefix.set(instance.prefix, instance.key);
  }
  return undefined;
}
