// `mcplex serve --exit-when-idle SECONDS` (issue 14, item 2): a daemon ends once no session
// has been open that long, stopping its upstreams first, and not while a client is connected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runMcplex } from '../../helpers/cli';
import { startServe } from '../../helpers/serveProcess';
import { fixturePath } from '../../fixtures/servers';
import { descendants, exited, killLeft, stillAlive } from '../../helpers/processes';

const EXAMPLE = join(REPO_ROOT, 'examples', 'two-accounts', '.mcplex.jsonc');
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
const INITIALIZE = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '0' } } };

async function request(url: string, method: 'POST' | 'DELETE', body?: unknown, session?: string, timeoutMs = 5_000): Promise<{ status: number; session: string | null }> {
  const response = await fetch(url, {
    method,
    headers: { ...HEADERS, ...(session !== undefined && { 'mcp-session-id': session }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.text();
  return { status: response.status, session: response.headers.get('mcp-session-id') };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('mcplex serve --exit-when-idle', () => {
  it('serves on while a session is open, and ends with its upstreams once the last one leaves', async () => {
    const serve = await startServe(['--config', EXAMPLE, '--http', '0', '--exit-when-idle', '1']);
    const tree = await descendants(serve.child.pid ?? 0);
    try {
      assert.ok(tree.length >= 2, `both upstreams run: ${tree.join(', ')}`);
      const init = await request(serve.url, 'POST', INITIALIZE);
      assert.equal(init.status, 200);
      const session = init.session ?? assert.fail('no session id');
      await request(serve.url, 'POST', { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
      // Three times the idle limit with the session open (and quiet): still serving.
      await sleep(3_000);
      assert.equal(serve.child.exitCode, null, serve.stderr());
      assert.equal((await request(serve.url, 'POST', { jsonrpc: '2.0', id: 1, method: 'ping' }, session)).status, 200);
      assert.equal((await request(serve.url, 'DELETE', undefined, session)).status, 200);
      await exited(serve.child);
      assert.equal(serve.child.exitCode, 0, serve.stderr());
      assert.match(serve.stderr(), /mcplex: no session for 1 s \(--exit-when-idle\), stopping/);
      assert.deepEqual(await stillAlive(tree, 10_000), []);
    } finally {
      await serve.stop();
      killLeft(tree);
    }
  });

  it('counts a client whose initialize is held for its upstream\'s start: the daemon does not end under it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-exit-idle-'));
    const config = join(dir, '.mcplex.jsonc');
    // The upstream takes 4 s to start, twice the idle limit; the client arrives at once and waits for it.
    const server = { command: process.execPath, args: [fixturePath('slow-start')], env: { START_DELAY_MS: '4000' }, instances: { slow: {} } };
    writeFileSync(config, JSON.stringify({ servers: { slow: server } }));
    const serve = await startServe(['--config', config, '--http', '0', '--exit-when-idle', '2']);
    try {
      const init = await request(serve.url, 'POST', INITIALIZE, undefined, 30_000);
      assert.equal(init.status, 200, serve.stderr());
      assert.equal(serve.child.exitCode, null, serve.stderr());
      assert.doesNotMatch(serve.stderr(), /--exit-when-idle\), stopping/);
    } finally {
      await serve.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused over stdio, where mcplex ends with its client', async () => {
    const result = await runMcplex(['serve', '--config', EXAMPLE, '--exit-when-idle', '60']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--exit-when-idle ends --http and --socket serving/);
  });
});
