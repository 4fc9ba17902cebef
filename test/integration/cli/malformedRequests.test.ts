// Issue 15, item 4: every request gets an answer. Malformed requests (the table and a seeded
// fuzz of fixtures/malformedRequests) and a duplicate id in flight, sent to a real `mcplex
// serve --http` and, line by line, to a real `mcplex wrap` over stdio: each is answered
// within a short bound, and the process keeps serving.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI_PATH, REPO_ROOT } from '../../helpers/cli';
import { startServe, type ServeProcess } from '../../helpers/serveProcess';
import { fixturePath } from '../../fixtures/servers';
import { fuzzedRequests, MALFORMED_CASES } from '../../fixtures/malformedRequests';

const BOUND_MS = 5_000;
const INITIALIZE = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '0' } } };

interface Reply {
  readonly status: number;
  readonly text: string;
  readonly session: string | null;
}

async function post(url: string, body: unknown, session?: string): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(session !== undefined && { 'mcp-session-id': session }),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(BOUND_MS),
  });
  return { status: response.status, text: await response.text(), session: response.headers.get('mcp-session-id') };
}

async function openSession(url: string): Promise<string> {
  const init = await post(url, INITIALIZE);
  assert.equal(init.status, 200, init.text);
  assert.ok(init.session);
  assert.equal((await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, init.session)).status, 202);
  return init.session;
}

/** A config of one instance of the `hang` fixture: its tool `hang` never answers. */
function hangConfig(dir: string): string {
  const config = join(dir, '.mcplex.jsonc');
  writeFileSync(config, JSON.stringify({ servers: { slow: { command: process.execPath, args: [fixturePath('hang')], instances: { one: {} } } } }));
  return config;
}

describe('malformed requests over HTTP (mcplex serve --http)', () => {
  let dir: string;
  let serve: ServeProcess;
  let session: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcplex-malformed-'));
    serve = await startServe(['--config', hangConfig(dir), '--http', '0']);
    session = await openSession(serve.url);
  });
  after(async () => {
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const { name, body } of MALFORMED_CASES) {
    it(`answers ${name} with 400 and an invalid-request error`, async () => {
      const reply = await post(serve.url, body, session);
      assert.equal(reply.status, 400, reply.text);
      assert.equal((JSON.parse(reply.text) as { error: { code: number } }).error.code, -32600);
    });
  }

  it('answers every fuzzed body that has an id (seeded, 300 bodies)', async () => {
    const bodies = fuzzedRequests(15, 300);
    for (let i = 0; i < bodies.length; i += 10) {
      const replies = await Promise.all(bodies.slice(i, i + 10).map((body) => post(serve.url, body, session)));
      replies.forEach((reply, j) => {
        const body = bodies[i + j]!;
        assert.ok(reply.status === 200 || reply.status === 400, `${JSON.stringify(body)} → ${reply.status} ${reply.text}`);
        if (reply.status === 200) assert.ok(reply.text.includes(`"id":${JSON.stringify(body['id'])}`), reply.text);
      });
    }
  });

  it('refuses a second request under an id still in flight, at once, and keeps the first', async () => {
    const tools = JSON.parse((await post(serve.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, session)).text) as { result: { tools: { name: string }[] } };
    const hang = tools.result.tools.find((tool) => tool.name.endsWith('hang'))!.name;
    const call = { jsonrpc: '2.0', id: 'dup', method: 'tools/call', params: { name: hang, arguments: {} } };
    const first = post(serve.url, call, session).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await post(serve.url, call, session);
    assert.equal(second.status, 400, second.text);
    const refusal = JSON.parse(second.text) as { error: { code: number; message: string } };
    assert.equal(refusal.error.code, -32600);
    assert.match(refusal.error.message, /id "dup" is already in use in this session/);
    // The first is still waiting for its (hanging) tool: it is not the one refused.
    const pending = await Promise.race([first.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('pending'), 300))]);
    assert.equal(pending, 'pending');
    assert.equal(serve.child.exitCode, null);
  });
});

describe('malformed requests over stdio (mcplex wrap)', () => {
  let child: ChildProcessWithoutNullStreams;
  const answers = new Map<string, Record<string, unknown>>();
  const waiters = new Map<string, () => void>();
  const send = (line: string): void => void child.stdin.write(`${line}\n`);
  const answerTo = (id: unknown): Promise<Record<string, unknown>> => {
    const key = JSON.stringify(id);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(answers.get(key)!);
      };
      const timer = setTimeout(() => reject(new Error(`no answer to id ${key} within ${BOUND_MS} ms`)), BOUND_MS);
      if (answers.has(key)) done();
      else waiters.set(key, done);
    });
  };

  before(async () => {
    child = spawn(process.execPath, [CLI_PATH, 'wrap', '--prefix', 'slow', '--', process.execPath, fixturePath('hang')], { cwd: REPO_ROOT, stdio: 'pipe' });
    child.stderr.resume();
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      if (!('id' in message)) return;
      const key = JSON.stringify(message['id']);
      if (!answers.has(key)) answers.set(key, message);
      waiters.get(key)?.();
    });
    send(JSON.stringify(INITIALIZE));
    await answerTo(0);
    send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  });
  after(() => {
    child.kill();
  });

  for (const { name, body } of MALFORMED_CASES) {
    it(`answers ${name} with an invalid-request error under its id`, async () => {
      send(JSON.stringify(body));
      const answer = await answerTo(body['id']);
      assert.equal((answer['error'] as { code: number }).code, -32600);
    });
  }

  it('answers a line that is not JSON with a parse error, and keeps serving', async () => {
    send('{"jsonrpc":"2.0","id":');
    const answer = await answerTo(null);
    assert.equal((answer['error'] as { code: number }).code, -32700);
    send(JSON.stringify({ jsonrpc: '2.0', id: 'after', method: 'ping' }));
    assert.deepEqual((await answerTo('after'))['result'], {});
  });

  it('answers every fuzzed line that has an id (seeded, 300 lines)', async () => {
    const bodies = fuzzedRequests(15, 300);
    for (const body of bodies) send(JSON.stringify(body));
    for (const body of bodies) await answerTo(body['id']);
    assert.equal(child.exitCode, null);
  });

  it('refuses a second request under an id still in flight', async () => {
    const call = { jsonrpc: '2.0', id: 'dup', method: 'tools/call', params: { name: 'slow__hang', arguments: {} } };
    send(JSON.stringify(call));
    send(JSON.stringify(call));
    const answer = await answerTo('dup');
    assert.match(String((answer['error'] as { message: string }).message), /id "dup" is already in use in this session/);
  });
});
