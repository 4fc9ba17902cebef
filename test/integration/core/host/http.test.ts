// The HTTP host over loopback TCP and a unix socket, reached by the SDK's own client.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { HostError, HttpHost, createSocketFetch, type Relay } from '../../../../src/core/host';

const TOKEN = 'test-token-0123456789';
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

/** A trivial relay: a fresh McpServer per session with an `echo` tool that names the relay. */
function echoRelay(name: string) {
  const servers = new Set<McpServer>();
  let closedSessions = 0;
  const relay: Relay & { servers: Set<McpServer>; readonly closedSessions: number } = {
    servers,
    get closedSessions() {
      return closedSessions;
    },
    async connect(transport: Transport) {
      const server = new McpServer({ name, version: '1.0.0' });
      server.registerTool('echo', { description: 'Echoes its text.', inputSchema: { text: z.string() } }, ({ text }) => ({
        content: [{ type: 'text', text: `${name}: ${text}` }],
      }));
      server.server.onclose = () => {
        servers.delete(server);
        closedSessions += 1;
      };
      await server.connect(transport);
      servers.add(server);
      return { close: () => server.close() };
    },
    async close() {},
  };
  return relay;
}

interface ClientOptions {
  readonly token?: string;
  readonly header?: string;
  readonly socketPath?: string;
}

async function connectClient(url: string, options: ClientOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers[options.header ?? 'Authorization'] = options.header ? options.token : `Bearer ${options.token}`;
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers },
    ...(options.socketPath !== undefined && { fetch: createSocketFetch(options.socketPath) }),
  });
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(transport);
  return { client, transport };
}

async function echo(client: Client, text: string): Promise<unknown> {
  const result = await client.callTool({ name: 'echo', arguments: { text } });
  return result.content;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A plain request, with full control of Host and the other headers fetch would fill in. */
function raw(
  target: { port: number } | { socketPath: string },
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        ...('port' in target ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath }),
        agent: false,
        method: options.method ?? 'POST',
        path: options.path ?? '/a',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(options.body ?? JSON.stringify(INITIALIZE));
  });
}

function jsonRpcError(response: RawResponse): { code: number; message: string } {
  const parsed = JSON.parse(response.body) as { jsonrpc: string; error: { code: number; message: string } };
  assert.equal(parsed.jsonrpc, '2.0');
  return parsed.error;
}

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('HTTP host on loopback TCP', () => {
  test('serves two relays at two paths, each to its own clients', async () => {
    const host = await HttpHost.start({ listen: { kind: 'tcp', port: 0 } });
    after(() => host.close());
    const a = host.mount('/a', echoRelay('alpha'));
    const b = host.mount('/b/mcp', echoRelay('beta'));
    assert.match(a.url, /^http:\/\/127\.0\.0\.1:\d+\/a$/);
    assert.equal(host.urlFor('/b/mcp'), `http://127.0.0.1:${host.port}/b/mcp`);

    const first = await connectClient(a.url);
    const second = await connectClient(b.url);
    assert.equal(first.client.getServerVersion()?.name, 'alpha');
    assert.equal(second.client.getServerVersion()?.name, 'beta');
    const tools = await first.client.listTools();
    assert.deepEqual(tools.tools.map((tool) => tool.name), ['echo']);
    assert.deepEqual(await echo(first.client, 'hi'), [{ type: 'text', text: 'alpha: hi' }]);
    assert.deepEqual(await echo(second.client, 'yo'), [{ type: 'text', text: 'beta: yo' }]);
    await first.client.close();
    await second.client.close();
  });

  test('keeps concurrent sessions apart, streams notifications on GET, and ends a session on DELETE', async () => {
    const host = await HttpHost.start({ listen: { kind: 'tcp', host: '127.0.0.1' } });
    after(() => host.close());
    const relay = echoRelay('alpha');
    const { url } = host.mount('/a', relay);
    const one = await connectClient(url);
    const two = await connectClient(url);
    assert.equal(host.sessionCount('/a'), 2);
    assert.ok(one.transport.sessionId);
    assert.notEqual(one.transport.sessionId, two.transport.sessionId);
    const results = await Promise.all([echo(one.client, '1'), echo(two.client, '2'), echo(one.client, '3')]);
    assert.deepEqual(results, [
      [{ type: 'text', text: 'alpha: 1' }],
      [{ type: 'text', text: 'alpha: 2' }],
      [{ type: 'text', text: 'alpha: 3' }],
    ]);

    // A tool added at run time is announced outside any request: on the GET stream.
    const changed = new Promise<void>((resolve) => one.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    const [server] = [...relay.servers];
    assert.ok(server);
    await waitFor(() => server.isConnected());
    server.registerTool('late', { description: 'Added later.' }, () => ({ content: [] }));
    await withTimeout(changed, 5000, 'tools/list_changed never arrived');

    await one.transport.terminateSession();
    await waitFor(() => host.sessionCount('/a') === 1);
    assert.ok(relay.closedSessions >= 1);
    assert.deepEqual(await echo(two.client, 'still'), [{ type: 'text', text: 'alpha: still' }]);
    await one.client.close();
    await two.client.close();
  });

  test('refuses what it must: token, Host, Origin, path, session, size, method', async () => {
    const host = await HttpHost.start({ listen: { kind: 'tcp' }, token: TOKEN, tokenHeader: 'X-Mcplex-Token', maxBodyBytes: 64 * 1024 });
    after(() => host.close());
    host.mount('/a', echoRelay('alpha'));
    const port = host.port!;
    const auth = { authorization: `Bearer ${TOKEN}` };

    const missing = await raw({ port });
    assert.equal(missing.status, 401);
    assert.equal(jsonRpcError(missing).code, -32000);
    assert.match(jsonRpcError(missing).message, /token/);
    assert.equal((await raw({ port, }, { headers: { authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await raw({ port }, { headers: { 'x-mcplex-token': 'nope' } })).status, 401);
    // A request without the token learns nothing, not even which paths exist.
    assert.equal((await raw({ port }, { path: '/nowhere' })).status, 401);

    assert.equal((await raw({ port }, { headers: { ...auth, origin: 'https://evil.example' } })).status, 403);
    assert.equal((await raw({ port }, { headers: { ...auth, host: `evil.example:${port}` } })).status, 403);
    assert.equal((await raw({ port }, { headers: { ...auth, host: `127.0.0.1:${port + 1}` } })).status, 403);

    const accepted = await raw({ port }, { headers: { ...auth, origin: 'http://localhost:1234', host: `localhost:${port}` } });
    assert.equal(accepted.status, 200);
    assert.ok(accepted.headers['mcp-session-id']);
    assert.equal((await raw({ port }, { headers: { 'x-mcplex-token': TOKEN } })).status, 200);

    assert.equal((await raw({ port }, { headers: auth, path: '/nowhere' })).status, 404);
    const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const noSession = await raw({ port }, { headers: auth, body: initialized });
    assert.equal(noSession.status, 400);
    assert.match(jsonRpcError(noSession).message, /Mcp-Session-Id/);
    assert.equal((await raw({ port }, { method: 'GET', headers: auth })).status, 400);
    const unknown = await raw({ port }, { headers: { ...auth, 'mcp-session-id': 'no-such-session' }, body: initialized });
    assert.equal(unknown.status, 404);
    assert.equal(jsonRpcError(unknown).code, -32001);
    assert.equal((await raw({ port }, { headers: auth, body: '{"jsonrpc":' })).status, 400);
    const huge = JSON.stringify({ ...INITIALIZE, padding: 'x'.repeat(100 * 1024) });
    assert.equal((await raw({ port }, { headers: auth, body: huge })).status, 413);
    const put = await raw({ port }, { method: 'PUT', headers: auth });
    assert.equal(put.status, 405);
    assert.equal(put.headers['allow'], 'GET, POST, DELETE');

    // And the SDK client gets through with either header.
    const viaBearer = await connectClient(host.urlFor('/a'), { token: TOKEN });
    const viaHeader = await connectClient(host.urlFor('/a'), { token: TOKEN, header: 'X-Mcplex-Token' });
    assert.deepEqual(await echo(viaHeader.client, 'ok'), [{ type: 'text', text: 'alpha: ok' }]);
    await viaBearer.client.close();
    await viaHeader.client.close();
    await assert.rejects(connectClient(host.urlFor('/a')), /Unauthorized: missing or wrong mcplex token/);
  });

  test('unmounting closes the path\'s sessions; the path can be mounted again', async () => {
    const host = await HttpHost.start({ listen: { kind: 'tcp' } });
    after(() => host.close());
    const relay = echoRelay('alpha');
    const handle = host.mount('/a', relay);
    assert.throws(() => host.mount('/a', relay), (error: unknown) => error instanceof HostError && error.code === 'path-already-mounted');
    assert.throws(() => host.mount('no-slash', relay), (error: unknown) => error instanceof HostError && error.code === 'invalid-mount-path');
    const { client } = await connectClient(handle.url);
    await handle.dispose();
    assert.equal(relay.closedSessions, 1);
    assert.equal(relay.servers.size, 0);
    await assert.rejects(echo(client, 'gone'), /404|not found/i);

    host.mount('/a', echoRelay('again'));
    const fresh = await connectClient(handle.url);
    assert.equal(fresh.client.getServerVersion()?.name, 'again');
    await handle.dispose(); // a stale handle does not unmount its successor
    assert.deepEqual(await echo(fresh.client, 'x'), [{ type: 'text', text: 'again: x' }]);
    await fresh.client.close();
    await client.close();
  });

  test('close() ends every session and frees the port, and is idempotent', async () => {
    const host = await HttpHost.start({ listen: { kind: 'tcp' } });
    const relay = echoRelay('alpha');
    host.mount('/a', relay);
    host.mount('/b', relay);
    const one = await connectClient(host.urlFor('/a'));
    const two = await connectClient(host.urlFor('/b'));
    const port = host.port!;
    await Promise.all([host.close(), host.close()]);
    await host.close();
    assert.equal(relay.closedSessions, 2);
    assert.equal(await portRefuses(port), true);
    assert.throws(() => host.mount('/c', relay), (error: unknown) => error instanceof HostError && error.code === 'host-closed');
    await one.client.close();
    await two.client.close();
  });

  test('listens on loopback only', async () => {
    await assert.rejects(
      HttpHost.start({ listen: { kind: 'tcp', host: '0.0.0.0' as '127.0.0.1' } }),
      (error: unknown) => error instanceof HostError && error.code === 'invalid-listen-address',
    );
  });
});

describe('HTTP host on a unix socket', { skip: process.platform === 'win32' }, () => {
  const root = mkdtempSync(join(tmpdir(), 'mcplex-host-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('serves relays with the token, on a private socket that is gone after close', async () => {
    const socketPath = join(root, 'private', 'run', 'host.sock');
    const host = await HttpHost.start({ listen: { kind: 'socket', path: socketPath }, token: TOKEN, tokenHeader: 'X-Mcplex-Token' });
    after(() => host.close());
    assert.equal(statSync(socketPath).mode & 0o777, 0o600);
    assert.equal(statSync(join(root, 'private', 'run')).mode & 0o777, 0o700);
    assert.equal(statSync(join(root, 'private')).mode & 0o777, 0o700);
    assert.equal(host.port, undefined);
    assert.equal(host.urlFor('/a'), `unix://${socketPath}#/a`);

    const relay = echoRelay('alpha');
    host.mount('/a', relay);
    host.mount('/b', echoRelay('beta'));
    const one = await connectClient('http://localhost/a', { socketPath, token: TOKEN, header: 'X-Mcplex-Token' });
    const two = await connectClient('http://localhost/a', { socketPath, token: TOKEN });
    const beta = await connectClient('http://localhost/b', { socketPath, token: TOKEN });
    assert.deepEqual((await one.client.listTools()).tools.map((tool) => tool.name), ['echo']);
    assert.deepEqual(await Promise.all([echo(one.client, '1'), echo(two.client, '2'), echo(beta.client, '3')]), [
      [{ type: 'text', text: 'alpha: 1' }],
      [{ type: 'text', text: 'alpha: 2' }],
      [{ type: 'text', text: 'beta: 3' }],
    ]);
    assert.equal(host.sessionCount('/a'), 2);

    assert.equal((await raw({ socketPath })).status, 401);
    assert.equal((await raw({ socketPath }, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    // No Host check on a socket: only this user can reach it, whatever name the client uses.
    assert.equal((await raw({ socketPath }, { headers: { authorization: `Bearer ${TOKEN}`, host: 'anything' } })).status, 200);

    await host.close();
    assert.equal(existsSync(socketPath), false);
    assert.equal(relay.closedSessions, 3);
    await assert.rejects(raw({ socketPath }), /ENOENT/);
    for (const { client } of [one, two, beta]) await client.close();
  });

  test('replaces a stale socket file, but not a live socket or another file', async () => {
    const socketPath = join(root, 'stale.sock');
    // A host killed before it could clean up leaves its socket file behind.
    const killed = spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(statSync(socketPath).isSocket());

    const host = await HttpHost.start({ listen: { kind: 'socket', path: socketPath } });
    after(() => host.close());
    host.mount('/a', echoRelay('alpha'));
    const { client } = await connectClient('http://localhost/a', { socketPath });
    assert.deepEqual(await echo(client, 'fresh'), [{ type: 'text', text: 'alpha: fresh' }]);

    await assert.rejects(
      HttpHost.start({ listen: { kind: 'socket', path: socketPath } }),
      (error: unknown) => error instanceof HostError && error.code === 'socket-in-use',
    );
    assert.deepEqual(await echo(client, 'still'), [{ type: 'text', text: 'alpha: still' }]);
    await client.close();
    await host.close();

    const regular = join(root, 'not-a-socket');
    writeFileSync(regular, 'keep me');
    await assert.rejects(
      HttpHost.start({ listen: { kind: 'socket', path: regular } }),
      (error: unknown) => error instanceof HostError && error.code === 'socket-path-not-a-socket',
    );
    assert.equal(existsSync(regular), true);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
