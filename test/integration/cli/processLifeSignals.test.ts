// Issue 14, item 2: every way out of `mcplex wrap` and `mcplex serve` over stdio stops every
// upstream's process tree first. Here SIGINT, SIGTERM and a dead parent (the client killed
// while something else still holds mcplex's pipes, so no EOF comes), each with an upstream
// that ignores the end of its stdin and leaves a grandchild: only a tree stop ends them.
// A daemon (`serve --http`) is the exception: it outlives its parent, and SIGINT ends it.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH, initializeLine, REPO_ROOT } from '../../helpers/cli';
import { fixturePath } from '../../fixtures/servers';
import { alive, descendants, exited, killLeft, stillAlive } from '../../helpers/processes';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-life-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = join(dir, '.mcplex.jsonc');
writeFileSync(CONFIG, JSON.stringify({ servers: { kid: { command: process.execPath, args: [fixturePath('spawns-child')], instances: { one: {} } } } }));

const COMMANDS = {
  wrap: ['wrap', '--prefix', 'work', '--', process.execPath, fixturePath('spawns-child')],
  serve: ['serve', '--config', CONFIG, '--no-user-config'],
  'serve --http': ['serve', '--config', CONFIG, '--no-user-config', '--http', '0'],
} as const;

/** Ends a parent that runs mcplex on its own pipes (inherited) and says mcplex's pid on stderr. */
const PARENT = `const child = require('node:child_process').spawn(process.execPath, JSON.parse(process.argv[1]), { stdio: 'inherit' });
process.stderr.write('mcplex-pid=' + child.pid + '\\n');
setInterval(() => {}, 1000);`;

/**
 * Writes a client's initialize on its stdout and then holds it open: mcplex's stdin under a
 * parent, so that the parent's death closes no pipe (node destroys a dead child's stdin).
 */
function feeder(): ChildProcess {
  const script = `process.stdout.write(${JSON.stringify(initializeLine())}); setInterval(() => {}, 1000);`;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
}

interface Running {
  /** The process the test spawned: mcplex itself, or its parent. */
  readonly spawned: ChildProcess;
  /** Under a parent: what holds mcplex's stdin. */
  readonly feeder?: ChildProcess;
  readonly mcplex: number;
  /** mcplex's upstream tree: the fixture and its grandchild. */
  readonly tree: readonly number[];
  stderr(): string;
}

/** `mcplex <command>` (under a parent of its own when `underParent`), initialized, once its upstream tree runs. */
async function start(command: keyof typeof COMMANDS, underParent: boolean): Promise<Running> {
  const args = [CLI_PATH, ...COMMANDS[command]];
  const stdin = underParent ? feeder() : undefined;
  const spawned = spawn(process.execPath, underParent ? ['-e', PARENT, JSON.stringify(args)] : args, {
    cwd: REPO_ROOT,
    env: { ...process.env, IGNORE_EOF: '1' },
    stdio: [stdin?.stdout ?? 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  spawned.stdout?.resume();
  // Over stdio the upstream starts once its client's initialize says what it supports.
  spawned.stdin?.write(initializeLine());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the upstream did not start:\n${stderr}`)), 20_000);
    spawned.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (/grandchild-pid=\d+/.test(stderr) && (!underParent || /mcplex-pid=\d+/.test(stderr))) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const mcplex = underParent ? Number(/mcplex-pid=(\d+)/.exec(stderr)?.[1]) : (spawned.pid ?? 0);
  const grandchild = Number(/grandchild-pid=(\d+)/.exec(stderr)?.[1]);
  const tree = [...new Set([...(await descendants(mcplex)), grandchild])];
  assert.ok(tree.length >= 2, `the upstream tree: ${tree.join(', ')}`);
  return { spawned, ...(stdin !== undefined && { feeder: stdin }), mcplex, tree, stderr: () => stderr };
}

/** Everything a test started, gone; the pipes closed last, so no EOF did the work. */
function cleanUp(running: Running): void {
  killLeft([running.spawned.pid ?? 0, running.mcplex, ...running.tree, running.feeder?.pid ?? 0].filter((pid) => pid > 0));
  running.spawned.stdin?.destroy();
  running.spawned.stdout?.destroy();
  running.spawned.stderr?.destroy();
}

for (const command of ['wrap', 'serve'] as const) {
  describe(`mcplex ${command} over stdio: no upstream process outlives it`, () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`stops the upstream tree on ${signal}`, async () => {
        const running = await start(command, false);
        try {
          running.spawned.kill(signal);
          await exited(running.spawned);
          assert.deepEqual(await stillAlive(running.tree, 10_000), [], running.stderr());
        } finally {
          cleanUp(running);
        }
      });
    }

    it('stops itself and the upstream tree when its parent dies (its pipes still open elsewhere)', async () => {
      const running = await start(command, true);
      try {
        running.spawned.kill('SIGKILL');
        await exited(running.spawned);
        assert.deepEqual(await stillAlive([running.mcplex, ...running.tree], 10_000), [], running.stderr());
        assert.match(running.stderr(), /parent process .*gone, stopping/);
      } finally {
        cleanUp(running);
      }
    });
  });
}

describe('mcplex serve --http: a daemon outlives its parent', () => {
  it('serves on when its parent dies, and SIGINT then stops it and the upstream tree', async () => {
    const running = await start('serve --http', true);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const deadline = Date.now() + 20_000;
        const look = (): void => {
          const found = / at (http:\S+)\n/.exec(running.stderr())?.[1];
          if (found !== undefined) resolve(found);
          else if (Date.now() > deadline) reject(new Error(`no endpoint:\n${running.stderr()}`));
          else setTimeout(look, 100);
        };
        look();
      });
      running.spawned.kill('SIGKILL');
      await exited(running.spawned);
      // Three times as long as a stdio mcplex takes to notice a dead parent.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      assert.ok(alive(running.mcplex), running.stderr());
      const init = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: initializeLine().trim(),
        signal: AbortSignal.timeout(5_000),
      });
      await init.text();
      assert.equal(init.status, 200);
      process.kill(running.mcplex, 'SIGINT');
      assert.deepEqual(await stillAlive([running.mcplex, ...running.tree], 10_000), [], running.stderr());
      assert.match(running.stderr(), /mcplex: interrupted, stopping/);
    } finally {
      cleanUp(running);
    }
  });
});
