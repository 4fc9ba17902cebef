/**
 * What `serve` and `wrap` share: a plan handed to the engine (the extension's), its one
 * relay served over the chosen host until the client goes away or the user interrupts,
 * then everything stopped — host, relays, upstream process trees — in that order, so no
 * call is left half-answered and no process outlives mcplex.
 */
import { HttpHost, serveStdio, type ListenAddress } from '../core/host';
import type { Relay } from '../core/mux';
import type { PlannedInstance, WindowInstance, WindowPlan } from '../core/plan';
import { Engine, exposePlan, narrowPlan, type AggregateShape, type EngineFolder, type RelayHost, type Runnable } from '../core/engine';
import type { ServeListen, SessionOptions } from './args';
import { cliCredentials, sharedUrlsOf } from './cliAuth';
import type { CliIo } from './io';
import { upstreamLogger } from './upstreamLog';

/** A plan as the CLI serves it: one folder, one endpoint. */
export interface ServedPlan {
  readonly plan: WindowPlan;
  readonly folder: EngineFolder;
  readonly wanted: ReadonlyMap<string, Runnable>;
  readonly shapes: ReadonlyMap<string, AggregateShape>;
}

/**
 * The instances `keep` accepts behind one endpoint: one instance on its own (tool names
 * prefixed unless `toolPrefix` is false, `serverInfo.name` its slug), several as the folder's aggregate (announced as
 * `mcplex`, as it always was; `version` derived from the members' plan hashes).
 */
export function servedPlan(
  plan: WindowPlan,
  folder: { readonly id: string; readonly path: string },
  keep: (instance: WindowInstance) => boolean = () => true,
  toolPrefix = true,
): ServedPlan {
  const narrowed = narrowPlan(plan, keep);
  const runnable = narrowed.instances.filter((instance) => instance.planned !== undefined);
  const exposure = runnable.length === 1 ? 'instances' : 'aggregate';
  const exposed = exposePlan(narrowed, () => exposure, true);
  const shapes = new Map([...exposed.shapes].map(([id, shape]) => [id, { ...shape, slug: 'mcplex' }]));
  return { plan: narrowed, folder: { ...folder, options: { toolPrefix, exposure } }, wanted: exposed.wanted, shapes };
}

/** Runs `served` in the engine and serves its endpoint; resolves when serving is over. */
export async function servePlan(
  served: ServedPlan,
  listen: ServeListen,
  io: CliIo,
  options: {
    readonly token?: string;
    readonly sessions?: SessionOptions;
    /** The largest message an upstream may write (`--max-message-mb`); default 64 MiB. */
    readonly maxMessageBytes?: number;
    readonly describe: string;
    readonly credentialName?: (planned: PlannedInstance) => string;
  },
): Promise<void> {
  // The log names an upstream by its prefix, the name the user sees on its tools.
  const prefixes = new Map([...served.wanted.values()].map(({ planned }) => [planned.key, planned.prefix]));
  const prefixOf = (key: string): string => prefixes.get(key) ?? key;
  const log = upstreamLogger(io);
  // Listening for signals before any upstream starts: a stop that comes while they start
  // is acted on once they have (serveRelay asks again), rather than killing mcplex alone.
  void io.interrupted();
  const endpoint = new OneEndpoint();
  const engine = new Engine({
    host: endpoint,
    credentials: cliCredentials(io, options.credentialName, sharedUrlsOf([...served.wanted.values()].map(({ planned }) => planned.upstream))),
    supervisorOptions: {
      onStderr: (key, line) => log.stderr(prefixOf(key), line),
      onEvent: (event) => log.event({ ...event, key: prefixOf(event.key) }),
      ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
    },
  });
  try {
    await engine.apply({ plan: served.plan, folders: [served.folder], wanted: served.wanted, shapes: served.shapes, eager: true });
  } catch (error) {
    await engine.close();
    throw error;
  }
  await serveRelay(endpoint.relay(), listen, io, {
    ...(options.token !== undefined && { token: options.token }),
    ...(options.sessions !== undefined && { sessions: options.sessions }),
    ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
    describe: options.describe,
    upstreams: engine,
  });
}

export interface Stoppable {
  close(): Promise<void>;
}

/** Serves `relay` and resolves when serving is over. `upstreams` (which closes the relay too) is closed last. */
export async function serveRelay(
  relay: Relay,
  listen: ServeListen,
  io: CliIo,
  options: { readonly token?: string; readonly sessions?: SessionOptions; readonly maxMessageBytes?: number; readonly describe: string; readonly upstreams: Stoppable },
): Promise<void> {
  try {
    if (listen.kind === 'stdio') {
      const host = await serveStdio(relay, options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes });
      await Promise.race([host.closed, io.interrupted()]);
      await host.close();
      return;
    }
    const address: ListenAddress =
      listen.kind === 'http' ? { kind: 'tcp', host: loopbackHost(listen.host), port: listen.port } : { kind: 'socket', path: listen.path };
    const host = await HttpHost.start({
      listen: address,
      ...(options.token === undefined ? {} : { token: options.token }),
      onError: (error) => io.writeErr(`mcplex: ${error.message}\n`),
      ...(options.sessions?.idleMs !== undefined && { sessionIdleMs: options.sessions.idleMs }),
      ...(options.sessions?.maxSessions !== undefined && { maxSessions: options.sessions.maxSessions }),
      onSessionExpired: (expiry) => io.writeErr(`mcplex: ${expiry.message}\n`),
    });
    const mount = host.mount('/mcp', relay);
    io.writeErr(`mcplex: serving ${options.describe} at ${mount.url}\n`);
    if (options.token === undefined) {
      io.writeErr('mcplex: warning: no token (--token-env NAME): any local process can call these tools\n');
    }
    const reason = await io.interrupted();
    io.writeErr(`mcplex: ${reason}, stopping\n`);
    await host.close();
  } finally {
    await options.upstreams.close();
  }
}

/**
 * The engine's host in the CLI: it holds the one relay the engine builds, which the CLI
 * then serves over stdio, HTTP or a socket at `/mcp` (the engine's `/i/…` or `/f/…` path
 * is VS Code's and means nothing here).
 */
class OneEndpoint implements RelayHost {
  private current: Relay | undefined;

  mount(_path: string, relay: Relay): { dispose(): Promise<void> } {
    if (this.current !== undefined) throw new Error('The CLI serves one endpoint; the plan exposes more than one.');
    this.current = relay;
    return {
      dispose: () => {
        if (this.current === relay) this.current = undefined;
        return Promise.resolve();
      },
    };
  }

  relay(): Relay {
    if (this.current === undefined) throw new Error('The plan exposes no endpoint: no instance can be served.');
    return this.current;
  }
}

function loopbackHost(host: string): '127.0.0.1' | '::1' | 'localhost' {
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') return host;
  // The host refuses anything else too; saying it here names the option.
  throw new ServeOptionError(`--http listens on loopback only (127.0.0.1, ::1 or localhost), not "${host}"`);
}

export class ServeOptionError extends Error {
  readonly code = 'serve-option';
  constructor(message: string) {
    super(message);
    this.name = 'ServeOptionError';
  }
}
