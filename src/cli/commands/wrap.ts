/**
 * `mcplex wrap --prefix P -- COMMAND…` (or `--url URL`): one upstream under one prefix, over
 * stdio. The drop-in form for users of the single-prefix proxy: put it where the server's
 * command was in any client's MCP configuration. Input (argv) → a plan of one instance
 * (the planner's, so its `version` is its plan hash) → the engine → stdio.
 */
import { homedir } from 'node:os';
import { defaultStateRoot, instanceRecordsOf, type ResolvedInstance, type UpstreamSpec } from '../../core/config';
import { DEFAULT_SEPARATOR, validatePrefix, validateSeparator } from '../../core/naming';
import { planWindow, type WindowPlan } from '../../core/plan';
import type { WrapInvocation } from '../args';
import { ExitCode, type CliIo } from '../io';
import { servedPlan, servePlan } from '../serving';
import { oauthStoreProblem, wrapCredentials, wrapSignIn } from '../wrapAuth';

export async function wrapCommand(options: WrapInvocation, io: CliIo): Promise<ExitCode> {
  const separator = options.separator ?? DEFAULT_SEPARATOR;
  const separatorProblem = validateSeparator(separator);
  if (separatorProblem?.severity === 'error') return usage(io, `--separator: ${separatorProblem.message}`);
  if (separatorProblem !== undefined) io.writeErr(`mcplex: warning: ${separatorProblem.message}\n`);
  const prefixProblem = validatePrefix(options.prefix, separator);
  if (prefixProblem !== undefined) return usage(io, `--prefix ${options.prefix}: ${prefixProblem}`);

  const spec = upstreamSpec(options, io);
  if (typeof spec === 'string') return usage(io, spec);

  const auth = options.upstream.kind === 'url' ? options.upstream.auth : undefined;
  const signIn = wrapSignIn(options.prefix, auth, io.cwd);
  const storeProblem = signIn.storePath === undefined ? undefined : oauthStoreProblem(signIn.storePath);
  if (storeProblem !== undefined) return usage(io, storeProblem);

  const plan = wrapPlan(options, spec, separator, io);
  const served = servedPlan(plan, { id: WRAP_FOLDER, path: io.cwd }, undefined, options.toolPrefix !== 'none');
  // Its tokens stay under the prefix, where earlier versions of `wrap` kept them (or in `--oauth-store`'s file).
  await servePlan(served, { kind: 'stdio' }, io, { describe: `prefix ${options.prefix}`, signIn: () => signIn });
  return ExitCode.ok;
}

const WRAP_FOLDER = 'wrap';

/** One instance named by `--prefix`, announced under it (its slug), labelled `--label`. */
function wrapPlan(options: WrapInvocation, spec: WrappedSpec, separator: string, io: CliIo): WindowPlan {
  const label = options.label ?? options.prefix;
  const instance: ResolvedInstance = {
    serverId: WRAP_FOLDER,
    instanceId: options.prefix,
    serverLabel: 'mcplex wrap',
    instanceLabel: label,
    upstream: spec.upstream,
    redacted: spec.redacted,
    tools: {},
    location: { file: '(command line)', path: [], offset: 0, length: 0, line: 1, column: 1 },
    secrets: [],
    recordsDir: instanceRecordsOf(defaultStateRoot(io.env, io.env['HOME'] ?? homedir()), io.cwd, WRAP_FOLDER, options.prefix),
  };
  return planWindow([
    {
      id: WRAP_FOLDER,
      name: WRAP_FOLDER,
      instances: [instance],
      separator,
      ...(options.note !== undefined && { note: options.note }),
      surface: { toolPrefix: options.toolPrefix !== 'none', exposure: 'instances' },
      slugs: new Map([[`${WRAP_FOLDER}/${options.prefix}`, options.prefix]]),
    },
  ]);
}

/** The upstream as launched, and as hashed: header values from the environment stay out of the hash. */
interface WrappedSpec {
  readonly upstream: UpstreamSpec;
  readonly redacted: UpstreamSpec;
}

function upstreamSpec(options: WrapInvocation, io: CliIo): WrappedSpec | string {
  const { upstream } = options;
  if (upstream.kind === 'command') {
    // The upstream inherits our environment (the client's `env` for this server) and folder.
    const stdio: UpstreamSpec = { kind: 'stdio', command: upstream.command, args: upstream.args, env: {}, cwd: io.cwd };
    return { upstream: stdio, redacted: stdio };
  }
  const headers: Record<string, string> = Object.fromEntries(upstream.headers);
  const redactedHeaders: Record<string, string> = Object.fromEntries(upstream.headers);
  for (const [name, variable] of upstream.headerEnv) {
    const value = io.env[variable];
    if (value === undefined) return `--header-env ${name}=${variable}: the environment variable ${variable} is not set`;
    headers[name] = value;
    redactedHeaders[name] = `\${env:${variable}}`;
  }
  try {
    new URL(upstream.url);
  } catch {
    return `--url: "${upstream.url}" is not a URL (e.g. https://mcp.example.com/mcp)`;
  }
  const credentials = upstream.auth === undefined ? undefined : wrapCredentials(upstream.auth, io.env);
  if (typeof credentials === 'string') return credentials;
  const remote = { kind: 'remote', url: upstream.url, transport: upstream.transport } as const;
  return {
    upstream: {
      ...remote,
      headers,
      ...(credentials !== undefined && { auth: credentials.auth }),
      ...(credentials !== undefined && credentials.secretValues.length > 0 && { secretValues: credentials.secretValues }),
    },
    redacted: { ...remote, headers: redactedHeaders, ...(credentials !== undefined && { auth: credentials.redacted }) },
  };
}

function usage(io: CliIo, message: string): ExitCode {
  io.writeErr(`mcplex wrap: ${message}\n`);
  return ExitCode.usage;
}
