/**
 * Streamable HTTP host: many relays on one `node:http` server, each at its own path, each
 * client in a session of its own. Listens on loopback TCP or on a unix socket / named pipe.
 *
 * Every request is checked before it is routed (Host and Origin on TCP, then the token),
 * so a caller without the token learns nothing, not even which paths exist.
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { HostError } from './errors';
import { isNamedPipe, listen, removeSocketFile, type BoundAddress, type ListenAddress } from './listenAddress';
import { MountedRelay } from './mountedRelay';
import type { Relay } from '../mux';
import { createRequestGuard, type RequestGuard } from './requestGuard';
import { readJsonBody } from './readJsonBody';
import { sessionLimits, type SessionExpiry, type SessionLimits } from './sessionLimits';

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpHostOptions {
  readonly listen: ListenAddress;
  /** When set, every request must carry `Authorization: Bearer <token>` (or `tokenHeader`). */
  readonly token?: string;
  /** A header that may carry the token instead, e.g. `X-Mcplex-Token`. */
  readonly tokenHeader?: string;
  /** Larger request bodies are refused with 413. Default 4 MiB. */
  readonly maxBodyBytes?: number;
  /** Errors no client hears about (a transport's, a failed close); the host never logs. */
  readonly onError?: (error: Error) => void;
  /**
   * A session with no request in flight and no GET stream open for this long is closed; its
   * next request gets 404 (its client re-initializes). Default 30 min (`DEFAULT_SESSION_IDLE_MS`); 0 never.
   */
  readonly sessionIdleMs?: number;
  /**
   * Sessions per mounted relay. A new one past it closes the session idle longest, or is
   * refused with 503 when every one is busy. Default 1000 (`DEFAULT_MAX_SESSIONS`).
   */
  readonly maxSessions?: number;
  /**
   * A session whose client takes nothing from one of its streams for this long, while output
   * waits, is closed (`stalled`). Default 30 s (`DEFAULT_OUTBOX_LIMITS`); 0 never.
   */
  readonly stallMs?: number;
  /** Each session the host closed by itself (idle, over the cap, stalled), once, with the reason. */
  readonly onSessionExpired?: (expiry: SessionExpiry) => void;
}

export interface MountHandle {
  readonly path: string;
  /** Where a client reaches this relay (see `HttpHost.urlFor`). */
  readonly url: string;
  /** Unmounts the relay and closes its sessions (not the relay itself). */
  dispose(): Promise<void>;
}

export class HttpHost {
  private readonly mounts = new Map<string, MountedRelay>();
  private closing: Promise<void> | undefined;
  /**
   * Settles at the first mount or at close. On a socket handed over by systemd the
   * connection that started mcplex is already waiting: its requests wait for the relay
   * instead of getting 404 in the moment before it is mounted.
   */
  private readonly firstMount: Promise<void>;
  private mounted: () => void = () => undefined;

  private constructor(
    private readonly server: Server,
    readonly address: BoundAddress,
    private readonly guard: RequestGuard,
    private readonly maxBodyBytes: number,
    private readonly onError: (error: Error) => void,
    private readonly limits: SessionLimits,
    private readonly holdUntilMounted: boolean,
  ) {
    this.firstMount = new Promise((resolve) => (this.mounted = resolve));
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.handle(request, response).catch((error: unknown) => this.fail(response, error));
    });
  }

  static async start(options: HttpHostOptions): Promise<HttpHost> {
    const server = createServer();
    const address = await listen(server, options.listen);
    const guard = createRequestGuard({
      ...(options.token !== undefined && { token: options.token }),
      ...(options.tokenHeader !== undefined && { tokenHeader: options.tokenHeader }),
      ...(address.kind === 'tcp' && { loopbackPort: address.port }),
    });
    return new HttpHost(server, address, guard, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, options.onError ?? (() => undefined), sessionLimits(options), options.listen.kind === 'inherited');
  }

  /** The bound TCP port; undefined on a socket. */
  get port(): number | undefined {
    return this.address.kind === 'tcp' ? this.address.port : undefined;
  }

  /**
   * The URL of `path` on this host: `http://127.0.0.1:PORT/path` on TCP; on a socket the
   * form VS Code's MCP client accepts, `unix:///abs/path.sock#/path` or `pipe:///name#/path`.
   */
  urlFor(path: string): string {
    const { address } = this;
    if (address.kind === 'tcp') {
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      return `http://${host}:${address.port}${path}`;
    }
    if (isNamedPipe(address.path)) {
      return `pipe:///${address.path.slice(9)}#${path}`;
    }
    return `unix://${address.path}#${path}`;
  }

  mount(path: string, relay: Relay): MountHandle {
    if (this.closing) {
      throw new HostError('host-closed', `Cannot mount ${path}: the host is closed. Start a new host.`);
    }
    if (!/^\/[^?#\s]*$/.test(path)) {
      throw new HostError('invalid-mount-path', `Mount path "${path}" must start with "/" and contain no "?", "#" or spaces.`);
    }
    if (this.mounts.has(path)) {
      throw new HostError('path-already-mounted', `A relay is already mounted at ${path}: unmount it first or choose another path.`);
    }
    const mounted = new MountedRelay(path, relay, this.onError, this.limits);
    this.mounts.set(path, mounted);
    this.mounted();
    return { path, url: this.urlFor(path), dispose: () => this.unmountIf(mounted) };
  }

  /** Removes the relay at `path` and closes its sessions; later requests there get 404. */
  unmount(path: string): Promise<void> {
    const mounted = this.mounts.get(path);
    return mounted === undefined ? Promise.resolve() : this.unmountIf(mounted);
  }

  /** How many sessions are open at `path`, or opening (their `initialize` held); 0 when nothing is mounted there. */
  sessionCount(path: string): number {
    return this.mounts.get(path)?.sessionCount ?? 0;
  }

  /** Closes every session and the server, and removes the socket file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.mounted();
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      const mounts = [...this.mounts.values()];
      this.mounts.clear();
      await Promise.all(mounts.map((mounted) => mounted.close()));
      // Idle keep-alive connections and any stream a session did not end.
      this.server.closeAllConnections();
      await stopped;
      removeSocketFile(this.address);
    })();
    return this.closing;
  }

  /** Unmounts `mounted` if it is still the relay at its path (a stale handle does nothing). */
  private async unmountIf(mounted: MountedRelay): Promise<void> {
    if (this.mounts.get(mounted.path) === mounted) {
      this.mounts.delete(mounted.path);
    }
    await mounted.close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.closing) {
      return reply(response, 503, -32000, 'The mcplex host is shutting down.');
    }
    const verdict = this.guard(request.headers);
    if (verdict === 'forbidden') {
      return reply(response, 403, -32000, 'Forbidden: the Host or Origin header is not a loopback address of this host.');
    }
    if (verdict === 'unauthorized') {
      return reply(response, 401, -32000, 'Unauthorized: missing or wrong mcplex token.', {
        'WWW-Authenticate': 'Bearer realm="mcplex"',
      });
    }
    if (this.holdUntilMounted) {
      await this.firstMount;
      if (this.closing) return reply(response, 503, -32000, 'The mcplex host is shutting down.');
    }
    const mounted = this.mounts.get(pathOf(request.url));
    if (mounted === undefined) {
      return reply(response, 404, -32000, 'Not found: no MCP server is mounted at this path.');
    }
    const method = request.method;
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
      return reply(response, 405, -32000, 'Method not allowed.', { Allow: 'GET, POST, DELETE' });
    }

    const sessionId = request.headers['mcp-session-id'];
    let body: unknown;
    if (method === 'POST') {
      const read = await readJsonBody(request, this.maxBodyBytes);
      switch (read.kind) {
        case 'too-large':
          return reply(response, 413, -32000, `Request body exceeds ${this.maxBodyBytes} bytes.`, { Connection: 'close' });
        case 'invalid-json':
          return reply(response, 400, -32700, 'Parse error: the body is not valid JSON.');
        case 'aborted':
          response.destroy();
          return;
        case 'ok':
          body = read.value;
      }
      if (sessionId === undefined && isInitialize(body)) {
        if (!(await mounted.open(request, response, body))) {
          reply(response, 404, -32001, 'Session not found: the server at this path was unmounted.');
        }
        return;
      }
    }
    if (typeof sessionId !== 'string' || sessionId === '') {
      return reply(response, 400, -32000, 'Bad Request: a valid Mcp-Session-Id header is required; send initialize first.');
    }
    const session = mounted.session(sessionId);
    if (session === undefined) {
      // 404, not 400: the spec tells a client that gets 404 for its session to start anew.
      return reply(response, 404, -32001, 'Session not found: initialize a new session.');
    }
    await session.transport.handleRequest(request, response, body);
  }

  private fail(response: ServerResponse, error: unknown): void {
    this.onError(error instanceof Error ? error : new Error(String(error)));
    if (response.headersSent) {
      response.destroy();
    } else {
      reply(response, 500, -32603, 'Internal error in the mcplex host.');
    }
  }
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

function reply(response: ServerResponse, status: number, code: number, message: string, headers?: OutgoingHttpHeaders): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
