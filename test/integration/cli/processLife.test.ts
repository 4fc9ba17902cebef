// The life of `mcplex wrap` as a real process: it outlives an upstream's failed start, and
// nothing of the upstream outlives it, whichever way it goes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH, initializeLine, REPO_ROOT } from '../../helpers/cli';
import { fixturePath } from '../../fixtures/servers';
import { EVERYTHING_ENTRY } from '../../helpers/everything';
import { alive, descendants, exited, stillAlive } from '../../helpers/processes';

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('\n');
}

describe('mcplex wrap: an upstream whose first start fails', () => {
  it('keeps retrying, holds initialize and serves once the upstream is up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-fails-once-'));
    let stderr = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, 'wrap', '--prefix', 'work', '--', process.execPath, fixturePath('fails-once')],
      env: { ...(process.env as Record<string, string>), MARKER: join(dir, 'marker') },
      cwd: REPO_ROOT,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'test', version: '0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name), ['work__echo']);
      assert.equal(textOf(await client.callTool({ name: 'work__echo', arguments: { text: 'hi' } })), 'hi');
      assert.match(stderr, /first start, failing/);
      assert.doesNotMatch(stderr, /unexpected error/);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `mcplex wrap` over `spawns-child`, sent an initialize, once its upstream tree (fixture and grandchild) runs. */
async function wrapSpawnsChild(): Promise<{ mcplex: ChildProcess; tree: number[]; stderr: () => string }> {
  const mcplex = spawn(process.execPath, [CLI_PATH, 'wrap', '--prefix', 'work', '--', process.execPath, fixturePath('spawns-child')], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  mcplex.stdout.resume();
  // A client's first words: over stdio the upstream starts once its client's initialize says what it supports.
  mcplex.stdin.write(initializeLine());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the upstream did not start:\n${stderr}`)), 15_000);
    mcplex.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (/grandchild-pid=\d+/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const grandchild = Number(/grandchild-pid=(\d+)/.exec(stderr)?.[1]);
  const tree = [...new Set([...(await descendants(mcplex.pid ?? 0)), grandchild])];
  assert.ok(tree.length >= 2, `the upstream tree: ${tree.join(', ')}`);
  return { mcplex, tree, stderr: () => stderr };
}

describe('mcplex wrap: no upstream process outlives it', () => {
  it('stops the upstream tree when its client dies (stdin EOF, stdout and stderr gone)', async () => {
    const { mcplex, tree } = await wrapSpawnsChild();
    try {
      // A SIGKILLed client: the pipes' other ends close all at once.
      mcplex.stderr?.destroy();
      mcplex.stdout?.destroy();
      mcplex.stdin?.end();
      await exited(mcplex);
      assert.deepEqual(await stillAlive(tree, 5_000), []);
    } finally {
      for (const pid of [mcplex.pid ?? 0, ...tree].filter(alive)) process.kill(pid, 'SIGKILL');
    }
  });

  it('stops on SIGTERM before its client said anything (the upstream waits for the initialize)', async () => {
    const mcplex = spawn(process.execPath, [CLI_PATH, 'wrap', '--prefix', 'work', '--', process.execPath, fixturePath('spawns-child')], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      mcplex.stdout.resume();
      mcplex.stderr.resume();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const started = Date.now();
      mcplex.kill('SIGTERM');
      await exited(mcplex);
      assert.ok(Date.now() - started < 5_000, 'it stopped at once');
    } finally {
      if (mcplex.pid !== undefined && alive(mcplex.pid)) process.kill(mcplex.pid, 'SIGKILL');
    }
  });

  it('stops the upstream tree on SIGHUP (the terminal closed)', async () => {
    const { mcplex, tree } = await wrapSpawnsChild();
    try {
      mcplex.kill('SIGHUP');
      await exited(mcplex);
      assert.deepEqual(await stillAlive(tree, 5_000), []);
    } finally {
      for (const pid of [mcplex.pid ?? 0, ...tree].filter(alive)) process.kill(pid, 'SIGKILL');
    }
  });

  it('logs nothing alarming on a clean stop, even with a request of the upstream pending', async () => {
    // server-everything asks its client for roots once initialized; the question is still
    // open when the client (which has no roots) goes away.
    let stderr = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, 'wrap', '--prefix', 'w', '--', process.execPath, EVERYTHING_ENTRY, 'stdio'],
      cwd: REPO_ROOT,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(transport);
    await client.listTools();
    await client.close();
    const deadline = Date.now() + 10_000;
    while (!/stopped/.test(stderr) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.match(stderr, /stopped/);
    assert.doesNotMatch(stderr, /Failed to send response|unexpected error/);
  });
});
