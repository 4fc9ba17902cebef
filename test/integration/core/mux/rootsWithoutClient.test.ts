// An upstream that asks for roots while its client has none must get the answer a client
// without roots gives (MethodNotFound) at once, not wait for a client that has them: through
// mcplex, @playwright/mcp's first tool call used to hang for the client request timeout.
// server-everything asks for roots on initialize and again in its `get-roots-list` tool.
// `wrap` tells the upstream only what its one client supports (so a client without roots is
// not offered the tool, as direct); a multi-session endpoint announces roots once a session
// has had them, so there a session without roots can still make the upstream ask.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EVERYTHING_ENTRY, freePort } from '../../../helpers/everything';
import { startServe, type ServeProcess } from '../../../helpers/serveProcess';
import { teachUpstream } from '../../../helpers/sessionsTeach';

describe('roots asked of a client without roots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-noroots-'));
  let serve: ServeProcess;
  before(async () => {
    const config = join(dir, '.mcplex.jsonc');
    writeFileSync(config, JSON.stringify({ servers: { everything: { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], instances: { ev: {} } } } }));
    serve = await startServe(['--config', config, '--instance', 'ev', '--http', String(await freePort())]);
  });
  after(async () => {
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mcplex serve --http: a tool that makes the upstream ask for roots completes at once', { timeout: 30_000 }, async () => {
    // A client with roots came and went: the upstream was told roots, and still is.
    await teachUpstream(serve.url, { roots: { listChanged: true } }, 'ev__get-roots-list');
    const client = new Client({ name: 'no-roots', version: '0' }, { capabilities: {} });
    const stderr = (): string => serve.stderr();
    await client.connect(new StreamableHTTPClientTransport(new URL(serve.url)));
    try {
      const started = Date.now();
      // Whatever the upstream makes of the refusal, the call returns: a tool error or a result.
      await client.callTool({ name: 'ev__get-roots-list', arguments: {} }, undefined, { timeout: 8_000 }).catch((error: unknown) => {
        throw new Error(`${String(error)}; stderr: ${stderr()}`);
      });
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    } finally {
      await client.close();
    }
  });
});
