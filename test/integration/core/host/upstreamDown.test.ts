// `mcplex serve --http` whose only upstream cannot start: `initialize` is answered with a
// JSON-RPC error for that request, naming the instance and the cause, as an SDK server
// answers a failed request, not with an HTTP 500 that says nothing.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { eventually } from '../../../helpers/muxHarness';
import { startServe } from '../../../helpers/serveProcess';

const INITIALIZE = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } };

describe('mcplex serve --http with its only upstream down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-down-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers initialize with a JSON-RPC error naming the instance and the cause', { timeout: 30_000 }, async () => {
    const config = join(dir, '.mcplex.jsonc');
    writeFileSync(config, JSON.stringify({ servers: { ghost: { command: join(dir, 'no-such-server'), instances: { a: {} } } } }));
    const serve = await startServe(['--config', config, '--http', '0']);
    try {
      await eventually(() => /instance "a": start failed/.test(serve.stderr()), 15_000);
      const response = await fetch(serve.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'initialize', params: INITIALIZE }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as { id: unknown; error?: { code: number; message: string } };
      assert.equal(body.id, 7);
      assert.equal(body.error?.code, -32603);
      assert.match(body.error?.message ?? '', /Instance "a" cannot serve: .*no-such-server.*not found/);

      // An SDK client fails its connect with that message.
      const client = new Client({ name: 'sdk', version: '0' });
      await assert.rejects(client.connect(new StreamableHTTPClientTransport(new URL(serve.url))), /Instance "a" cannot serve/);
    } finally {
      await serve.stop();
    }
  });
});
