// `mcplex` with an OAuth machine account (the client-credentials grant), as a user runs
// it (dist/cli.js): the secret from the store, tools listed without any browser, a wrong
// secret reported for its instance, and the secret and tokens in no output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_PATH } from '../../helpers/cli';
import { startOAuthServer, type RunningOAuthServer } from '../../fixtures/oauth';

const SECRET = 'machine-secret-Hq72kD';
const WRONG = 'wrong-machine-secret-Lp40sZ';
let oauth: RunningOAuthServer;
const root = mkdtempSync(join(tmpdir(), 'mcplex-machine-cli-'));
const configDir = join(root, 'project');
const env: Record<string, string> = {
  MCPLEX_SECRETS_FILE: join(root, 'store', 'secrets.json'),
  // The 0600 file as the store, so these tests never write to a developer's keychain.
  MCPLEX_SECRET_STORE: 'file',
  HOME: join(root, 'home'),
  XDG_CONFIG_HOME: join(root, 'xdg'),
  MCPLEX_NO_BROWSER: '1',
  MCPLEX_SECRET_WRONG: WRONG,
};
const outputs: string[] = [];

function mcplex(args: readonly string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: configDir, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end(stdin);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  oauth = await startOAuthServer();
  await oauth.grantOptions({ clientCredentials: true, machineClients: { bot: SECRET } });
  mkdirSync(configDir, { recursive: true });
  const machine = (secret: string): unknown => ({ type: 'oauth', grant: 'client_credentials', clientId: 'bot', clientSecret: secret });
  writeFileSync(
    join(configDir, '.mcplex.jsonc'),
    JSON.stringify({
      servers: {
        fixture: {
          url: oauth.mcpUrl,
          transport: 'http',
          instances: { bot: { auth: machine('${secret:bot-secret}') }, broken: { auth: machine('${secret:wrong}') } },
        },
      },
    }),
  );
});
after(async () => {
  await oauth.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('mcplex with a machine account', () => {
  it('lists its tools with no browser, reports a wrong secret for its instance, and prints no secret', async () => {
    const set = await mcplex(['secret', 'set', 'bot-secret'], `${SECRET}\n`);
    assert.equal(set.code, 0, set.stderr);
    const run = await mcplex(['list']);
    assert.match(run.stdout, /bot__whoami/);
    assert.match(run.stdout, /fixture\/broken[^\n]*FAILED\n[^\n]*client authentication failed/);
    assert.doesNotMatch(run.stderr, /open this page/, 'no sign-in');
    const stats = await oauth.stats();
    assert.equal(stats.authorizations, 0);
    assert.equal(stats.registrations, 0);
    assert.ok((await oauth.grantStats()).clientCredentialGrants >= 1);
    for (const text of outputs) {
      assert.equal(text.includes(SECRET), false, 'the secret never shows');
      assert.equal(text.includes(WRONG), false, 'nor the wrong one');
    }
  });
});
