/**
 * The configurations measured side by side: how to start each one, reach it with a raw
 * client, and find its relay process (for memory). Every one serves the same upstream.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServer, waitForListener, type Started } from './proc';
import { handshake, HttpRpc, SseRpc, StdioRpc, type RpcClient } from './rawClient';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
export const FIXTURE = join(ROOT, 'bench', 'fixtures', 'payloadServer.mjs');
export const PEERS = join(ROOT, 'bench', '.peers', 'node_modules');
const NODE = process.execPath;
const TOKEN = 'bench-token-0123456789abcdef';
export const scratch = mkdtempSync(join(tmpdir(), 'mcplex-bench-'));

export type Upstream = 'everything' | 'fixture';
export const upstreamCommand = (upstream: Upstream, extra: readonly string[] = []): string[] =>
  upstream === 'everything' ? [NODE, EVERYTHING, 'stdio'] : [NODE, FIXTURE, ...extra];

export interface Running {
  readonly client: RpcClient;
  /** The relay's process (undefined for a direct connection: the server itself). */
  readonly relayPid: number | undefined;
  /** The server's own process when connected directly. */
  readonly serverPid?: number;
  stop(): Promise<void>;
}

export interface Config {
  readonly name: string;
  readonly transport: 'stdio' | 'http' | 'socket';
  start(upstream: Upstream, options?: { instances?: number; fixtureArgs?: readonly string[] }): Promise<Running>;
}

function stdio(command: string[], isRelay: boolean): () => Promise<Running> {
  return async () => {
    const [cmd = NODE, ...args] = command;
    const client = new StdioRpc(cmd, args);
    await handshake(client);
    return { client, relayPid: isRelay ? client.pid : undefined, ...(!isRelay && { serverPid: client.pid }), stop: () => client.close() };
  };
}

async function http(server: Started, target: { port?: number; socketPath?: string; path: string; headers?: Record<string, string> }, isRelay: boolean): Promise<Running> {
  try {
    await waitForListener(target.port !== undefined ? { port: target.port } : { socketPath: target.socketPath! }, server.child);
    const client = new HttpRpc(
      target.port !== undefined
        ? { url: `http://127.0.0.1:${target.port}${target.path}`, ...(target.headers && { headers: target.headers }) }
        : { socketPath: target.socketPath!, path: target.path, ...(target.headers && { headers: target.headers }) },
    );
    await handshake(client);
    const pid = server.child.pid;
    return {
      client,
      relayPid: isRelay ? pid : undefined,
      ...(!isRelay && pid !== undefined && { serverPid: pid }),
      stop: async () => {
        await client.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

let configCount = 0;
/** A `.mcplex.jsonc` with `instances` instances of one upstream. */
export function mcplexConfig(upstream: Upstream, instances: number, fixtureArgs: readonly string[] = []): string {
  const [command, ...args] = upstreamCommand(upstream, fixtureArgs);
  const keys = Object.fromEntries(Array.from({ length: instances }, (_, i) => [`i${i}`, { label: `Instance ${i}` }]));
  const path = join(scratch, `config-${configCount++}.mcplex.jsonc`);
  writeFileSync(path, JSON.stringify({ servers: { bench: { label: 'Bench', command, args, instances: keys } } }, null, 2));
  return path;
}

const socketPath = (): string => join(scratch, `s${configCount++}.sock`);

export const CONFIGS: Record<string, Config> = {
  directStdio: { name: 'direct stdio', transport: 'stdio', start: (upstream, o) => stdio(upstreamCommand(upstream, o?.fixtureArgs), false)() },
  directHttp: {
    name: 'direct Streamable HTTP',
    transport: 'http',
    async start() {
      const port = await freePort();
      return http(startServer(NODE, [EVERYTHING, 'streamableHttp'], { env: { PORT: String(port) } }), { port, path: '/mcp' }, false);
    },
  },
  pipe: {
    name: 'byte pipe through one process (floor)',
    transport: 'stdio',
    start: (upstream, o) => stdio([NODE, join(ROOT, 'bench', 'fixtures', 'pipeRelay.mjs'), ...upstreamCommand(upstream, o?.fixtureArgs)], true)(),
  },
  httpPipe: {
    name: 'HTTP-to-stdio pipe, Node http (floor)',
    transport: 'socket',
    async start(upstream, o) {
      const path = socketPath();
      const server = startServer(NODE, [join(ROOT, 'bench', 'fixtures', 'httpPipeRelay.mjs'), path, ...upstreamCommand(upstream, o?.fixtureArgs)]);
      return http(server, { socketPath: path, path: '/mcp' }, true);
    },
  },
  naive: {
    name: 'naive SDK relay (stdio)',
    transport: 'stdio',
    start: (upstream, o) => stdio([NODE, '--import', 'tsx', join(ROOT, 'bench', 'naiveRelay.ts'), ...upstreamCommand(upstream, o?.fixtureArgs)], true)(),
  },
  wrap: {
    name: 'mcplex wrap (stdio)',
    transport: 'stdio',
    start: (upstream, o) => stdio([NODE, CLI, 'wrap', '--prefix', 'bench', '--', ...upstreamCommand(upstream, o?.fixtureArgs)], true)(),
  },
  serveHttp: {
    name: 'mcplex serve --http',
    transport: 'http',
    async start(upstream, o) {
      const port = await freePort();
      const config = mcplexConfig(upstream, o?.instances ?? 1, o?.fixtureArgs);
      const server = startServer(NODE, [CLI, 'serve', '--config', config, '--http', `127.0.0.1:${port}`, '--token-env', 'BENCH_TOKEN'], { env: { BENCH_TOKEN: TOKEN } });
      return http(server, { port, path: '/mcp', headers: { authorization: `Bearer ${TOKEN}` } }, true);
    },
  },
  serveSocket: {
    name: 'mcplex serve --socket',
    transport: 'socket',
    async start(upstream, o) {
      const path = socketPath();
      const config = mcplexConfig(upstream, o?.instances ?? 1, o?.fixtureArgs);
      const server = startServer(NODE, [CLI, 'serve', '--config', config, '--socket', path, '--token-env', 'BENCH_TOKEN'], { env: { BENCH_TOKEN: TOKEN } });
      return http(server, { socketPath: path, path: '/mcp', headers: { authorization: `Bearer ${TOKEN}` } }, true);
    },
  },
  aggregate10: {
    name: 'mcplex aggregate, 10 instances (socket)',
    transport: 'socket',
    start: (upstream, o) => CONFIGS['serveSocket']!.start(upstream, { ...o, instances: 10 }),
  },
  mcpHub: {
    name: 'mcp-hub 4.2.1 (HTTP+SSE)',
    transport: 'http',
    async start(upstream, o) {
      const port = await freePort();
      const [command, ...args] = upstreamCommand(upstream, o?.fixtureArgs);
      const config = join(scratch, `hub-${configCount++}.json`);
      writeFileSync(config, JSON.stringify({ mcpServers: { bench: { command, args } } }));
      const server = startServer(NODE, [join(PEERS, 'mcp-hub', 'dist', 'cli.js'), '--port', String(port), '--config', config], { env: { XDG_STATE_HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch } });
      // mcp-hub 4 serves the 2024-11-05 HTTP+SSE transport only (GET /mcp, POST /messages).
      try {
        await waitForListener({ port }, server.child);
        const client = new SseRpc(new URL(`http://127.0.0.1:${port}/mcp`));
        for (let tries = 0; ; tries++) {
          try {
            await client.open();
            break;
          } catch (error) {
            if (tries > 200) throw error; // the /mcp route appears once the hub has started its servers
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        await handshake(client);
        return { client, relayPid: server.child.pid, stop: async () => { await client.close(); await server.stop(); } };
      } catch (error) {
        await server.stop();
        throw error;
      }
    },
  },
  supergateway: {
    name: 'supergateway 4.0.0 (HTTP)',
    transport: 'http',
    async start(upstream, o) {
      const port = await freePort();
      const server = startServer(NODE, [
        join(PEERS, 'supergateway', 'dist', 'index.js'),
        '--stdio', upstreamCommand(upstream, o?.fixtureArgs).map((part) => JSON.stringify(part)).join(' '),
        '--outputTransport', 'streamableHttp', '--stateful', '--port', String(port), '--logLevel', 'none',
      ]);
      return http(server, { port, path: '/mcp' }, true);
    },
  },
  mcpProxy: {
    name: 'mcp-proxy 6.7.19 (HTTP)',
    transport: 'http',
    async start(upstream, o) {
      const port = await freePort();
      const server = startServer(NODE, [join(PEERS, 'mcp-proxy', 'dist', 'bin', 'mcp-proxy.mjs'), '--port', String(port), '--host', '127.0.0.1', '--server', 'stream', '--', ...upstreamCommand(upstream, o?.fixtureArgs)]);
      return http(server, { port, path: '/mcp' }, true);
    },
  },
};

/**
 * `mcplex wrap` and `serve --socket` of another build of the CLI (`--compare before=/path/cli.js`),
 * so a change is measured against the old code in the same run.
 */
export function comparisonConfigs(label: string, cli: string): Record<string, Config> {
  return {
    [`wrap:${label}`]: {
      name: `mcplex wrap (stdio), ${label}`,
      transport: 'stdio',
      start: (upstream, o) => stdio([NODE, cli, 'wrap', '--prefix', 'bench', '--', ...upstreamCommand(upstream, o?.fixtureArgs)], true)(),
    },
    [`socket:${label}`]: {
      name: `mcplex serve --socket, ${label}`,
      transport: 'socket',
      async start(upstream, o) {
        const path = socketPath();
        const config = mcplexConfig(upstream, o?.instances ?? 1, o?.fixtureArgs);
        const server = startServer(NODE, [cli, 'serve', '--config', config, '--socket', path, '--token-env', 'BENCH_TOKEN'], { env: { BENCH_TOKEN: TOKEN } });
        return http(server, { socketPath: path, path: '/mcp', headers: { authorization: `Bearer ${TOKEN}` } }, true);
      },
    },
  };
}

/** The exposed name of the upstream's `tool`, waiting until the catalog has it (peers connect lazily). */
export async function findTool(client: RpcClient, tool: string, ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { tools } = (await client.request('tools/list', {})) as { tools: { name: string }[] };
    const found = tools.find((candidate) => candidate.name === tool || candidate.name.endsWith(`__${tool}`) || candidate.name.endsWith(`_${tool}`));
    if (found !== undefined) return found.name;
    if (Date.now() > deadline) throw new Error(`no tool "${tool}" among ${tools.map((t) => t.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
