// Issue 15, item 1: no queue without a ceiling. An upstream floods log lines
// (test/fixtures/servers/flood.mjs) at clients that read slowly or not at all: a real
// `mcplex serve --http` with a GET stream opened and never read, and `mcplex serve` over
// stdio with stdout never read. mcplex's RSS stays under a ceiling, another session keeps
// its answers, the stalled session is closed with a line in the log, and a client that
// reads gets the log lines it can take plus one notice of how many were dropped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH } from '../../helpers/cli';
import { startServe } from '../../helpers/serveProcess';
import { fixturePath } from '../../fixtures/servers';

/** mcplex idles near 60–80 MB; before the fix a flood took it past 2 GB in 30 s. */
const RSS_CEILING_MB = 200;
const STALL_MS = 3_000;
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
const INITIALIZE = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '0' } } };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function floodConfig(env: Record<string, string>): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-flood-'));
  const file = join(dir, '.mcplex.jsonc');
  writeFileSync(file, JSON.stringify({ servers: { flood: { command: process.execPath, args: [fixturePath('flood')], instances: { one: { env } } } } }));
  return { dir, file };
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

async function post(url: string, body: unknown, session?: string): Promise<{ status: number; session: string | null; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { ...HEADERS, ...(session !== undefined && { 'mcp-session-id': session }) }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  return { status: response.status, session: response.headers.get('mcp-session-id'), text: await response.text() };
}

async function openSession(url: string): Promise<string> {
  const init = await post(url, INITIALIZE);
  assert.equal(init.status, 200, init.text);
  assert.ok(init.session);
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, init.session);
  return init.session;
}

/** A GET stream opened and never read: the response is left paused, its socket fills up. */
async function stalledStream(url: string, session: string): Promise<() => void> {
  const target = new URL(url);
  const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'GET', headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-06-18', 'mcp-session-id': session } });
  req.end();
  const [response] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
  assert.equal(response.statusCode, 200);
  response.pause();
  return () => req.destroy();
}

describe('a flood of log lines at a slow client (issue 15, item 1)', () => {
  it('over HTTP: an unread GET stream keeps mcplex under the ceiling, is closed as stalled, and another session still gets answers', { timeout: 60_000 }, async () => {
    const { dir, file } = floodConfig({ FLOOD_AT_START: '1', FLOOD_BYTES: '2000' });
    const serve = await startServe(['--config', file, '--http', '0'], { MCPLEX_STALL_TIMEOUT_MS: String(STALL_MS) });
    let stop = (): void => undefined;
    try {
      const stalled = await openSession(serve.url);
      const before = rssMb(serve.child.pid!);
      stop = await stalledStream(serve.url, stalled);
      let peak = before;
      const other = await openSession(serve.url);
      for (let i = 0; i < 12; i++) {
        await sleep(500);
        peak = Math.max(peak, rssMb(serve.child.pid!));
        const call = await post(serve.url, { jsonrpc: '2.0', id: 10 + i, method: 'tools/call', params: { name: 'one__echo', arguments: { text: `still ${i}` } } }, other);
        assert.equal(call.status, 200);
        assert.match(call.text, new RegExp(`still ${i}`));
      }
      console.log(`HTTP flood: RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB over 6 s`);
      assert.ok(peak < RSS_CEILING_MB, `RSS peaked at ${peak.toFixed(0)} MB (ceiling ${RSS_CEILING_MB} MB)`);
      assert.match(serve.stderr(), new RegExp(`closed session ${stalled} at /mcp: its client stalled: it took nothing for 3 s`), serve.stderr());
      assert.equal((await post(serve.url, { jsonrpc: '2.0', id: 99, method: 'ping' }, stalled)).status, 404);
    } finally {
      stop();
      await serve.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('over stdio: an unread stdout keeps mcplex under the ceiling, and the session is closed as stalled with a line on stderr', { timeout: 60_000 }, async () => {
    const { dir, file } = floodConfig({ FLOOD_AT_START: '1', FLOOD_BYTES: '2000' });
    const child = spawn(process.execPath, [CLI_PATH, 'serve', '--config', file], { env: { ...process.env, MCPLEX_STALL_TIMEOUT_MS: String(STALL_MS) }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = once(child, 'exit');
    try {
      // Initialize by reading just the answer, then never read again.
      child.stdin.write(`${JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, capabilities: {} } })}\n`);
      await once(child.stdout, 'data');
      child.stdout.pause();
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const before = rssMb(child.pid!);
      let peak = before;
      for (let i = 0; i < 12 && child.exitCode === null; i++) {
        await sleep(500);
        try {
          peak = Math.max(peak, rssMb(child.pid!));
        } catch {
          break; // exited
        }
      }
      console.log(`stdio flood: RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`);
      assert.ok(peak < RSS_CEILING_MB, `RSS peaked at ${peak.toFixed(0)} MB (ceiling ${RSS_CEILING_MB} MB)`);
      await Promise.race([exited, sleep(10_000)]);
      assert.match(stderr, /closed the stdio session: its client stalled: it took nothing for 3 s/, stderr);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('over stdio: output that cannot be dropped stops mcplex reading the upstream (which then blocks) until the stalled session is closed', { timeout: 60_000 }, async () => {
    const { dir, file } = floodConfig({ FLOOD_AT_START: '1', FLOOD_BYTES: '2000', FLOOD_METHOD: 'notifications/flood', FLOOD_SENT_FILE: 'SENT' });
    const sentFile = join(dir, 'sent');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"SENT"', JSON.stringify(sentFile)));
    const child = spawn(process.execPath, [CLI_PATH, 'serve', '--config', file], { env: { ...process.env, MCPLEX_STALL_TIMEOUT_MS: '4000' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = once(child, 'exit');
    const sent = (): number => Number(readFileSync(sentFile, 'utf8'));
    try {
      child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
      await once(child.stdout, 'data');
      child.stdout.pause();
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      await sleep(1_500);
      const early = sent();
      let peak = rssMb(child.pid!);
      await sleep(1_500);
      peak = Math.max(peak, rssMb(child.pid!));
      const later = sent();
      console.log(`stdio flood of notifications/flood: ${early} sent at 1.5 s, ${later} at 3 s; RSS peak ${peak.toFixed(0)} MB`);
      // Held: the upstream wrote what the pipes hold and then waited in its own write.
      assert.ok(later - early < 100, `the upstream went on sending: ${early} → ${later}`);
      assert.ok(later < 5_000, `the upstream sent ${later} before it was held`);
      assert.ok(peak < RSS_CEILING_MB, `RSS peaked at ${peak.toFixed(0)} MB (ceiling ${RSS_CEILING_MB} MB)`);
      await Promise.race([exited, sleep(10_000)]);
      assert.match(stderr, /closed the stdio session: its client stalled: it took nothing for 4 s/, stderr);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('over stdio: a client that falls behind and catches up gets the log lines that fit and a notice of how many were dropped, which add up', { timeout: 60_000 }, async () => {
    const total = 20_000;
    const { dir, file } = floodConfig({ FLOOD_BYTES: '1000', FLOOD_COUNT: String(total) });
    const child = spawn(process.execPath, [CLI_PATH, 'serve', '--config', file], { env: { ...process.env, MCPLEX_STALL_TIMEOUT_MS: '10000' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    try {
      let received = 0;
      let dropped = 0;
      let notices = 0;
      let buffer = '';
      let lastLine = Date.now();
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          lastLine = Date.now();
          const message = JSON.parse(line) as { method?: string; params?: { logger?: string; data?: unknown } };
          if (message.method !== 'notifications/message') continue;
          if (message.params?.logger === 'mcplex') {
            notices++;
            dropped += Number(/dropped (\d+) log message/.exec(String(message.params.data))?.[1] ?? NaN);
          } else {
            received++;
          }
        }
      });
      child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      await sleep(500);
      child.stdout.pause(); // fall behind…
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'one__flood', arguments: {} } })}\n`);
      await sleep(2_000);
      child.stdout.resume(); // …and catch up
      lastLine = Date.now();
      while (Date.now() - lastLine < 1_500) await sleep(200);
      console.log(`stdio, behind then caught up: ${received} log lines received, ${dropped} dropped in ${notices} notice(s)`);
      assert.ok(notices >= 1, `no notice of dropped log lines (${received} received)\n${stderr}`);
      assert.ok(dropped > 0);
      assert.equal(received + dropped, total);
      assert.doesNotMatch(stderr, /stalled/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
