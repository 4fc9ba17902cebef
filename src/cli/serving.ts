/**
 * What `serve` and `wrap` share: a plan handed to the engine (the extension's), its one
 * relay served over the chosen host until the client goes away or the user interrupts,
 * then everything stopped — host, relays, upstream process trees — in that order, so no
 * call is left half-answered and no process outlives mcplex.
 */
import { HostError, HttpHost, isNamedPipe, serveStdio, type ListenAddress } from '../core/host';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { forOneClient, hasClientSessions, type Relay } from '../core/mux';
import type { PlannedInstance, WindowInstance, WindowPlan } from '../core/plan';
import type { FolderOptions } from '../core/runtime';
import { Engine, exposePlan, narrowPlan, type AggregateShape, type EngineFolder, type RelayHost, type Runnable } from '../core/engine';
import type { ServeExposure, ServeListen, SessionOptions } from './args';
import { cliCredentials, sharedUrlsOf, type CliSignIn } from './cliAuth';
import type { CliIo } from './io';
import { upstreamLogger } from './upstreamLog';
import { ServeOptionError } from './serveErrors';
import { chooseListenFd, describeListenFd, forgetListenFds, listenFds } from './socketActivation';
import { servingEnding } from './servingEnds';

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
 * `mcplex`, as it always was; `version` derived from the members' plan hashes). `discovery`
 * serves them, one or several, as the discovery endpoint's three tools.
 */
export function servedPlan(
  plan: WindowPlan,
  folder: { readonly id: string; readonly path: string },
  keep: (instance: WindowInstance) => boolean = () => true,
  toolPrefix = true,
  /** How the instances share the endpoint (`--exposure` or the file's): `discovery` even for one; `aggregate`, `accounts` from two. */
  shared: ServeExposure = 'aggregate',
): ServedPlan {
  const narrowed = narrowPlan(plan, keep);
  const runnable = narrowed.instances.filter((instance) => instance.planned !== undefined);
  const exposure = endpointExposure(runnable.length, shared);
  // One endpoint for the folder, whatever its servers chose: a server in `accounts` shows its shared tools once there.
  const exposed = exposePlan(narrowed, () => exposure, true, 'one-endpoint');
  const shapes = new Map([...exposed.shapes].map(([id, shape]) => [id, { ...shape, slug: 'mcplex' }]));
  return { plan: narrowed, folder: { ...folder, options: { toolPrefix, exposure } }, wanted: exposed.wanted, shapes };
}

/**
 * How the CLI's one endpoint serves `count` instances: one alone as that instance (where
 * `toolPrefix: false` applies), several shared as `shared` says; `discovery` always as its three
 * tools. `serve` and `list` both ask here, so list shows the names serve routes by.
 */
export function endpointExposure(count: number, shared: ServeExposure): 'instances' | ServeExposure {
  return shared === 'discovery' ? 'discovery' : count === 1 ? 'instances' : shared;
}

/** What a configuration's own `exposure` makes of the CLI's endpoint (`--exposure` wins): `instances` is the aggregate there. */
export function sharedExposure(fileExposure: FolderOptions['exposure'], flag?: ServeExposure): ServeExposure {
  return flag ?? (fileExposure === 'accounts' || fileExposure === 'discovery' ? fileExposure : 'aggregate');
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
    /** Whose tokens, kept where, a browser or not (`wrap`'s flags); default: the instance key, the secret store. */
    readonly signIn?: (planned: PlannedInstance) => CliSignIn;
  },
): Promise<void> {
  // The address is taken before any upstream starts: one already in use ends here, with
  // its reason, and no process was spawned for nothing.
  const listener = await bindListener(listen, io, options.token, options.sessions);
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
    credentials: cliCredentials(io, options.signIn, sharedUrlsOf([...served.wanted.values()].map(({ planned }) => planned.upstream))),
    supervisorOptions: {
      onStderr: (key, line) => log.stderr(prefixOf(key), line),
      onEvent: (event) => log.event({ ...event, key: prefixOf(event.key) }),
      ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
      // Told what the clients support once they say it: nothing before any has (see followSessions).
      clientCapabilities: {},
    },
    onWarning: (_id, text) => io.writeErr(`mcplex: warning: ${text}\n`),
  });
  // Over stdio the client is the only one for the process's life: its upstreams start once
  // its initialize says what it supports, and are told exactly that (the initialize was
  // held for the start anyway). Over HTTP or a socket they start now, told nothing but their
  // configured roots, and follow the sessions: told what the clients support once they come.
  const oneClient = listen.kind === 'stdio';
  try {
    await engine.apply({ plan: served.plan, folders: [served.folder], wanted: served.wanted, shapes: served.shapes, eager: false });
    const relay = endpoint.relay();
    if (!oneClient) {
      for (const runner of engine.runners()) {
        if (hasClientSessions(relay)) runner.followSessions(relay);
        void runner.start();
      }
    }
  } catch (error) {
    await listener.close();
    await engine.close();
    throw error;
  }
  const beforeConnect = (capabilities: ClientCapabilities): void => {
    for (const runner of engine.runners()) {
      runner.announceClient(forOneClient(capabilities));
      void runner.start();
    }
  };
  await serveRelay(endpoint.relay(), listener, io, {
    ...(options.token !== undefined && { token: options.token }),
    ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
    describe: options.describe,
    upstreams: engine,
    ...(options.sessions?.exitWhenIdleMs !== undefined && { exitWhenIdleMs: options.sessions.exitWhenIdleMs }),
    ...(oneClient && { beforeConnect }),
  });
}

export interface Stoppable {
  close(): Promise<void>;
}

/** Where the endpoint is served: stdio, or an HTTP host already listening on its address. */
export type Listener = { readonly kind: 'stdio'; close(): Promise<void> } | { readonly kind: 'http'; readonly host: HttpHost; close(): Promise<void> };

/**
 * Takes the address `listen` names (a port, a socket path); stdio needs nothing. An address
 * that cannot be used (in use, not permitted) is a usage error that says which and why.
 */
export async function bindListener(listen: ServeListen, io: CliIo, token: string | undefined, sessions?: SessionOptions): Promise<Listener> {
  if (listen.kind === 'stdio') return { kind: 'stdio', close: () => Promise.resolve() };
  const address = listenAddress(listen, io);
  const stallMs = stallTimeout(io.env);
  try {
    const host = await HttpHost.start({
      listen: address,
      ...(token === undefined ? {} : { token }),
      onError: (error) => io.writeErr(`mcplex: ${error.message}\n`),
      ...(sessions?.idleMs !== undefined && { sessionIdleMs: sessions.idleMs }),
      ...(sessions?.maxSessions !== undefined && { maxSessions: sessions.maxSessions }),
      ...(stallMs !== undefined && { stallMs }),
      onSessionExpired: (expiry) => io.writeErr(`mcplex: ${expiry.message}\n`),
    });
    return { kind: 'http', host, close: () => host.close() };
  } catch (error) {
    if (!(error instanceof HostError)) throw error;
    const option = listen.kind === 'http' ? '--http' : isNamedPipe(listen.path) ? '--pipe' : '--socket';
    throw new ServeOptionError(`${option}: cannot serve there: ${error.message}`, { cause: error });
  }
}

/**
 * The address `listen` names, or the socket systemd passed for it (socket activation), said
 * on stderr. The LISTEN_* variables are read once, then removed from the environment the
 * upstreams inherit: they describe this process's descriptors, not theirs.
 */
function listenAddress(listen: Exclude<ServeListen, { kind: 'stdio' }>, io: CliIo): ListenAddress {
  const bound: ListenAddress =
    listen.kind === 'http' ? { kind: 'tcp', host: loopbackHost(listen.host), port: listen.port } : { kind: 'socket', path: listen.path };
  const passed = listenFds(io.env, process.pid);
  forgetListenFds(process.env);
  const option = listen.kind === 'http' ? `--http ${listen.port}` : `--socket ${listen.path}`;
  if (passed === undefined) {
    if (listen.fdName === undefined) return bound;
    throw new ServeOptionError(`--listen-fd-name ${listen.fdName}: systemd passed this process no socket (no LISTEN_FDS for it); start mcplex from its .socket unit, or leave the option out to bind ${option} itself`);
  }
  const chosen = chooseListenFd(passed, listen.fdName);
  const label = describeListenFd(chosen);
  io.writeErr(`mcplex: socket activation: listening on ${label} for ${option}\n`);
  return { kind: 'inherited', fd: chosen.fd, label, expect: listen.kind === 'http' ? { kind: 'tcp', port: listen.port } : { kind: 'socket', path: listen.path } };
}

/** Serves `relay` and resolves when serving is over. `upstreams` (which closes the relay too) is closed last. */
export async function serveRelay(
  relay: Relay,
  listener: Listener,
  io: CliIo,
  options: {
    readonly token?: string;
    readonly maxMessageBytes?: number;
    readonly describe: string;
    readonly upstreams: Stoppable;
    /** Over HTTP or a socket: end once no session has been open this long (`--exit-when-idle`). */
    readonly exitWhenIdleMs?: number;
    /** Over stdio: called with the one client's capabilities before it is served. */
    readonly beforeConnect?: (capabilities: ClientCapabilities) => void;
  },
): Promise<void> {
  const ending = servingEnding(listener, MOUNT_PATH, options.exitWhenIdleMs);
  const stopped = ending === undefined ? io.interrupted() : Promise.race([io.interrupted(), ending.reached]);
  try {
    if (listener.kind === 'stdio') {
      // A stop may come before the client says anything: it ends the wait for its initialize too.
      const interrupted = new AbortController();
      void stopped.then(() => interrupted.abort());
      const stallMs = stallTimeout(io.env);
      const host = await serveStdio(relay, {
        signal: interrupted.signal,
        ...(options.beforeConnect !== undefined && { beforeConnect: options.beforeConnect }),
        ...(stallMs !== undefined && { stallMs }),
        onStalled: (reason) => io.writeErr(`mcplex: closed the stdio session: ${reason}\n`),
        ...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
      });
      const reason = await Promise.race([host.closed.then(() => undefined), stopped]);
      if (reason !== undefined) io.writeErr(`mcplex: ${reason}, stopping\n`);
      await host.close();
      return;
    }
    const { host } = listener;
    const mount = host.mount(MOUNT_PATH, relay);
    io.writeErr(`mcplex: serving ${options.describe} at ${mount.url}\n`);
    if (options.token === undefined) {
      io.writeErr('mcplex: warning: no token (--token-env NAME): any local process can call these tools\n');
    }
    const reason = await stopped;
    io.writeErr(`mcplex: ${reason}, stopping\n`);
    await host.close();
  } finally {
    ending?.stop();
    await listener.close();
    await options.upstreams.close();
  }
}

/** Where the CLI's one endpoint is served over HTTP or a socket. */
const MOUNT_PATH = '/mcp';

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

/**
 * `MCPLEX_STALL_TIMEOUT_MS`: how long a client may take nothing while output waits before its
 * session is closed (default 30 s, `DEFAULT_OUTBOX_LIMITS`; 0 never). An environment variable,
 * not a flag: few need it, tests shorten it.
 */
function stallTimeout(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env['MCPLEX_STALL_TIMEOUT_MS'];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function loopbackHost(host: string): '127.0.0.1' | '::1' | 'localhost' {
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') return host;
  // The host refuses anything else too; saying it here names the option.
  throw new ServeOptionError(`--http listens on loopback only (127.0.0.1, ::1 or localhost), not "${host}"`);
}
