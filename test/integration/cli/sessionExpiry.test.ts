// Issue 15, item 5: sessions a client abandons (the SDK client's close() sends no DELETE)
// are bounded. A real `mcplex serve --http`: past --max-sessions the session idle longest is
// closed; one idle past --session-idle-timeout is closed, but not one with its GET stream
// open; a closed session's next request gets 404, each closing is logged once, and a new
// initialize works.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/cli';
import { startServe } from '../../helpers/serveProcess';

const EXAMPLE = join(REPO_ROOT, 'examples', 'two-accounts', '.mcplex.jsonc');
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
const INITIALIZE = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '0' } } };

async function post(url: string, body: unknown, session?: string): Promise<{ status: number; session: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, ...(session !== undefined && { 'mcp-session-id': session }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  await response.text();
  return { status: response.status, session: response.headers.get('mcp-session-id') };
}

async function openSession(url: string): Promise<string> {
  const init = await post(url, INITIALIZE);
  assert.equal(init.status, 200);
  assert.ok(init.session);
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, init.session);
  return init.session;
}

const ping = (url: string, session: string): Promise<number> => post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, session).then((reply) => reply.status);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const count = (text: string, part: string): number => text.split(part).length - 1;

describe('HTTP sessions are bounded (mcplex serve --http)', () => {
  it('past --max-sessions, closes the session idle longest first', async () => {
    const serve = await startServe(['--config', EXAMPLE, '--http', '0', '--max-sessions', '2']);
    try {
      const first = await openSession(serve.url);
      await sleep(50);
      const second = await openSession(serve.url);
      await sleep(50);
      assert.equal(await ping(serve.url, second), 200); // now the first is the one idle longest
      const third = await openSession(serve.url);
      assert.equal(await ping(serve.url, first), 404);
      assert.equal(await ping(serve.url, second), 200);
      assert.equal(await ping(serve.url, third), 200);
      assert.equal(count(serve.stderr(), `closed session ${first}`), 1, serve.stderr());
      assert.match(serve.stderr(), /2 sessions were open and this one had been idle longest/);
    } finally {
      await serve.stop();
    }
  });

  it('closes a session idle past --session-idle-timeout (404, logged once), keeps one with its GET stream open, and lets a client start anew', async () => {
    const serve = await startServe(['--config', EXAMPLE, '--http', '0', '--session-idle-timeout', '1']);
    const streaming = new AbortController();
    try {
      const idle = await openSession(serve.url);
      const watched = await openSession(serve.url);
      const stream = await fetch(serve.url, { headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-06-18', 'mcp-session-id': watched }, signal: streaming.signal });
      assert.equal(stream.status, 200);
      await sleep(2_000);
      assert.equal(await ping(serve.url, idle), 404);
      assert.equal(await ping(serve.url, watched), 200);
      assert.equal(count(serve.stderr(), `closed session ${idle}`), 1, serve.stderr());
      assert.match(serve.stderr(), /idle for \d+ s \(the timeout is 1 s\)/);
      assert.equal(count(serve.stderr(), `closed session ${watched}`), 0);
      const again = await openSession(serve.url);
      assert.equal(await ping(serve.url, again), 200);
    } finally {
      streaming.abort();
      await serve.stop();
    }
  });
});
