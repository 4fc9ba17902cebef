// `mcplex serve --socket`/`--http` started by systemd socket activation (Debian's
// systemd-socket-activate, which does what a .socket unit does): the first connection
// starts mcplex, which listens on the socket it was handed (fd 3) instead of binding one,
// keeps the host's rules (token, loopback only, a socket only its owner can open), and
// starts its upstreams without the socket or the LISTEN_* variables.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { connect as connectNet, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSocketFetch } from '../../../src/core/host';
import { parseInvocation } from '../../../src/cli/args';
import { CLI_PATH, REPO_ROOT, runMcplex } from '../../helpers/cli';
import { socketActivate, socketActivateMissing } from '../../helpers/socketActivate';

const ECHO = join(REPO_ROOT, 'test', 'fixtures', 'servers', 'echo.mjs');
const TOKEN = 'activated-s3cret';
const root = mkdtempSync(join(tmpdir(), 'mcplex-activate-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * A configuration whose upstream (the echo fixture) first records what it inherited: the
 * LISTEN_* variables, and whether any descriptor it holds is a socket bound at `socket`.
 */
function recordingConfig(name: string, socket: string): { config: string; record: string } {
  const dir = mkdtempSync(join(root, `${name}-`));
  const record = join(dir, 'upstream.json');
  const script = `
    const fs = require('fs');
    const inodes = fs.readFileSync('/proc/net/unix', 'utf8').split('\\n')
      .filter((line) => line.endsWith(' ' + ${JSON.stringify(socket)})).map((line) => line.trim().split(/\\s+/)[6]);
    const held = fs.readdirSync('/proc/self/fd').map((fd) => { try { return fs.readlinkSync('/proc/self/fd/' + fd); } catch { return ''; } });
    fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({
      env: Object.keys(process.env).filter((key) => key.startsWith('LISTEN_')),
      holdsSocket: held.some((link) => inodes.some((inode) => link === 'socket:[' + inode + ']')),
    }));
    import(${JSON.stringify(pathToFileURL(ECHO).href)});`;
  const config = join(dir, '.mcplex.jsonc');
  writeFileSync(config, JSON.stringify({ servers: { echo: { command: process.execPath, args: ['-e', script], instances: { one: {} } } } }));
  return { config, record };
}

function socketClient(socket: string): Promise<Client> {
  return connect(new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), { fetch: createSocketFetch(socket), requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
}

async function connect(transport: StreamableHTTPClientTransport): Promise<Client> {
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(transport);
  return client;
}

async function echoes(client: Client, text: string): Promise<void> {
  const tools = (await client.listTools()).tools.map((tool) => tool.name);
  const echo = tools.find((name) => name.endsWith('echo'));
  assert.ok(echo !== undefined, `an echo tool among ${tools.join(', ')}`);
  const result = await client.callTool({ name: echo, arguments: { text } });
  assert.deepEqual(result.content, [{ type: 'text', text }]);
}

/** A TCP port nothing listens on right now (systemd-socket-activate needs a fixed one). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

const serve = (config: string, ...listen: string[]): string[] => [process.execPath, CLI_PATH, 'serve', '--config', config, '--token-env', 'MCPLEX_TOKEN', ...listen];

describe('mcplex serve under systemd socket activation', { skip: socketActivateMissing() }, () => {
  it('is started by the first connection on its unix socket, serves it and the next, and leaves the socket to systemd', async () => {
    const socket = join(mkdtempSync(join(root, 'unix-')), 'mcplex.sock');
    const { config, record } = recordingConfig('unix', socket);
    const activated = socketActivate(socket, serve(config, '--socket', socket), { fdName: 'mcplex', env: { MCPLEX_TOKEN: TOKEN } });
    try {
      await activated.waitFor(/Listening on .*mcplex\.sock/);
      // What a .socket unit's SocketMode=0600 does (systemd-socket-activate has no option for it).
      chmodSync(socket, 0o600);
      assert.doesNotMatch(activated.stderr(), /Execing|mcplex:/, 'nothing started before a client came');
      assert.equal(existsSync(record), false, 'no upstream before a client came');

      const first = await socketClient(socket);
      try {
        await echoes(first, 'first');
      } finally {
        await first.close();
      }
      assert.match(activated.stderr(), /Communication attempt on fd 3[\s\S]*Execing/);
      assert.match(activated.stderr(), /mcplex: socket activation: listening on systemd's socket fd 3 \(mcplex\) for --socket /);
      assert.ok(activated.stderr().includes(`serving instance echo/one at unix://${socket}#/mcp`), activated.stderr());

      const second = await socketClient(socket);
      try {
        await echoes(second, 'second');
      } finally {
        await second.close();
      }
      assert.deepEqual(JSON.parse(readFileSync(record, 'utf8')), { env: [], holdsSocket: false }, 'the upstream inherits neither LISTEN_* nor the socket');
      assert.doesNotMatch(activated.stderr(), new RegExp(TOKEN));
    } finally {
      assert.equal(await activated.stop(), 0, activated.stderr());
    }
    assert.ok(statSync(socket).isSocket(), 'the socket file is systemd’s: left in place for the next start');
  });

  it('serves a loopback TCP socket it was handed, with the token checked', async () => {
    const port = await freePort();
    const { config } = recordingConfig('tcp', '(none)');
    const activated = socketActivate(`127.0.0.1:${port}`, serve(config, '--http', `127.0.0.1:${port}`), { env: { MCPLEX_TOKEN: TOKEN } });
    try {
      await activated.waitFor(/Listening on 127\.0\.0\.1/);
      const url = `http://127.0.0.1:${port}/mcp`;
      // The first request is the connection that starts mcplex; without the token it is refused.
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      assert.equal((await fetch(url, { method: 'POST', headers, body })).status, 401);
      assert.match(activated.stderr(), /listening on systemd's socket fd 3 for --http \d+/);
      const client = await connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
      try {
        await echoes(client, 'over tcp');
      } finally {
        await client.close();
      }
      assert.ok(activated.stderr().includes(`at ${url}`), activated.stderr());
    } finally {
      assert.equal(await activated.stop(), 0, activated.stderr());
    }
  });

  /**
   * Starts mcplex through a first connection it is expected to refuse (after `prepare`, run
   * once the socket is bound), and returns its exit code and stderr.
   */
  async function refusedStart(listen: string, command: string[], prepare: () => void = () => undefined): Promise<{ code: number | null; stderr: string }> {
    const activated = socketActivate(listen, command, { env: { MCPLEX_TOKEN: TOKEN } });
    await activated.waitFor(/Listening on /);
    prepare();
    const port = /^[\d.]+:(\d+)$/.exec(listen)?.[1];
    await new Promise<void>((resolve) => {
      const socket = port === undefined ? connectNet({ path: listen }) : connectNet({ port: Number(port), host: '127.0.0.1' });
      socket.on('error', () => resolve()).on('close', () => resolve());
    });
    return { code: await activated.exited(), stderr: activated.stderr() };
  }

  it('refuses a unix socket other users may open, naming SocketMode=0600, and starts no upstream', async () => {
    const socket = join(mkdtempSync(join(root, 'open-')), 'mcplex.sock');
    const { config, record } = recordingConfig('open', socket);
    const { code, stderr } = await refusedStart(socket, serve(config, '--socket', socket), () => chmodSync(socket, 0o666));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /--socket: cannot serve there: socket .*mcplex\.sock is open to other users \(mode 0666\): set SocketMode=0600 in the \.socket unit/);
    assert.equal(existsSync(record), false, 'no upstream was spawned');
  });

  it('refuses a socket other than the one --socket names', async () => {
    const dir = mkdtempSync(join(root, 'other-'));
    const socket = join(dir, 'given.sock');
    const { config } = recordingConfig('other', socket);
    const { code, stderr } = await refusedStart(socket, serve(config, '--socket', join(dir, 'named.sock')), () => chmodSync(socket, 0o600));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /is the socket .*given\.sock, but --socket says .*named\.sock: make the \.socket unit's ListenStream= and --socket name the same path/);
  });

  it('refuses a TCP socket other machines can reach', async () => {
    const port = await freePort();
    const { config, record } = recordingConfig('wide', '(none)');
    const { code, stderr } = await refusedStart(`0.0.0.0:${port}`, serve(config, '--http', String(port)));
    assert.equal(code, 2, stderr);
    assert.match(stderr, new RegExp(`listens on 0\\.0\\.0\\.0:${port}, which other machines can reach: .*ListenStream=127\\.0\\.0\\.1:${port}`));
    assert.equal(existsSync(record), false, 'no upstream was spawned');
  });

  it('refuses a unix socket handed to --http', async () => {
    const socket = join(mkdtempSync(join(root, 'kind-')), 'mcplex.sock');
    const { config } = recordingConfig('kind', socket);
    const { code, stderr } = await refusedStart(socket, serve(config, '--http', '8765'), () => chmodSync(socket, 0o600));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /is the unix socket .*mcplex\.sock, but --http expects TCP: use --socket/);
  });
});

describe('mcplex serve --listen-fd-name without systemd', () => {
  it('says no socket was passed, rather than binding one the user did not ask for', async () => {
    const socket = join(mkdtempSync(join(root, 'none-')), 'mcplex.sock');
    const { config, record } = recordingConfig('none', socket);
    const result = await runMcplex(['serve', '--config', config, '--socket', socket, '--listen-fd-name', 'mcplex'], { env: { LISTEN_PID: '1', LISTEN_FDS: '1' } });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--listen-fd-name mcplex: systemd passed this process no socket \(no LISTEN_FDS for it\)/);
    assert.equal(existsSync(socket) || existsSync(record), false, 'nothing bound, nothing spawned');
  });
});

describe('the example units in docs/systemd', () => {
  const units = join(REPO_ROOT, 'docs', 'systemd');
  const directive = (file: string, key: string): string => {
    const line = readFileSync(join(units, file), 'utf8').split('\n').find((text) => text.startsWith(`${key}=`));
    assert.ok(line !== undefined, `${key}= in ${file}`);
    return line.slice(key.length + 1);
  };

  it("run serve on the socket unit's own socket, 0600, with a token", () => {
    const words = directive('mcplex.service', 'ExecStart').split(/\s+/);
    const invocation = parseInvocation(words.slice(words.indexOf('serve')), 'linux');
    assert.ok(invocation.kind === 'serve');
    assert.deepEqual(invocation.listen, { kind: 'socket', path: directive('mcplex.socket', 'ListenStream') });
    assert.equal(invocation.tokenEnv, 'MCPLEX_TOKEN');
    // On demand: abandoned sessions closed, then mcplex ends, for the socket to start it again.
    assert.deepEqual(invocation.sessions, { idleMs: 600_000, exitWhenIdleMs: 900_000 });
    assert.equal(directive('mcplex.socket', 'SocketMode'), '0600');
  });

  it('pass systemd-analyze verify', { skip: existsSync('/usr/bin/systemd-analyze') ? undefined : 'systemd-analyze is not installed' }, () => {
    const runtime = mkdtempSync(join(root, 'runtime-'));
    const result = spawnSync('/usr/bin/systemd-analyze', ['--user', 'verify', 'mcplex.socket', 'mcplex.service'], {
      cwd: units,
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '', 'no unknown keys, no bad values');
  });
});
