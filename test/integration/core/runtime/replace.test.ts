// What a client of an instance sees when a config edit replaces its relay (a new surface, as
// here, or a new process): its session ends
// at once (a pending call is answered, the GET stream ends, the next request gets 404), so a
// client like VS Code never waits on a dead session; a new session sees the new tool list.
// Raw HTTP over the runtime's unix socket, to watch the streams themselves.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { WindowRuntime, type DefinitionSpec, type FolderInput } from '../../../../src/core/runtime';
import { fixturePath } from '../../../fixtures/servers';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-rt-replace-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The `hang` fixture (tool `hang` never answers, `echo` does) as one instance, minus `deny`. */
function hangFolder(deny: readonly string[]): FolderInput {
  const path = join(dir, 'hang');
  mkdirSync(path, { recursive: true });
  const text = JSON.stringify({
    servers: {
      hang: {
        label: 'Hang',
        command: process.execPath,
        args: [fixturePath('hang')],
        instances: { main: { label: 'Main', tools: { deny } } },
      },
    },
  });
  return { id: 'file:///hang', name: 'hang', path, file: { path: join(path, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure: 'instances' } };
}

interface Exchange {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** Resolves with the whole body once the response ends (or its connection closes). */
  readonly body: Promise<string>;
}

/** One request to the definition's path over its socket, with its token. */
function send(definition: DefinitionSpec, method: string, headers: Record<string, string>, body?: unknown): Promise<Exchange> {
  const match = /^unix:\/\/(.+)#(\/.*)$/.exec(definition.url);
  assert.ok(match, `a unix:// definition url: ${definition.url}`);
  const [, socketPath = '', path = ''] = match;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path,
        method,
        agent: false,
        headers: { ...definition.headers, accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': '2025-11-25', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const body = new Promise<string>((done) => {
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(Buffer.concat(chunks).toString()));
          res.on('close', () => done(Buffer.concat(chunks).toString()));
        });
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** initialize + notifications/initialized; returns the session id. */
async function openSession(definition: DefinitionSpec): Promise<string> {
  const init = await send(definition, 'POST', {}, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'vscode-like', version: '0' } },
  });
  assert.equal(init.status, 200, await init.body);
  await init.body;
  const session = init.headers['mcp-session-id'];
  assert.ok(typeof session === 'string', 'a session id');
  const initialized = await send(definition, 'POST', { 'mcp-session-id': session }, { jsonrpc: '2.0', method: 'notifications/initialized' });
  assert.equal(initialized.status, 202);
  return session;
}

async function toolNames(definition: DefinitionSpec, session: string): Promise<string[]> {
  const listed = await send(definition, 'POST', { 'mcp-session-id': session }, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
  const reply = JSON.parse(await listed.body) as { result: { tools: { name: string }[] } };
  return reply.result.tools.map((tool) => tool.name).sort();
}

/** How long `promise` takes to settle, failing past `limitMs`. */
async function within<T>(promise: Promise<T>, limitMs: number, what: string): Promise<{ value: T; ms: number }> {
  const began = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${limitMs} ms`)), limitMs);
  });
  try {
    const value = await Promise.race([promise, limit]);
    return { value, ms: Date.now() - began };
  } finally {
    clearTimeout(timer);
  }
}

describe('a config edit that replaces an instance, seen by its HTTP client', { timeout: 30_000 }, () => {
  it('ends the old session at once (pending call answered, GET stream ended, 404 after) and serves the new tool list on a new session', async (t) => {
    const runtime = await WindowRuntime.start({
      listen: { kind: 'socket', path: join(dir, 'w.sock') },
      secrets: { get: async () => undefined },
      env: process.env,
      userHome: dir,
      startup: 'eager',
    });
    t.after(() => runtime.close());
    await runtime.update([hangFolder([])], true);
    const [before] = runtime.definitions();
    assert.ok(before);
    await runtime.ensureRunning(before.id);

    const session = await openSession(before);
    assert.deepEqual(await toolNames(before, session), ['echo', 'hang']);
    const stream = await send(before, 'GET', { 'mcp-session-id': session, accept: 'text/event-stream' });
    assert.equal(stream.status, 200);
    // Its answer (and so its headers) never comes from the upstream.
    const pending = send(before, 'POST', { 'mcp-session-id': session }, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'hang', arguments: {} } }).then((exchange) => exchange.body);
    await sleep(300); // the call reaches the upstream

    const result = await runtime.update([hangFolder(['echo'])], true);
    // A `deny` edit: a new relay over the same process.
    assert.deepEqual([result.restarted, result.reconfigured], [[], [before.id]]);
    const [after_] = runtime.definitions();
    assert.ok(after_);
    assert.notEqual(after_.version, before.version, 'a changed surface changes the version');
    assert.equal(after_.url, before.url, 'the same path');

    // By the time `update` resolves, the old session is over: nothing is left hanging.
    const answered = await within(pending, 500, 'the pending call');
    const error = (JSON.parse(answered.value.replace(/^event: message\ndata: /, '')) as { id: number; error?: { message: string } });
    assert.equal(error.id, 7);
    assert.match(error.error?.message ?? '', /closed/);
    await within(stream.body, 500, 'the end of the GET stream');
    const stale = await send(before, 'POST', { 'mcp-session-id': session }, { jsonrpc: '2.0', id: 8, method: 'tools/list' });
    assert.equal(stale.status, 404, 'the old session is gone: the client must initialize again');

    await runtime.ensureRunning(after_.id);
    const fresh = await openSession(after_);
    assert.deepEqual(await toolNames(after_, fresh), ['hang']);
  });
});
