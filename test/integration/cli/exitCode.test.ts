// The exit code of `mcplex wrap` as a real process: an uncaught error stops the upstreams
// and ends mcplex with 1, whatever the command itself would have returned once stopped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI_PATH, initializeLine, REPO_ROOT } from '../../helpers/cli';
import { fixturePath } from '../../fixtures/servers';
import { alive } from '../../helpers/processes';

/** Loaded into mcplex before its own code: SIGUSR2 makes an error that nobody catches. */
const FAULT = `data:text/javascript,${encodeURIComponent("process.on('SIGUSR2', () => { throw new Error('injected fault'); });")}`;

describe('mcplex wrap: exit code after an uncaught error', () => {
  it('stops the upstream and exits 1', async () => {
    const mcplex = spawn(process.execPath, ['--import', FAULT, CLI_PATH, 'wrap', '--prefix', 'work', '--', process.execPath, fixturePath('spawns-child')], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    mcplex.stdout.resume();
    mcplex.stdin.write(initializeLine());
    mcplex.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    try {
      const deadline = Date.now() + 15_000;
      while (!/grandchild-pid=\d+/.test(stderr) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(stderr, /grandchild-pid=\d+/, 'the upstream started');
      const exit = once(mcplex, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      mcplex.kill('SIGUSR2');
      const [code] = await exit;
      assert.match(stderr, /unexpected error: Error: injected fault/);
      assert.equal(code, 1, stderr);
      const grandchild = Number(/grandchild-pid=(\d+)/.exec(stderr)?.[1]);
      assert.equal(alive(grandchild), false, 'the upstream tree was stopped first');
    } finally {
      if (mcplex.exitCode === null && mcplex.signalCode === null) mcplex.kill('SIGKILL');
    }
  });
});
