/**
 * The soak's clients: workers making mixed calls on their own sessions, a client that opens
 * its GET stream and stops reading, and sessions that are opened and then abandoned (no
 * DELETE, as the SDK client's `close()` leaves them). Every failure is classified, none thrown.
 */
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { handshake, HttpRpc, RpcError } from './rawClient';
import type { MemberKey } from './soakServe';

export interface Endpoint {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** One operation of the mix, and the member that answers it (for telling restart errors apart). */
export interface Operation {
  readonly kind: 'tools/call' | 'tools/list' | 'resources/read' | 'prompts/get';
  readonly member: MemberKey | undefined;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** The mix: calls on every member, lists, reads and prompts of both server-everything accounts. */
export function operations(resourceUri: (member: 'ev1' | 'ev2') => string): Operation[] {
  const call = (member: MemberKey, name: string, args: Record<string, unknown>): Operation => ({
    kind: 'tools/call',
    member,
    method: 'tools/call',
    params: { name: `${member}__${name}`, arguments: args },
  });
  const ops: Operation[] = [];
  for (const member of ['ev1', 'ev2'] as const) {
    ops.push(call(member, 'echo', { message: `soak ${member}` }), call(member, 'get-sum', { a: 2, b: 3 }));
    ops.push({ kind: 'resources/read', member, method: 'resources/read', params: { uri: resourceUri(member) } });
    ops.push({ kind: 'prompts/get', member, method: 'prompts/get', params: { name: `${member}__simple-prompt` } });
    ops.push({ kind: 'prompts/get', member, method: 'prompts/get', params: { name: `${member}__args-prompt`, arguments: { city: 'Lyon' } } });
  }
  ops.push(call('echo', 'echo', { text: 'soak' }), call('echo', 'echo', { text: 'soak again' }), call('flood', 'echo', { text: 'soak flood' }));
  ops.push({ kind: 'tools/list', member: undefined, method: 'tools/list', params: {} });
  return ops;
}

/** What became of one operation. */
export type Outcome =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly ms: number; readonly kind: string; readonly message: string; readonly code?: string };

const REQUEST_TIMEOUT_MS = 30_000;

export async function perform(client: HttpRpc, op: Operation): Promise<Outcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS);
    });
    const result = await Promise.race([client.request(op.method, op.params), timeout]);
    const ms = performance.now() - started;
    // A tool's own failure (isError) is an answer, but not the one the mix expects.
    if (result['isError'] === true) return { ok: false, ms, kind: 'tool-error', message: JSON.stringify(result['content']).slice(0, 300) };
    return { ok: true, ms };
  } catch (error) {
    const ms = performance.now() - started;
    if (error instanceof RpcError) {
      const data = (error.error as { data?: { code?: unknown } }).data;
      const code = typeof data?.code === 'string' ? data.code : undefined;
      return { ok: false, ms, kind: `rpc ${error.error.code}`, message: error.error.message, ...(code !== undefined && { code }) };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, ms, kind: /^HTTP \d+/.exec(message)?.[0] ?? (message.startsWith('no answer') ? 'timeout' : 'transport'), message: message.slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

/** A session with every member's capabilities (a session opened while one starts lacks its resources and prompts). */
export async function openFullSession(endpoint: Endpoint, deadlineMs = 60_000): Promise<HttpRpc> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const client = new HttpRpc({ url: endpoint.url, headers: endpoint.headers });
    const result = await handshake(client).catch(() => undefined);
    const capabilities = (result?.['capabilities'] ?? {}) as Record<string, unknown>;
    if (capabilities['resources'] !== undefined && capabilities['prompts'] !== undefined) return client;
    await client.close().catch(() => undefined);
    if (Date.now() > deadline) throw new Error('no session with resources and prompts within 60 s: a member did not come up');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Posted {
  readonly status: number;
  readonly session: string | undefined;
  readonly text: string;
}

/** One POST on its own connection (no keep-alive), so a dropped session holds no socket. */
export async function postOnce(endpoint: Endpoint, body: unknown, session?: string): Promise<Posted> {
  const target = new URL(endpoint.url);
  const text = JSON.stringify(body);
  const outgoing = request({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    agent: false,
    headers: {
      ...endpoint.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      connection: 'close',
      'content-length': String(Buffer.byteLength(text)),
      ...(session !== undefined && { 'mcp-session-id': session }),
    },
  });
  outgoing.end(text);
  const [response] = (await once(outgoing, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const id = response.headers['mcp-session-id'];
  return { status: response.statusCode ?? 0, session: typeof id === 'string' ? id : undefined, text: Buffer.concat(chunks).toString('utf8') };
}

const INITIALIZE = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcplex-soak', version: '0' } } };

/** initialize + initialized on connections of their own; the session id. */
export async function openBareSession(endpoint: Endpoint): Promise<string> {
  const init = await postOnce(endpoint, INITIALIZE);
  if (init.status !== 200 || init.session === undefined) throw new Error(`initialize: HTTP ${init.status} ${init.text.slice(0, 200)}`);
  await postOnce(endpoint, { jsonrpc: '2.0', method: 'notifications/initialized' }, init.session);
  return init.session;
}

/** Whether mcplex still knows `session`: a ping answered 404 says it closed it. */
export async function sessionOpen(endpoint: Endpoint, session: string): Promise<boolean> {
  return (await postOnce(endpoint, { jsonrpc: '2.0', id: 1, method: 'ping' }, session)).status !== 404;
}

/**
 * A GET stream opened and then never read: the response is paused, so the flood's log lines
 * fill the socket and then mcplex's outbox. Returns a function that drops the connection.
 */
export async function stallStream(endpoint: Endpoint, session: string): Promise<() => void> {
  const target = new URL(endpoint.url);
  const outgoing = request({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'GET',
    agent: false,
    headers: { ...endpoint.headers, accept: 'text/event-stream', 'mcp-protocol-version': '2025-06-18', 'mcp-session-id': session },
  });
  outgoing.on('error', () => undefined);
  outgoing.end();
  const [response] = (await once(outgoing, 'response')) as [IncomingMessage];
  if (response.statusCode !== 200) throw new Error(`the GET stream got HTTP ${response.statusCode}`);
  response.pause();
  return () => outgoing.destroy();
}
