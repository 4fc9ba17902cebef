// The stdio host: in process over PassThrough streams, and as a real child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
// Line-delimited JSON-RPC is the same both ways, so the server transport serves as the client's too.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import { serveStdio, type Relay } from '../../../../src/core/host';

const ROOT = join(__dirname, '..', '..', '..', '..');

function echoRelay(name: string): Relay & { readonly closedSessions: number } {
  let closedSessions = 0;
  return {
    get closedSessions() {
      return closedSessions;
    },
    async connect(transport: Transport) {
      const server = new McpServer({ name, version: '1.0.0' });
      server.registerTool('echo', { inputSchema: { text: z.string() } }, ({ text }) => ({
        content: [{ type: 'text', text: `${name}: ${text}` }],
      }));
      server.server.onclose = () => (closedSessions += 1);
      await server.connect(transport);
      return { close: () => server.close() };
    },
    async close() {},
  };
}

test('serves a relay over streams; stdin ending closes the session and settles `closed`', async () => {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const written: string[] = [];
  fromServer.on('data', (chunk: Buffer) => written.push(chunk.toString()));
  const relay = echoRelay('alpha');
  const host = await serveStdio(relay, { stdin: toServer, stdout: fromServer });

  const client = new Client({ name: 'test', version: '0' });
  await client.connect(new StdioServerTransport(fromServer, toServer));
  assert.equal(client.getServerVersion()?.name, 'alpha');
  assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name), ['echo']);
  const result = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
  assert.deepEqual(result.content, [{ type: 'text', text: 'alpha: hi' }]);

  let settled = false;
  void host.closed.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false, 'closed settles only when the session ends');

  toServer.end();
  await host.closed;
  assert.equal(relay.closedSessions, 1);
  await host.close(); // idempotent
  assert.equal(relay.closedSessions, 1);

  // stdout carried protocol and nothing else: every line is a JSON-RPC message.
  const lines = written.join('').split('\n').filter((line) => line !== '');
  assert.ok(lines.length >= 3);
  for (const line of lines) {
    assert.equal((JSON.parse(line) as { jsonrpc: string }).jsonrpc, '2.0', line);
  }
  await client.close();
});

test('close() ends the session from the host side', async () => {
  const relay = echoRelay('alpha');
  const host = await serveStdio(relay, { stdin: new PassThrough(), stdout: new PassThrough() });
  await host.close();
  await host.closed;
  assert.equal(relay.closedSessions, 1);
});

test('a relay that cannot connect makes serveStdio reject', async () => {
  const failing: Relay = {
    connect: () => Promise.reject(new Error('upstream refused')),
    close: async () => undefined,
  };
  await assert.rejects(serveStdio(failing, { stdin: new PassThrough(), stdout: new PassThrough() }), /upstream refused/);
});

test('a child process serves over its real stdio and exits once its stdin closes', async () => {
  const script = `
    const { serveStdio } = require(${JSON.stringify(join(ROOT, 'src/core/host/stdioHost.ts'))});
    const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
    const { z } = require('zod');
    const relay = {
      async connect(transport) {
        const server = new McpServer({ name: 'child', version: '1.0.0' });
        server.registerTool('echo', { inputSchema: { text: z.string() } }, ({ text }) => ({ content: [{ type: 'text', text: 'child: ' + text }] }));
        await server.connect(transport);
        return { close: () => server.close() };
      },
      async close() {},
    };
    serveStdio(relay).then((host) => host.closed).then(() => process.stderr.write('stdio host closed\\n'));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(new StdioServerTransport(child.stdout, child.stdin));
    const result = await client.callTool({ name: 'echo', arguments: { text: 'over stdio' } });
    assert.deepEqual(result.content, [{ type: 'text', text: 'child: over stdio' }]);

    child.stdin.end();
    const [code, signal] = await exited;
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
    assert.match(stderr, /stdio host closed/);
    await client.close();
  } finally {
    child.kill('SIGKILL');
  }
});
