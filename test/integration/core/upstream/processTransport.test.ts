import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { connectUpstream } from '../../../../src/core/upstream/connect';
import { InvalidStdoutLineError, ProcessExitedError } from '../../../../src/core/upstream/errors';
import { ProcessTransport, type ProcessLaunch } from '../../../../src/core/upstream/processTransport';
import { fixtureSpec } from '../../../fixtures/servers';

const GRACE_MS = 200;

/** A `node -e` process: the quickest real process to start. */
function nodeScript(script: string): ProcessLaunch {
  return { command: process.execPath, args: ['-e', script], env: {} };
}

/** Copies stdin to stdout, once it starts reading after `delayMs`. */
const ECHO_AFTER = (delayMs: number): ProcessLaunch =>
  nodeScript(`setTimeout(() => process.stdin.pipe(process.stdout), ${delayMs})`);

function notification(index: number, payload = ''): JSONRPCMessage {
  return { jsonrpc: '2.0', method: 'notifications/message', params: { index, payload } };
}

function paramsOf(message: JSONRPCMessage | undefined): { index: number; payload: string } {
  assert.ok(message !== undefined && 'params' in message);
  return message.params as { index: number; payload: string };
}

function collect(transport: ProcessTransport): { messages: JSONRPCMessage[]; errors: Error[]; closes: number } {
  const seen = { messages: [] as JSONRPCMessage[], errors: [] as Error[], closes: 0 };
  transport.onmessage = (message) => seen.messages.push(message);
  transport.onerror = (error) => seen.errors.push(error);
  transport.onclose = () => seen.closes++;
  return seen;
}

async function until(condition: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ProcessTransport', () => {
  it('reports a stdout line that is not JSON-RPC and keeps delivering the next ones', async () => {
    const long = 'x'.repeat(500);
    const transport = new ProcessTransport(
      nodeScript(
        `console.log("debug: starting"); console.log(${JSON.stringify(long)}); console.log('{"id":1}');` +
          `console.log(JSON.stringify({ jsonrpc: "2.0", method: "notifications/ping" })); setInterval(() => {}, 1000)`,
      ),
      { instance: 'noisy/work', graceMs: GRACE_MS },
    );
    const seen = collect(transport);
    await transport.start();
    try {
      await until(() => seen.messages.length === 1, 'the valid message');
      assert.deepEqual(seen.messages, [{ jsonrpc: '2.0', method: 'notifications/ping' }]);
      assert.equal(seen.errors.length, 3, seen.errors.map((error) => error.message).join('\n'));
      const [notJson, tooLong, notJsonRpc] = seen.errors;
      assert.ok(notJson instanceof InvalidStdoutLineError);
      assert.equal(notJson.instance, 'noisy/work');
      assert.match(notJson.message, /^noisy\/work: ignored a line on stdout .*"debug: starting"$/);
      assert.ok(tooLong instanceof InvalidStdoutLineError);
      assert.equal(tooLong.excerpt, 'x'.repeat(200), 'only the first 200 characters are kept');
      assert.ok(notJsonRpc instanceof InvalidStdoutLineError, 'an object without jsonrpc: "2.0" is refused');
      assert.equal(seen.closes, 0, 'a bad line does not close the transport');
    } finally {
      await transport.close();
    }
    assert.equal(seen.closes, 1);
  });

  it('round-trips large and many messages in order, waiting for the pipe to drain', async () => {
    const transport = new ProcessTransport(ECHO_AFTER(300), { instance: 'cat/one', graceMs: GRACE_MS });
    const seen = collect(transport);
    await transport.start();
    try {
      const started = Date.now();
      // 4 MB cannot fit the pipe; the process reads nothing for 300 ms.
      await transport.send(notification(0, 'é'.repeat(2_000_000)));
      assert.ok(Date.now() - started >= 200, 'send() resolved before the process could have read the message');
      const sends = Array.from({ length: 200 }, (_, index) => transport.send(notification(index + 1, 'ü'.repeat(5000))));
      await Promise.all(sends);
      await until(() => seen.messages.length === 201, 'all 201 messages echoed', 5000);
      const indexes = seen.messages.map((message) => paramsOf(message).index);
      assert.deepEqual(indexes, Array.from({ length: 201 }, (_, index) => index));
      assert.equal(paramsOf(seen.messages[0]).payload.length, 2_000_000);
      assert.deepEqual(seen.errors, []);
    } finally {
      await transport.close();
    }
  });

  it('keeps only the last stderr lines, and reports an exit it did not ask for', async () => {
    const lines: string[] = [];
    const transport = new ProcessTransport(
      nodeScript('for (let i = 1; i <= 10; i++) console.error("line " + i); process.exit(4)'),
      { instance: 'dies/one', graceMs: GRACE_MS, stderrTailLines: 3, onStderr: (line) => lines.push(line) },
    );
    const seen = collect(transport);
    await transport.start();
    await until(() => seen.closes === 1, 'onclose');
    assert.equal(lines.length, 10, 'every line reaches onStderr');
    assert.deepEqual(transport.stderrTail, ['line 8', 'line 9', 'line 10']);
    const exited = transport.unexpectedExit;
    assert.ok(exited instanceof ProcessExitedError);
    assert.equal(exited.exitCode, 4);
    assert.deepEqual(seen.errors, [exited], 'the exit is reported through onerror before onclose');
    await assert.rejects(transport.send(notification(1)), /dies\/one: cannot send, the process is not running/);
    await transport.close();
    assert.equal(seen.closes, 1, 'onclose fires once');
  });

  it('fails a send into a process that stopped reading with a closed connection and its exit, never a bare EPIPE', async () => {
    // sh closes its stdin at once, so the write meets a closed pipe (EPIPE), then exits with 3.
    const transport = new ProcessTransport({ command: 'sh', args: ['-c', 'exec 0<&-; sleep 0.3; exit 3'], env: {} }, { instance: 'deaf/one', graceMs: GRACE_MS });
    const seen = collect(transport);
    await transport.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const error = await transport.send(notification(1)).then(
      () => assert.fail('the send succeeded'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof McpError, String(error));
    assert.equal(error.code, ErrorCode.ConnectionClosed);
    assert.match(error.message, /deaf\/one: cannot send, the process is not running \(it exited with code 3\)/);
    assert.equal(seen.closes, 1, 'the transport closed before the send failed, as a call in flight would');
    await transport.close();
  });

  it('fails a send into a process that stopped reading and lives on, saying so, within the grace time', async () => {
    const transport = new ProcessTransport({ command: 'sh', args: ['-c', 'exec 0<&-; sleep 5'], env: {} }, { instance: 'deaf/two', graceMs: GRACE_MS });
    collect(transport);
    await transport.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await assert.rejects(transport.send(notification(1)), (error: unknown) => error instanceof McpError && error.code === ErrorCode.ConnectionClosed && /deaf\/two: cannot send, the process stopped reading its input \(EPIPE\)/.test(error.message));
    assert.ok(Date.now() - started < 4 * GRACE_MS);
    await transport.close();
  });

  it('refuses a second start(), and closes cleanly when never started', async () => {
    const never = new ProcessTransport(ECHO_AFTER(0), { instance: 'idle/one' });
    const seen = collect(never);
    await assert.rejects(never.send(notification(1)), /not running/);
    await never.close();
    assert.equal(seen.closes, 1);
    assert.equal(never.pid, undefined);

    const twice = new ProcessTransport(ECHO_AFTER(0), { instance: 'twice/one', graceMs: GRACE_MS });
    await twice.start();
    await assert.rejects(twice.start(), /already started/);
    await twice.close();
  });
});

describe('an upstream that dies mid-call', () => {
  it('fails the pending call and tells the client why, with its stderr', async () => {
    const connection = await connectUpstream(fixtureSpec('crash-on-call', { CRASH_EXIT_CODE: '7' }), {
      instance: 'crash/one',
      graceMs: GRACE_MS,
    });
    const errors: Error[] = [];
    let closed = false;
    connection.client.onerror = (error) => errors.push(error);
    connection.client.onclose = () => {
      closed = true;
    };
    const echoed = await connection.client.callTool({ name: 'echo', arguments: { text: 'still fine' } });
    assert.deepEqual(echoed.content, [{ type: 'text', text: 'still fine' }]);
    await assert.rejects(connection.client.callTool({ name: 'crash', arguments: {} }), /Connection closed/);
    assert.ok(closed);
    const exit = errors.find((error) => error instanceof ProcessExitedError);
    assert.ok(exit instanceof ProcessExitedError, `errors: ${errors.map(String).join('; ')}`);
    assert.equal(exit.exitCode, 7);
    assert.match(exit.message, /crashing on purpose/);
    await connection.close();
  });
});
