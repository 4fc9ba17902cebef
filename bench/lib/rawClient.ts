/**
 * Minimal MCP clients for measuring: JSON-RPC over a child's stdio (newline-delimited) or
 * over Streamable HTTP (TCP or a unix socket, keep-alive). No schema validation and no SDK,
 * so the client's own cost is small and the same for every configuration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';

export interface RpcClient {
  request(method: string, params?: unknown): Promise<Record<string, unknown>>;
  notify(method: string, params?: unknown): Promise<void>;
  close(): Promise<void>;
}

export class RpcError extends Error {
  constructor(readonly error: { code: number; message: string }) {
    super(`JSON-RPC error ${error.code}: ${error.message}`);
  }
}

const CLIENT_INFO = { name: 'mcplex-bench', version: '0' };

/** initialize + notifications/initialized, the handshake every configuration needs; `capabilities`: what the client announces. */
export async function handshake(client: RpcClient, capabilities: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const result = await client.request('initialize', { protocolVersion: '2025-06-18', capabilities, clientInfo: CLIENT_INFO });
  await client.notify('notifications/initialized');
  return result;
}

type Pending = { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void };

export class StdioRpc implements RpcClient {
  readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffer = '';
  private exited = false;

  constructor(command: string, args: readonly string[], env?: NodeJS.ProcessEnv) {
    this.child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    this.child.on('exit', () => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error('the process exited'));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  request(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error('the process exited'));
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  async notify(method: string, params?: unknown): Promise<void> {
    this.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private onData(chunk: string): void {
    let start = 0;
    let newline = chunk.indexOf('\n');
    if (newline === -1) {
      this.buffer += chunk;
      return;
    }
    let line = this.buffer + chunk.slice(0, newline);
    this.buffer = '';
    for (;;) {
      this.onLine(line);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
      if (newline === -1) break;
      line = chunk.slice(start, newline);
    }
    this.buffer = chunk.slice(start);
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    const message = JSON.parse(line) as { id?: number; result?: Record<string, unknown>; error?: { code: number; message: string }; method?: string };
    if (message.method !== undefined) {
      // A request from the server (roots/list, ping): answer it empty so nothing waits.
      if (message.id !== undefined) this.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: message.method === 'roots/list' ? { roots: [] } : {} })}\n`);
      return;
    }
    const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
    if (waiter === undefined) return;
    this.pending.delete(message.id!);
    if (message.error !== undefined) waiter.reject(new RpcError(message.error));
    else waiter.resolve(message.result ?? {});
  }
}

export interface HttpTarget {
  /** `http://127.0.0.1:PORT/path`, or a unix socket with a path. */
  readonly url?: string;
  readonly socketPath?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export class HttpRpc implements RpcClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private nextId = 1;
  private readonly options: { host?: string; port?: number; socketPath?: string; path: string };
  /** `performance.now()` when the last response's body had fully arrived, before the client parsed it. */
  lastBodyAt = 0;

  constructor(private readonly target: HttpTarget) {
    if (target.url !== undefined) {
      const url = new URL(target.url);
      this.options = { host: url.hostname, port: Number(url.port), path: url.pathname };
    } else {
      this.options = { socketPath: target.socketPath!, path: target.path ?? '/mcp' };
    }
  }

  async request(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = await this.post({ jsonrpc: '2.0', id, method, params }, id);
    if (method === 'initialize') this.protocolVersion = (message?.result as { protocolVersion?: string } | undefined)?.protocolVersion;
    if (message === undefined) throw new Error(`${method}: no response`);
    if (message.error !== undefined) throw new RpcError(message.error as { code: number; message: string });
    return (message.result ?? {}) as Record<string, unknown>;
  }

  async notify(method: string, params?: unknown): Promise<void> {
    await this.post({ jsonrpc: '2.0', method, params }, undefined);
  }

  async close(): Promise<void> {
    if (this.sessionId !== undefined) {
      await new Promise<void>((resolve) => {
        const outgoing = httpRequest({ ...this.options, agent: this.agent, method: 'DELETE', headers: this.headers() }, (response) => {
          response.resume();
          response.on('end', resolve);
        });
        outgoing.on('error', () => resolve());
        outgoing.end();
      });
    }
    this.agent.destroy();
  }

  private headers(): Record<string, string> {
    return {
      ...this.target.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(this.sessionId !== undefined && { 'mcp-session-id': this.sessionId }),
      ...(this.protocolVersion !== undefined && { 'mcp-protocol-version': this.protocolVersion }),
    };
  }

  private post(body: unknown, id: number | undefined): Promise<Record<string, unknown> | undefined> {
    const text = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { ...this.options, agent: this.agent, method: 'POST', headers: { ...this.headers(), 'content-length': String(Buffer.byteLength(text)) } },
        (response) => {
          const session = response.headers['mcp-session-id'];
          if (typeof session === 'string') this.sessionId = session;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            this.lastBodyAt = performance.now();
            const status = response.statusCode ?? 0;
            const raw = Buffer.concat(chunks).toString('utf8');
            if (status >= 400) return reject(new Error(`HTTP ${status}: ${raw.slice(0, 300)}`));
            if (id === undefined || raw === '') return resolve(undefined);
            try {
              resolve(parseBody(raw, String(response.headers['content-type'] ?? ''), id));
            } catch (error) {
              reject(error as Error);
            }
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(text);
    });
  }
}

/** A JSON body, or an SSE stream whose `data:` events hold the response among notifications. */
function parseBody(raw: string, contentType: string, id: number): Record<string, unknown> | undefined {
  if (!contentType.includes('text/event-stream')) {
    const parsed = JSON.parse(raw) as Record<string, unknown> | Record<string, unknown>[];
    return Array.isArray(parsed) ? parsed.find((message) => message['id'] === id) : parsed;
  }
  for (const event of raw.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data === '') continue;
    const message = JSON.parse(data) as Record<string, unknown>;
    if (message['id'] === id) return message;
  }
  return undefined;
}

/** The 2024-11-05 HTTP+SSE transport (mcp-hub serves only this): a GET stream, POSTs to its endpoint. */
export class SseRpc implements RpcClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private endpoint: string | undefined;
  private stream: import('node:http').ClientRequest | undefined;

  constructor(private readonly url: URL) {}

  async open(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream = httpRequest(this.url, { method: 'GET', headers: { accept: 'text/event-stream' } }, (response) => {
        if ((response.statusCode ?? 0) >= 400) return reject(new Error(`HTTP ${response.statusCode} on the SSE stream`));
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.search(/\r?\n\r?\n/)) !== -1) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
            let name = 'message';
            const data: string[] = [];
            for (const line of event.split(/\r?\n/)) {
              if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (name === 'endpoint') {
              this.endpoint = data.join('\n');
              resolve();
            } else if (data.length > 0) {
              this.onMessage(JSON.parse(data.join('\n')) as { id?: number; result?: Record<string, unknown>; error?: { code: number; message: string } });
            }
          }
        });
      });
      this.stream.on('error', reject);
      this.stream.end();
    });
  }

  request(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ jsonrpc: '2.0', id, method, params }).catch(reject);
    });
  }

  notify(method: string, params?: unknown): Promise<void> {
    return this.post({ jsonrpc: '2.0', method, params });
  }

  async close(): Promise<void> {
    this.stream?.destroy();
    this.agent.destroy();
  }

  private onMessage(message: { id?: number; result?: Record<string, unknown>; error?: { code: number; message: string } }): void {
    const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
    if (waiter === undefined) return;
    this.pending.delete(message.id!);
    if (message.error !== undefined) waiter.reject(new RpcError(message.error));
    else waiter.resolve(message.result ?? {});
  }

  private post(body: unknown): Promise<void> {
    const text = JSON.stringify(body);
    const target = new URL(this.endpoint ?? '', this.url);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(target, { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } }, (response) => {
        response.resume();
        response.on('end', () => ((response.statusCode ?? 0) >= 400 ? reject(new Error(`HTTP ${response.statusCode}`)) : resolve()));
      });
      outgoing.on('error', reject);
      outgoing.end(text);
    });
  }
}
