// `--secret-store file` on every command that reads secrets, through the built CLI: with
// MCPLEX_SECRET_STORE=keychain and no keychain that answers (a D-Bus address that leads
// nowhere), the flag alone decides, so each command reads the 0600 file: check, list, pin
// and audit resolve `${secret:tok}` from it, serve serves, and wrap keeps its OAuth tokens
// in it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH, runMcplex, signInApprover, stdioClient } from '../../helpers/cli';
import { startOAuthServer } from '../../fixtures/oauth';
import { fixturePath } from '../../fixtures/servers';

const root = mkdtempSync(join(tmpdir(), 'mcplex-secret-store-option-'));
const storeFile = join(root, 'secrets.json');
const config = join(root, '.mcplex.jsonc');
const env: Record<string, string> = {
  HOME: join(root, 'home'),
  XDG_STATE_HOME: join(root, 'state'),
  MCPLEX_SECRETS_FILE: storeFile,
  MCPLEX_SECRET_STORE: 'keychain',
  DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(root, 'no-bus')}`,
  MCPLEX_NO_BROWSER: '1',
};
const KEYCHAIN_REFUSED = /MCPLEX_SECRET_STORE asks for the OS keychain/;

before(async () => {
  writeFileSync(config, JSON.stringify({ servers: { echo: { command: process.execPath, args: [fixturePath('echo')], env: { TOKEN: '${secret:tok}' }, instances: { work: {} } } } }));
  const set = await runMcplex(['secret', 'set', 'tok', '--value-stdin', '--secret-store', 'file'], { env, stdin: 'tok-value-Hq72\n' });
  assert.equal(set.code, 0, set.stderr);
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('--secret-store file over MCPLEX_SECRET_STORE=keychain', () => {
  it('without it, the keychain asked for is refused (the test is not vacuous)', async () => {
    const run = await runMcplex(['check', '--config', config], { env });
    assert.equal(run.code, 1);
    assert.match(run.stdout, KEYCHAIN_REFUSED);
  });

  for (const argv of [['check'], ['list'], ['pin', 'show'], ['audit']]) {
    it(`${argv.join(' ')} reads the file`, async () => {
      const run = await runMcplex([...argv, '--config', config, '--secret-store', 'file'], { env });
      assert.equal(run.code, 0, run.stderr);
      const output = `${run.stdout}${run.stderr}`;
      assert.doesNotMatch(output, KEYCHAIN_REFUSED);
      assert.doesNotMatch(output, /tok-value-Hq72/);
    });
  }

  it('serve serves the instance whose secret is in the file', async () => {
    const client = await stdioClient(['serve', '--config', config, '--secret-store', 'file'], env);
    try {
      assert.ok((await client.listTools()).tools.some((tool) => tool.name.endsWith('echo')));
    } finally {
      await client.close();
    }
  });

  it('wrap keeps its OAuth tokens in the file', async () => {
    const oauth = await startOAuthServer();
    const approver = signInApprover();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, 'wrap', '--prefix', 'fx', '--url', oauth.mcpUrl, '--transport', 'http', '--oauth', '--secret-store', 'file'],
      env: { ...(process.env as Record<string, string>), ...env },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => approver.hear(chunk.toString()));
    const client = new Client({ name: 'test', version: '0' });
    try {
      await client.connect(transport);
      assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'fx__whoami'));
      assert.equal(approver.urls.length, 1);
    } finally {
      await client.close();
      await oauth.stop();
    }
    assert.ok(existsSync(storeFile));
    assert.match(readFileSync(storeFile, 'utf8'), /mcplex\.oauth\/fx\//);
  });
});
