// An upstream that prints its secret does not get it printed by any `mcplex` command: the
// CLI knows every secret value it hands out and hides it in all it writes, the upstream's
// stderr, its lifecycle lines and its errors alike.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDACTED } from '../../../src/core/redaction';
import { CLI_PATH, initializeLine, REPO_ROOT } from '../../helpers/cli';
import { fixturePath, startHttpEcho, type RunningHttpEcho } from '../../fixtures/servers';

const SECRET = 'sk-careless-0123456789';

interface Output {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `mcplex …` (sent a client's first message) until it exits, or until its stderr satisfies
 * `until` (then SIGTERM), and returns everything it printed.
 */
function runUntil(args: readonly string[], env: Record<string, string>, until?: (stderr: string) => boolean): Promise<Output> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  // A client's initialize: `serve`/`wrap` over stdio start their upstreams once the client
  // speaks, and its answer (instructions naming a down instance's cause) is checked too.
  child.stdin.on('error', () => undefined).write(initializeLine());
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (until?.(stderr)) child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcplex ${args.join(' ')} did not get there in time\nstderr: ${stderr}`));
    }, 30_000);
    child.once('error', reject);
    child.once('close', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

function assertHidden(output: Output, secret = SECRET): void {
  assert.ok(!output.stdout.includes(secret), `the secret is on stdout:\n${output.stdout}`);
  assert.ok(!output.stderr.includes(secret), `the secret is on stderr:\n${output.stderr}`);
  assert.ok(output.stdout.includes(REDACTED) || output.stderr.includes(REDACTED), `no ${REDACTED} anywhere:\n${output.stderr}`);
}

describe('secret values in what mcplex prints', () => {
  let dir: string;
  let config: string;
  const env = { MCPLEX_SECRET_CARELESS_KEY: SECRET, MCPLEX_SECRETS_FILE: '' };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcplex-redact-'));
    env.MCPLEX_SECRETS_FILE = join(dir, 'secrets.json');
    config = join(dir, '.mcplex.jsonc');
    // `work` prints the key and serves; `broken` prints it and fails, so the key is in the
    // failure's stderr tail too.
    const server = { command: process.execPath, args: [fixturePath('prints-secret')], env: { API_KEY: '${secret:careless-key}' } };
    writeFileSync(config, JSON.stringify({ servers: { careless: { ...server, instances: { work: {}, broken: { env: { FAIL_AT_START: '1' } } } } } }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('mcplex serve: neither the upstream stderr nor a failed start shows it', async () => {
    const output = await runUntil(['serve', '--config', config], env, (stderr) => /\[work\] prints-secret: using key/.test(stderr) && /start failed/.test(stderr));
    // serve tags each line with the instance's prefix.
    assert.match(output.stderr, new RegExp(`\\[work\\] prints-secret: using key ${REDACTED}`));
    assert.match(output.stderr, new RegExp(`"broken": start failed .*\n  prints-secret: using key ${REDACTED}`));
    assertHidden(output);
  });

  it('mcplex list: neither the copied stderr nor the table of a failed instance shows it', async () => {
    const output = await runUntil(['list', '--config', config], { ...env, MCPLEX_LOG_STDERR: '1' });
    assert.match(output.stderr, new RegExp(`\\[careless/work\\] prints-secret: using key ${REDACTED}`));
    assert.match(output.stdout, /careless\/broken .*FAILED/);
    assertHidden(output);
  });

  it('mcplex serve: a failed start shows none substituted into command, cwd or args', async () => {
    const launchConfig = join(dir, 'launch.mcplex.jsonc');
    writeFileSync(launchConfig, JSON.stringify({
      servers: {
        s: {
          args: ['--key=${secret:careless-key}'],
          instances: {
            cmd: { command: join(dir, 'bin-${secret:careless-key}') },
            cwd: { command: process.execPath, cwd: join(dir, 'nowhere-${secret:careless-key}') },
          },
        },
      },
    }));
    const output = await runUntil(['serve', '--config', launchConfig], env, (stderr) => /"cmd": start failed/.test(stderr) && /"cwd": start failed/.test(stderr));
    assert.match(output.stderr, /working directory .* does not exist/);
    assertHidden(output);
  });

  describe('mcplex wrap', () => {
    let echo: RunningHttpEcho;
    before(async () => (echo = await startHttpEcho()));
    after(() => echo.stop());

    // `wrap`'s upstream inherits the client's environment, and nothing says which of its
    // variables are secret: what the CLI knows to be one is a --header-env value (or a
    // token). Here a server that repeats the rejected Authorization header.
    it('a --header-env value repeated by the upstream in its refusal', async () => {
      const output = await runUntil(
        ['wrap', '--prefix', 'w', '--url', echo.url('/reject'), '--transport', 'http', '--header-env', 'Authorization=WRAP_AUTH'],
        { WRAP_AUTH: `Bearer ${SECRET}` },
        (stderr) => /start failed/.test(stderr),
      );
      assert.match(output.stderr, new RegExp(`rejected authorization: ${REDACTED}`));
      assertHidden(output);
    });
  });
});
