/**
 * `mcplex serve`: every instance of a configuration behind one MCP endpoint (the
 * aggregate), or one instance with `--instance`, over stdio, loopback HTTP or a unix
 * socket. Input → plan (as `check` plans it) → engine (as VS Code runs it) → host.
 */
import { hasErrors } from '../../core';
import type { ServeExposure, ServeListen, SessionOptions, ToolPrefix } from '../args';
import { unsupportedAuth } from '../cliAuth';
import type { ConfigChoice } from '../configSources';
import { ExitCode, type CliIo } from '../io';
import { servedPlan, servePlan, sharedExposure } from '../serving';
import { loadPlan, reportProblems } from '../loadPlan';
import { selectInstances } from '../selectInstances';

export interface ServeOptions extends ConfigChoice {
  readonly listen: ServeListen;
  readonly instance?: string;
  readonly tokenEnv?: string;
  readonly toolPrefix?: ToolPrefix;
  readonly exposure?: ServeExposure;
  readonly sessions?: SessionOptions;
  readonly maxMessageBytes?: number;
}

export async function serveCommand(options: ServeOptions, io: CliIo): Promise<ExitCode> {
  const token = options.tokenEnv === undefined ? undefined : io.env[options.tokenEnv];
  if (options.tokenEnv !== undefined && (token === undefined || token === '')) {
    io.writeErr(`mcplex: --token-env ${options.tokenEnv}: the environment variable is not set\n`);
    return ExitCode.usage;
  }
  // One instance alone (`--instance`) shares its endpoint with none: a prefix another
  // instance also uses is no problem there, as in VS Code's per-instance definitions.
  const flag = options.toolPrefix === undefined ? undefined : options.toolPrefix !== 'none';
  const loaded = await loadPlan(options, io, { layout: options.instance === undefined ? 'one-endpoint' : 'alone', ...(options.exposure !== undefined && { exposure: options.exposure }), ...(flag !== undefined && { toolPrefix: flag }) });
  // The flag, else the file's `toolPrefix`, else prefixed (loadFolder decides, as for VS Code).
  const prefixed = loaded.window.folders[0]?.toolPrefix ?? true;
  reportProblems(loaded, io, (text) => io.writeErr(text));
  // What `check` refuses is not served: a client would get some instances and never hear why.
  if (hasErrors(loaded.problems)) {
    io.writeErr('mcplex: not serving a configuration with errors (above, as `mcplex check` prints them); fix them first\n');
    return ExitCode.problems;
  }

  const selected = selectInstances(loaded.plan.instances, options.instance);
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

  // Behind one endpoint, the prefix is what tells one account's tools from another's. The
  // file's `toolPrefix: false` was warned about with its position (planFolders); the flag is refused.
  if (flag === false && chosen.length > 1) {
    io.writeErr(
      `mcplex: --tool-prefix none needs a single instance: ${chosen.length} instances share this endpoint, and without their prefixes their tools would have the same names; choose one with --instance ID\n`,
    );
    return ExitCode.usage;
  }
  const keys = new Set(chosen.map((instance) => instance.key));
  // The CLI has one endpoint: --exposure, else the file's `exposure` (accounts, discovery) shapes it; `instances` is the aggregate.
  const shared = sharedExposure(loaded.folder.options.exposure, options.exposure);
  const served = servedPlan(loaded.window, loaded.folder, (instance) => keys.has(instance.key), prefixed, shared);
  const instances = chosen.length === 1 ? `instance ${chosen[0]?.key}` : `${chosen.length} instances`;
  const describe = shared === 'aggregate' ? instances : `${instances} (${shared})`;
  await servePlan(served, options.listen, io, { ...(token !== undefined && { token }), ...(options.sessions !== undefined && { sessions: options.sessions }), ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }), describe });
  return ExitCode.ok;
}
