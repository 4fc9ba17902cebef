// `mcplex serve --http PORT` / `--socket PATH` on an address it cannot use: refused before any
// upstream is spawned, with the address and the reason, and the usage exit code.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runMcplex } from '../../helpers/cli';
import { startServe } from '../../helpers/serveProcess';

const NOTES = join(REPO_ROOT, 'examples', 'two-accounts', 'notes-server.mjs');
const root = mkdtempSync(join(tmpdir(), 'mcplex-address-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A configuration whose upstream leaves `marker` behind when it is spawned, then serves nothing. */
function markingConfig(name: string): { config: string; marker: string } {
  const dir = mkdtempSync(join(root, `${name}-`));
  const marker = join(dir, 'spawned');
  const script = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'spawned'); setInterval(() => {}, 1000)`;
  const config = join(dir, '.mcplex.jsonc');
  writeFileSync(config, JSON.stringify({ servers: { probe: { command: process.execPath, args: ['-e', script], instances: { one: {} } } } }));
  return { config, marker };
}

function listening(server: Server, options: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise((resolve) => server.listen(options, resolve));
}

describe('mcplex serve on an address it cannot use', () => {
  it('names a TCP port in use, exits 2, and spawns no upstream', async () => {
    const holder = createServer();
    await listening(holder, { port: 0, host: '127.0.0.1' });
    const address = holder.address();
    assert.ok(address !== null && typeof address === 'object');
    try {
      const { config, marker } = markingConfig('tcp');
      const result = await runMcplex(['serve', '--config', config, '--http', `127.0.0.1:${address.port}`]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`--http: cannot serve there: port ${address.port} on 127\\.0\\.0\\.1 is in use \\(EADDRINUSE\\)`));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(existsSync(marker), false, 'no upstream was spawned');
    } finally {
      holder.close();
    }
  });

  it('refuses a socket a live server holds, exits 2, and spawns no upstream', async () => {
    const path = join(root, 'live.sock');
    const holder = createServer();
    await listening(holder, { path });
    try {
      const { config, marker } = markingConfig('live');
      const result = await runMcplex(['serve', '--config', config, '--socket', path]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /--socket: cannot serve there: socket .*live\.sock is in use: a server is listening on it/);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(existsSync(marker), false, 'no upstream was spawned');
      assert.ok(statSync(path).isSocket(), 'the live socket is left alone');
    } finally {
      holder.close();
    }
  });

  it('replaces the stale socket file of an mcplex that was killed', async () => {
    const path = join(root, 'stale.sock');
    const killed = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(statSync(path).isSocket());
    const config = join(mkdtempSync(join(root, 'stale-')), '.mcplex.jsonc');
    writeFileSync(config, JSON.stringify({ servers: { notes: { command: process.execPath, args: [NOTES], instances: { one: {} } } } }));
    const serve = await startServe(['--config', config, '--socket', path]);
    try {
      assert.match(serve.url, /stale\.sock#\/mcp$/);
    } finally {
      assert.equal(await serve.stop(), 0);
    }
  });

  it('says why a socket cannot be created where its folder cannot be', async () => {
    const { config, marker } = markingConfig('denied');
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const result = await runMcplex(['serve', '--config', config, '--socket', join(file, 'x.sock')]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--socket: cannot serve there: socket .*a-file\/x\.sock cannot be created: its folder .*a-file: a file that is not a folder is in its path \((EEXIST|ENOTDIR)\)/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(marker), false, 'no upstream was spawned');
  });
});
