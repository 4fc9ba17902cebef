import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { UpstreamSpec } from '../../../../src/core/config/model';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';
import { ProcessStartError, UpstreamConnectionError, UpstreamTimeoutError } from '../../../../src/core/upstream/errors';
import { fixtureSpec, notesSpec, REPO_ROOT, startHttpEcho, type RunningHttpEcho } from '../../../fixtures/servers';
import { freePort } from '../../../helpers/freePort';
import { alive } from '../../../helpers/processes';
import { REDACTED } from '../../../../src/core/redaction';

const GRACE_MS = 300;

async function until(condition: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `attempt`, expects it to reject with an UpstreamConnectionError, and returns that. */
async function connectError(attempt: Promise<UpstreamConnection>): Promise<UpstreamConnectionError> {
  try {
    const connection = await attempt;
    await connection.close();
  } catch (error) {
    assert.ok(error instanceof UpstreamConnectionError, `expected an UpstreamConnectionError, got ${String(error)}`);
    assert.equal(error.code, 'upstream-connect');
    return error;
  }
  assert.fail('the connection succeeded');
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('');
}

describe('connectUpstream over stdio', () => {
  it('initializes the notes server and lists its tools; close() ends the process', async () => {
    const connection = await connectUpstream(notesSpec('work'), { instance: 'notes/work', graceMs: GRACE_MS });
    try {
      assert.equal(connection.transport, 'stdio');
      assert.equal(connection.serverInfo.name, 'notes');
      assert.ok(connection.serverCapabilities.tools, 'the notes server announces tools');
      assert.equal(typeof connection.pid, 'number');
      assert.ok(alive(connection.pid ?? -1));
      const { tools } = await connection.client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['add_note', 'list_notes', 'read_note', 'search_notes']);
      const listed = await connection.client.callTool({ name: 'list_notes', arguments: {} });
      assert.match(textOf(listed), /Standup/);
    } finally {
      await connection.close();
    }
    assert.equal(alive(connection.pid ?? -1), false, 'the process is gone after close()');
    await connection.close(); // idempotent: resolves again without throwing
  });

  it('passes env over the parent environment, so each account gets its own notes', async () => {
    const personal = await connectUpstream(notesSpec('personal'), { instance: 'notes/personal', graceMs: GRACE_MS });
    try {
      const listed = await personal.client.callTool({ name: 'list_notes', arguments: {} });
      assert.match(textOf(listed), /Groceries/);
      assert.doesNotMatch(textOf(listed), /Standup/);
    } finally {
      await personal.close();
    }
  });

  it('delivers stderr line by line', async () => {
    const lines: string[] = [];
    const connection = await connectUpstream(fixtureSpec('echo', { SERVER_NAME: 'alpha' }), {
      instance: 'echo/alpha',
      graceMs: GRACE_MS,
      onStderr: (line) => lines.push(line),
    });
    try {
      assert.equal(connection.serverInfo.name, 'alpha');
      await until(() => lines.includes('alpha: ready'), 'the ready line on stderr');
    } finally {
      await connection.close();
    }
  });

  it('reports a missing command with the instance, the command and ENOENT, and no env value', async () => {
    const spec: UpstreamSpec = {
      kind: 'stdio',
      command: 'nonexistent-cmd-mcplex',
      args: [],
      env: { API_KEY: 'sk-very-secret-value' },
    };
    const error = await connectError(connectUpstream(spec, { instance: 'notes/work' }));
    assert.ok(
      error.message.startsWith('notes/work: could not start "nonexistent-cmd-mcplex" over stdio: command not found (ENOENT)'),
      error.message,
    );
    assert.equal(error.instance, 'notes/work');
    assert.equal(error.transport, 'stdio');
    assert.ok(error.cause instanceof ProcessStartError);
    assert.equal(error.cause.message, 'command "nonexistent-cmd-mcplex" not found (ENOENT)');
    assert.ok(!error.message.includes('sk-very-secret-value'));
  });

  it('reports a working directory that does not exist (spawn would blame the command)', async () => {
    const spec: UpstreamSpec = { ...notesSpec('work'), cwd: join(REPO_ROOT, 'no-such-dir') } as UpstreamSpec;
    const error = await connectError(connectUpstream(spec, { instance: 'notes/work' }));
    assert.match(error.message, /working directory ".*no-such-dir" does not exist/);
  });

  it('reports an exit before the handshake with the exit code and the last stderr lines', async () => {
    const spec: UpstreamSpec = {
      kind: 'stdio',
      command: process.execPath,
      args: ['-e', 'console.error("loading config"); console.error("fatal: missing API key"); process.exit(3)'],
      env: {},
    };
    const error = await connectError(connectUpstream(spec, { instance: 'svc/work', graceMs: GRACE_MS }));
    assert.match(error.message, /^svc\/work: could not start ".*" over stdio: the process exited with code 3 before the MCP handshake finished/);
    assert.match(error.message, /loading config\n {2}fatal: missing API key$/);
  });

  it('close() kills the whole process tree, grandchildren included', async () => {
    let grandchild: number | undefined;
    const connection = await connectUpstream(fixtureSpec('spawns-child'), {
      instance: 'tree/one',
      graceMs: GRACE_MS,
      onStderr: (line) => {
        const match = /^grandchild-pid=(\d+)$/.exec(line);
        if (match?.[1] !== undefined) {
          grandchild = Number(match[1]);
        }
      },
    });
    const pid = connection.pid ?? assert.fail('no pid');
    await until(() => grandchild !== undefined, 'the grandchild pid on stderr');
    const grandchildPid = grandchild ?? -1;
    assert.ok(alive(pid) && alive(grandchildPid));
    await connection.close();
    assert.equal(alive(pid), false, 'the server is gone');
    await until(() => !alive(grandchildPid), 'the grandchild to be reaped', 1000);
  });

  it('escalates to SIGKILL when the server ignores the end of stdin and SIGTERM', async () => {
    const connection = await connectUpstream(fixtureSpec('hang', { IGNORE_SIGTERM: '1' }), {
      instance: 'hang/stubborn',
      graceMs: 150,
    });
    const pid = connection.pid ?? assert.fail('no pid');
    const started = Date.now();
    await connection.close();
    assert.equal(alive(pid), false);
    assert.ok(Date.now() - started < 2000, 'close() took the grace times, not the default ones');
  });

  it('times out a server that never answers initialize, and stops it', async () => {
    let pid: number | undefined;
    const started = Date.now();
    const error = await connectError(
      connectUpstream(fixtureSpec('hang', { HANG_INIT: '1' }), {
        instance: 'hang/init',
        // Long enough for the fixture to start and say why it hangs on a loaded machine.
        timeoutMs: 3000,
        graceMs: GRACE_MS,
        onStderr: (line) => {
          pid = Number(/pid (\d+)/.exec(line)?.[1] ?? pid);
        },
      }),
    );
    assert.ok(Date.now() - started < 3000 + 2 * GRACE_MS + 2000);
    assert.ok(error.cause instanceof UpstreamTimeoutError);
    assert.match(error.message, /^hang\/init: could not start ".*" over stdio: no answer to initialize within 3000 ms/);
    assert.match(error.message, /will never answer initialize/, 'the stderr tail helps explain the hang');
    assert.equal(alive(pid ?? assert.fail('no pid on stderr')), false, 'the timed-out process was stopped');
  });

  it('lists the tools of @modelcontextprotocol/server-everything', async () => {
    const spec: UpstreamSpec = {
      kind: 'stdio',
      command: process.execPath,
      args: [join(REPO_ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
      env: {},
    };
    const connection = await connectUpstream(spec, { instance: 'everything/a', graceMs: GRACE_MS });
    try {
      const { tools } = await connection.client.listTools();
      const names = tools.map((tool) => tool.name);
      assert.ok(names.includes('echo'), `echo among ${names.join(', ')}`);
      assert.ok(names.length >= 5);
      const echoed = await connection.client.callTool({ name: 'echo', arguments: { message: 'hi there' } });
      assert.match(textOf(echoed), /hi there/);
    } finally {
      await connection.close();
    }
  });
});

describe('connectUpstream over HTTP', () => {
  let server: RunningHttpEcho;
  before(async () => {
    server = await startHttpEcho({ SERVER_NAME: 'remote-echo' });
  });
  after(async () => {
    await server.stop();
  });

  const remote = (path: string, transport: 'http' | 'sse' | 'auto', headers: Record<string, string> = {}): UpstreamSpec => ({
    kind: 'remote',
    url: server.url(path),
    transport,
    headers,
  });

  async function assertWorks(connection: UpstreamConnection, transport: 'http' | 'sse'): Promise<void> {
    try {
      assert.equal(connection.transport, transport);
      assert.equal(connection.serverInfo.name, 'remote-echo');
      assert.equal(connection.pid, undefined);
      const echoed = await connection.client.callTool({ name: 'echo', arguments: { text: 'over the wire' } });
      assert.equal(textOf(echoed), 'over the wire');
      const header = await connection.client.callTool({ name: 'header', arguments: { name: 'x-account' } });
      assert.equal(textOf(header), 'work', 'the configured headers reach the server');
    } finally {
      await connection.close();
    }
  }

  it('connects over Streamable HTTP with the configured headers', async () => {
    await assertWorks(await connectUpstream(remote('/mcp', 'http', { 'X-Account': 'work' }), { instance: 'remote/work' }), 'http');
  });

  it('connects over SSE with the configured headers', async () => {
    await assertWorks(await connectUpstream(remote('/sse', 'sse', { 'X-Account': 'work' }), { instance: 'remote/work' }), 'sse');
  });

  it('auto picks Streamable HTTP on a Streamable HTTP endpoint', async () => {
    await assertWorks(await connectUpstream(remote('/mcp', 'auto', { 'X-Account': 'work' }), { instance: 'remote/work' }), 'http');
  });

  it('auto falls back to SSE on an SSE-only endpoint', async () => {
    await assertWorks(await connectUpstream(remote('/sse', 'auto', { 'X-Account': 'work' }), { instance: 'remote/work' }), 'sse');
  });

  it('close() ends the Streamable HTTP session on the server', async () => {
    const watcher = await connectUpstream(remote('/mcp', 'http'), { instance: 'remote/watcher' });
    const count = async (): Promise<string> =>
      textOf(await watcher.client.callTool({ name: 'session_count', arguments: {} }));
    try {
      const before = Number(await count());
      const other = await connectUpstream(remote('/mcp', 'http'), { instance: 'remote/other' });
      assert.equal(Number(await count()), before + 1);
      await other.close();
      assert.equal(Number(await count()), before, 'the session was deleted, not left to time out');
    } finally {
      await watcher.close();
    }
  });

  it('never shows a header value, even when the server repeats it in its error', async () => {
    const token = 'Bearer sk-live-0123456789';
    const error = await connectError(
      connectUpstream(remote('/reject?api_key=query-secret', 'http', { Authorization: token }), { instance: 'remote/work' }),
    );
    assert.match(error.message, /^remote\/work: could not connect to http:\/\/127\.0\.0\.1:\d+\/reject over Streamable HTTP: /);
    assert.ok(error.message.includes(`rejected authorization: ${REDACTED}`), 'the server did repeat it, and it was hidden');
    assert.ok(!error.message.includes('sk-live-0123456789'));
    assert.ok(!error.message.includes('query-secret'), 'the query string is not shown either');
    assert.equal(error.transport, 'http');
  });

  it('auto against a dead port fails with both errors in an AggregateError cause', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const spec: UpstreamSpec = { kind: 'remote', url, transport: 'auto', headers: { Authorization: 'Bearer dead-port-secret' } };
    const error = await connectError(connectUpstream(spec, { instance: 'remote/dead', timeoutMs: 5000 }));
    assert.equal(error.transport, 'auto');
    assert.ok(error.cause instanceof AggregateError, `cause is ${String(error.cause)}`);
    assert.equal(error.cause.errors.length, 2);
    assert.match(error.message, /over Streamable HTTP \(.*ECONNREFUSED.*\) nor over SSE \(.*ECONNREFUSED.*\)/s);
    assert.ok(!error.message.includes('dead-port-secret'));
  });

  it('rejects a URL that is not http(s) before dialing anything', async () => {
    const spec: UpstreamSpec = { kind: 'remote', url: 'ftp://127.0.0.1/mcp', transport: 'http', headers: {} };
    const error = await connectError(connectUpstream(spec, { instance: 'remote/ftp' }));
    assert.match(error.message, /^remote\/ftp: the url must start with http:\/\/ or https:\/\//);
  });
});
