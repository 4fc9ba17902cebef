/**
 * The relay's hot path end to end, on a real stdio upstream (the bench's lean fixture):
 * tools/call answered with the upstream's result spliced under the client's id, tools/list
 * from the cached view; and the Node-native Streamable HTTP transport: JSON answers, SSE
 * when something is sent for a request before its answer, 202, batches by protocol
 * version, the GET stream, DELETE.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import { HttpHost, serveStdio, type Relay } from '../../../../src/core/host';
import { connectedUpstream, createInstanceRelay } from '../../../../src/core/mux';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'bench', 'fixtures', 'payloadServer.mjs');
const BIG = 3_000_000;

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function post(socketPath: string, body: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const req = httpRequest(
      { socketPath, path: '/mcp', method, agent: false, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const initialize = (id: number | string = 0) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

/** The data of each SSE event of a body. */
function events(body: string): unknown[] {
  return body
    .split('\n\n')
    .filter((event) => event.includes('data: '))
    .map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)) as unknown);
}

describe('hot path over a stdio upstream', () => {
  let upstream: UpstreamConnection;
  let relay: Relay;
  before(async () => {
    upstream = await connectUpstream({ kind: 'stdio', command: process.execPath, args: [FIXTURE], env: {} }, { instance: 'bench/p' });
    relay = createInstanceRelay({ source: connectedUpstream('p', upstream.client), slug: 'p', label: 'P', prefixTools: true });
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });

  test('stdio host: results spliced under the client id, lists from the view, errors worded as before', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    stdout.setEncoding('utf8');
    const host = await serveStdio(relay, { stdin, stdout });
    let buffered = '';
    const lines: string[] = [];
    stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let at: number;
      while ((at = buffered.indexOf('\n')) >= 0) {
        lines.push(buffered.slice(0, at));
        buffered = buffered.slice(at + 1);
      }
    });
    const ask = async (message: Record<string, unknown>): Promise<{ line: string; parsed: Record<string, unknown> }> => {
      const seen = lines.length;
      stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
      while (lines.length === seen) await new Promise((resolve) => setTimeout(resolve, 2));
      const line = lines[seen]!;
      return { line, parsed: JSON.parse(line) as Record<string, unknown> };
    };
    await ask(initialize(0));
    stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    const first = await ask({ id: 1, method: 'tools/list' });
    const second = await ask({ id: 2, method: 'tools/list' });
    assert.deepEqual(second.parsed['result'], first.parsed['result'], 'the cached list is the list');
    const tools = (first.parsed['result'] as { tools: { name: string; description: string }[] }).tools;
    assert.deepEqual(tools.map((tool) => tool.name), ['p__echo', 'p__payload']);
    assert.match(tools[0]!.description, /labeled "P"/);

    const big = await ask({ id: 'call "big"', method: 'tools/call', params: { name: 'p__payload', arguments: { bytes: BIG } } });
    assert.equal(big.line, `{"jsonrpc":"2.0","id":"call \\"big\\"","result":{"content":[{"type":"text","text":"${'x'.repeat(BIG)}"}]}}`);
    const echo = await ask({ id: 3, method: 'tools/call', params: { name: 'p__echo', arguments: { message: 'hé' } } });
    assert.deepEqual(echo.parsed, { jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: 'Echo: hé' }] } });
    const unknown = await ask({ id: 4, method: 'tools/call', params: { name: 'p__nope', arguments: {} } });
    assert.equal((unknown.parsed['error'] as { code: number }).code, -32602);
    await host.close();
  });

  test('HTTP host: a call answers as application/json, a 3 MB result intact; batches only before 2025-06-18', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-hot-'));
    const host = await HttpHost.start({ listen: { kind: 'socket', path: join(dir, 'h.sock') } });
    try {
      host.mount('/mcp', relay);
      const socketPath = join(dir, 'h.sock');
      const init = await post(socketPath, initialize());
      assert.equal(init.status, 200);
      assert.match(String(init.headers['content-type']), /^application\/json/);
      const session = String(init.headers['mcp-session-id']);
      const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
      assert.equal((await post(socketPath, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status, 202);

      const call = await post(socketPath, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'p__payload', arguments: { bytes: BIG } } }, headers);
      assert.equal(call.status, 200);
      assert.match(String(call.headers['content-type']), /^application\/json/);
      assert.equal(Number(call.headers['content-length']), Buffer.byteLength(call.body));
      const parsed = JSON.parse(call.body) as { id: number; result: { content: { text: string }[] } };
      assert.equal(parsed.id, 9);
      assert.equal(parsed.result.content[0]!.text.length, BIG);

      const batch = [10, 11].map((id) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'p__echo', arguments: { message: `m${id}` } } }));
      const refused = await post(socketPath, batch, headers);
      assert.equal(refused.status, 400);
      assert.match(refused.body, /batch/);
      const accepted = await post(socketPath, batch, { ...headers, 'mcp-protocol-version': '2025-03-26' });
      assert.equal(accepted.status, 200);
      assert.deepEqual(
        (JSON.parse(accepted.body) as { id: number; result: { content: { text: string }[] } }[]).map((answer) => [answer.id, answer.result.content[0]!.text]),
        [[10, 'Echo: m10'], [11, 'Echo: m11']],
      );
      assert.equal((await post(socketPath, { jsonrpc: '2.0', id: 12, method: 'ping' }, { ...headers, 'mcp-protocol-version': '1999-01-01' })).status, 400);
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Node-native Streamable HTTP transport', () => {
  /** A relay whose `slow` tool reports progress when asked for it. */
  const progressRelay: Relay = {
    async connect(transport: Transport) {
      const server = new McpServer({ name: 'p', version: '1.0.0' });
      server.registerTool('slow', { inputSchema: { steps: z.number() } }, async ({ steps }, extra) => {
        const token = extra._meta?.progressToken;
        for (let step = 1; step <= steps; step++) {
          if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: steps } });
        }
        return { content: [{ type: 'text', text: 'done' }] };
      });
      await server.connect(transport);
      return { close: () => server.close() };
    },
    async close() {},
  };

  test('answers JSON without progress, upgrades to SSE with it; GET stream once; DELETE ends the session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-sse-'));
    const socketPath = join(dir, 'h.sock');
    const host = await HttpHost.start({ listen: { kind: 'socket', path: socketPath } });
    try {
      host.mount('/mcp', progressRelay);
      const init = await post(socketPath, initialize());
      const headers = { 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-11-25' };
      const call = (id: number, meta?: object) => post(socketPath, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow', arguments: { steps: 2 }, ...(meta && { _meta: meta }) } }, headers);

      const plain = await call(1);
      assert.match(String(plain.headers['content-type']), /^application\/json/);
      assert.equal((JSON.parse(plain.body) as { id: number }).id, 1);

      const streamed = await call(2, { progressToken: 'tok' });
      assert.match(String(streamed.headers['content-type']), /^text\/event-stream/);
      assert.deepEqual(events(streamed.body), [
        { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 1, total: 2 } },
        { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 2, total: 2 } },
        { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'done' }] } },
      ]);

      const stream = await new Promise<{ status: number; type: string; close: () => void }>((resolve, reject) => {
        const req = httpRequest({ socketPath, path: '/mcp', method: 'GET', headers: { accept: 'text/event-stream', ...headers } }, (res) =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), close: () => req.destroy() }),
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(stream.status, 200);
      assert.match(stream.type, /^text\/event-stream/);
      const second = await post(socketPath, undefined, { ...headers, accept: 'text/event-stream' }, 'GET');
      assert.equal(second.status, 409);
      stream.close();

      assert.equal((await post(socketPath, undefined, headers, 'DELETE')).status, 200);
      assert.equal((await call(3)).status, 404);
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
