// A call refused for want of authorization after connect (issue 14, item 13), through a
// real `mcplex wrap --oauth` and the OAuth fixture: a tool that needs another scope (403
// insufficient_scope) and a token revoked mid-session each start a sign-in whose URL the
// CLI prints; the call waits for it and is retried once. Without an approval the call
// fails within the sign-in timeout, saying that a sign-in is needed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI_PATH, signInApprover } from '../../helpers/cli';
import { startOAuthServer, type RunningOAuthServer } from '../../fixtures/oauth';

const SIGN_IN_TIMEOUT_MS = 3000;
let oauth: RunningOAuthServer;
let client: Client;
const root = mkdtempSync(join(tmpdir(), 'mcplex-reauth-'));
/** Whether the test's "user" approves the sign-ins the CLI prints. */
let approving = true;
const approver = signInApprover(() => approving);
/** Every sign-in URL the CLI printed. */
const urls = approver.urls;

before(async () => {
  oauth = await startOAuthServer({ STEP_UP_TOOL: '1' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'wrap', '--prefix', 'fx', '--url', oauth.mcpUrl, '--transport', 'http', '--oauth'],
    env: {
      ...(process.env as Record<string, string>),
      MCPLEX_SECRETS_FILE: join(root, 'secrets.json'),
      // The 0600 file as the store, so these tests never write to a developer's keychain.
      MCPLEX_SECRET_STORE: 'file',
      HOME: join(root, 'home'),
      MCPLEX_NO_BROWSER: '1',
      MCPLEX_SIGN_IN_TIMEOUT_MS: String(SIGN_IN_TIMEOUT_MS),
    },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => approver.hear(chunk.toString()));
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(transport);
});
after(async () => {
  await client.close();
  await oauth.stop();
  rmSync(root, { recursive: true, force: true });
});

function text(result: unknown): Record<string, unknown> {
  const first = (result as CallToolResult).content[0];
  assert.equal(first?.type, 'text', JSON.stringify(result));
  return JSON.parse(first.type === 'text' ? first.text : '') as Record<string, unknown>;
}

describe('mcplex wrap --oauth when a call needs a new sign-in', () => {
  it('holds a call that needs more scopes, signs in again with the scopes asked for, and retries it', async () => {
    assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'fx__publish'));
    const before = urls.length;
    const published = text(await client.callTool({ name: 'fx__publish' }));
    assert.ok((published['scopes'] as string[]).includes('publish'), JSON.stringify(published));
    assert.equal(urls.length, before + 1, 'one more sign-in, printed');
    const asked = (await oauth.authorizations()).at(-1)?.['scope']?.split(' ') ?? [];
    assert.ok(asked.includes('publish'), `the sign-in asked for the step-up scope: ${asked.join(' ')}`);
  });

  it('signs in again when the tokens are revoked mid-session, and the call succeeds', async () => {
    const first = text(await client.callTool({ name: 'fx__whoami' }));
    await oauth.revokeAll();
    const before = await oauth.stats();
    const second = text(await client.callTool({ name: 'fx__whoami' }));
    assert.notEqual(second['serial'], first['serial'], 'a new token');
    assert.equal((await oauth.stats()).authorizations, before.authorizations + 1);
  });

  it('fails the call within the sign-in timeout, saying a sign-in is needed, when no one approves', async () => {
    approving = false;
    await oauth.revokeAll();
    const started = Date.now();
    await assert.rejects(client.callTool({ name: 'fx__whoami' }), (error: Error) => {
      assert.match(error.message, /fx needs you to sign in: the sign-in did not finish within 3000 ms/);
      return true;
    });
    const took = Date.now() - started;
    assert.ok(took >= SIGN_IN_TIMEOUT_MS - 100 && took < SIGN_IN_TIMEOUT_MS + 5000, `took ${took} ms`);
  });
});
