/**
 * `mcplex wrap --prefix P -- COMMAND…` (or `--url URL`): one upstream under one prefix, over
 * stdio. The drop-in form for users of the single-prefix proxy: put it where the server's
 * command was in any client's MCP configuration.
 */
import type { AuthSpec, UpstreamSpec } from '../../core/config';
import { createInstanceRelay } from '../../core/mux';
import { DEFAULT_SEPARATOR, validatePrefix, validateSeparator } from '../../core/naming';
import { Supervisor } from '../../core/upstream';
import type { WrapInvocation } from '../args';
import { ExitCode, type CliIo } from '../io';
import { cliConnector } from '../cliAuth';
import { serveRelay } from '../serving';
import { upstreamLogger } from '../upstreamLog';
import packageJson from '../../../package.json';

export async function wrapCommand(options: WrapInvocation, io: CliIo): Promise<ExitCode> {
  const separator = options.separator ?? DEFAULT_SEPARATOR;
  const separatorProblem = validateSeparator(separator);
  if (separatorProblem?.severity === 'error') return usage(io, `--separator: ${separatorProblem.message}`);
  if (separatorProblem !== undefined) io.writeErr(`mcplex: warning: ${separatorProblem.message}\n`);
  const prefixProblem = validatePrefix(options.prefix, separator);
  if (prefixProblem !== undefined) return usage(io, `--prefix ${options.prefix}: ${prefixProblem}`);

  const spec = upstreamSpec(options, io);
  if (typeof spec === 'string') return usage(io, spec);

  const log = upstreamLogger(io);
  const connector = cliConnector(io, new Map([[options.prefix, { name: options.prefix, prefix: options.prefix, cwd: io.cwd }]]));
  const supervisor = new Supervisor([{ key: options.prefix, spec, label: options.label ?? options.prefix }], {
    onStderr: log.stderr,
    onEvent: log.event,
    connect: connector.connectUpstream,
  });
  const relay = createInstanceRelay({
    source: supervisor.source(options.prefix),
    slug: options.prefix,
    label: options.label ?? options.prefix,
    prefixTools: true,
    separator,
    version: packageJson.version,
    ...(options.note === undefined ? {} : { note: options.note }),
  });
  void supervisor.startAll();
  await serveRelay(relay, { kind: 'stdio' }, io, { describe: `prefix ${options.prefix}`, upstreams: supervisor });
  await connector.close();
  return ExitCode.ok;
}

function upstreamSpec(options: WrapInvocation, io: CliIo): UpstreamSpec | string {
  const { upstream } = options;
  if (upstream.kind === 'command') {
    // The upstream inherits our environment (the client's `env` for this server) and folder.
    return { kind: 'stdio', command: upstream.command, args: upstream.args, env: {}, cwd: io.cwd };
  }
  const headers: Record<string, string> = Object.fromEntries(upstream.headers);
  for (const [name, variable] of upstream.headerEnv) {
    const value = io.env[variable];
    if (value === undefined) return `--header-env ${name}=${variable}: the environment variable ${variable} is not set`;
    headers[name] = value;
  }
  try {
    new URL(upstream.url);
  } catch {
    return `--url: "${upstream.url}" is not a URL (e.g. https://mcp.example.com/mcp)`;
  }
  const { oauth } = upstream;
  const auth: AuthSpec | undefined =
    oauth === undefined
      ? undefined
      : {
          type: 'oauth',
          ...(oauth.scopes.length > 0 && { scopes: oauth.scopes }),
          ...(oauth.clientId !== undefined && { clientId: oauth.clientId }),
          ...(oauth.callbackPort !== undefined && { callbackPort: oauth.callbackPort }),
        };
  return { kind: 'remote', url: upstream.url, transport: upstream.transport, headers, ...(auth !== undefined && { auth }) };
}

function usage(io: CliIo, message: string): ExitCode {
  io.writeErr(`mcplex wrap: ${message}\n`);
  return ExitCode.usage;
}
