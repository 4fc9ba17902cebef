// The CLI with credentials in play, as a user runs it (dist/cli.js): secrets from the
// store and the environment, two OAuth accounts signed in through the browser (the test
// approves), tokens reused by a later run, "needs you to sign in" when they are revoked.
// Then the hygiene check: no secret or token value in any output, in the config, or in
// any file under the temporary folders but the 0600 store itself.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CLI_PATH, runMcplexSigningIn, type CliResult } from '../../helpers/cli';
import { startOAuthServer, type RunningOAuthServer } from '../../fixtures/oauth';

const STORED_KEY = 'stored-api-key-Zq81vX';
const ENV_TOKEN = 'env-bearer-token-Pw27mN';

let oauth: RunningOAuthServer;
let keyed: Server;
let keyedUrl = '';
const root = mkdtempSync(join(tmpdir(), 'mcplex-auth-cli-'));
const storeFile = join(root, 'store', 'secrets.json');
const configDir = join(root, 'project');
const configFile = join(configDir, '.mcplex.jsonc');
const outputs: string[] = [];
/** Every token value the store ever held during the run. */
const tokensSeen = new Set<string>();

function collectTokens(): void {
  const store = JSON.parse(readFileSync(storeFile, 'utf8')) as { oauth: Record<string, string> };
  for (const record of Object.values(store.oauth)) {
    const parsed = JSON.parse(record) as Record<string, unknown>;
    for (const key of ['access_token', 'refresh_token', 'client_secret']) {
      if (typeof parsed[key] === 'string') tokensSeen.add(parsed[key]);
    }
  }
}

const env: Record<string, string> = {
  MCPLEX_SECRETS_FILE: storeFile,
  // The 0600 file as the store, so these tests never write to a developer's keychain.
  MCPLEX_SECRET_STORE: 'file',
  HOME: join(root, 'home'),
  XDG_CONFIG_HOME: join(root, 'xdg'),
  MCPLEX_NO_BROWSER: '1',
  MCPLEX_SECRET_ENV_TOKEN: ENV_TOKEN,
};

/** Runs the CLI in the project folder, approving its sign-ins; every output is kept for the hygiene check. */
async function mcplex(args: readonly string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const run = await runMcplexSigningIn(args, { cwd: configDir, env: { ...env, ...options.env }, stdin: options.stdin ?? '' });
  outputs.push(run.stdout, run.stderr);
  return run;
}

before(async () => {
  oauth = await startOAuthServer();
  keyed = createServer((req, res) => {
    if (req.headers['x-api-key'] !== STORED_KEY || req.headers.authorization !== `Bearer ${ENV_TOKEN}`) {
      return void res.writeHead(401).end('no entry');
    }
    const mcp = new McpServer({ name: 'keyed', version: '1.0.0' });
    mcp.registerTool('ping', { description: 'pong' }, () => ({ content: [{ type: 'text', text: 'pong' }] }));
    const transport = new StreamableHTTPServerTransport({});
    res.on('close', () => void transport.close());
    void mcp.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => keyed.listen(0, '127.0.0.1', resolve));
  keyedUrl = `http://127.0.0.1:${(keyed.address() as AddressInfo).port}/mcp`;
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        servers: {
          fixture: { url: oauth.mcpUrl, transport: 'http', auth: { type: 'oauth' }, instances: { work: {}, personal: {} } },
          keyed: {
            url: keyedUrl,
            transport: 'http',
            headers: { Authorization: 'Bearer ${secret:env-token}' },
            auth: { type: 'headers', headers: { 'X-Api-Key': '${secret:api-key}' } },
            instances: { team: {} },
          },
        },
      },
      null,
      2,
    ),
  );
});
after(async () => {
  keyed.closeAllConnections();
  await new Promise<void>((resolve) => keyed.close(() => resolve()));
  await oauth.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Listed {
  readonly instance: string;
  readonly name: string;
}

describe('mcplex with credentials', () => {
  it('stores a secret from stdin and lists names only', async () => {
    const set = await mcplex(['secret', 'set', 'api-key'], { stdin: `${STORED_KEY}\n` });
    assert.equal(set.code, 0, set.stderr);
    assert.equal(statSync(storeFile).mode & 0o777, 0o600);
    const list = await mcplex(['secret', 'list']);
    assert.equal(list.stdout, 'api-key\n');
    const get = await mcplex(['secret', 'get', 'api-key']);
    assert.equal(get.stdout, `${STORED_KEY}\n`, 'get prints the value: the user asked for it');
    outputs.pop();
    outputs.pop(); // that one output is the user's own request, not a log
  });

  it('signs both OAuth accounts in, and reaches the keyed server with a stored and an env secret', async () => {
    const run = await mcplex(['list', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const names = (JSON.parse(run.stdout) as Listed[]).map((tool) => tool.name).sort();
    assert.deepEqual(names, ['personal__whoami', 'team__ping', 'work__whoami']);
    assert.equal((run.stderr.match(/needs you to sign in; open this page/g) ?? []).length, 2);
    assert.equal((await oauth.stats()).authorizations, 2);
    // Two instances of one URL: each sign-in shows the account chooser; both were approved as one user.
    assert.deepEqual((await oauth.authorizations()).map((query) => query['prompt']), ['select_account', 'select_account']);
    assert.match(run.stderr, /warning: fixture\/work is signed in as user@example\.test, the same account as fixture\/personal/);
    const signedIn = await mcplex(['secret', 'list', '--oauth']);
    assert.equal(signedIn.stdout, 'fixture/personal\nfixture/work\n');
    collectTokens();
  });

  it('reuses the stored tokens in a later run, and serves them', async () => {
    const before = await oauth.stats();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, 'serve', '--config', configFile],
      env: { ...(process.env as Record<string, string>), ...env, MCPLEX_OAUTH_INTERACTIVE: '0' },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const deadline = Date.now() + 15_000;
      let tools: string[] = [];
      while (Date.now() < deadline && tools.length < 3) {
        tools = (await client.listTools()).tools.map((tool) => tool.name).sort();
        if (tools.length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.deepEqual(tools, ['personal__whoami', 'team__ping', 'work__whoami']);
      const result = await client.callTool({ name: 'work__whoami' });
      assert.equal(result.isError, undefined, JSON.stringify(result));
    } finally {
      await client.close();
      outputs.push(stderr);
    }
    assert.equal((await oauth.stats()).authorizations, before.authorizations, 'no new sign-in');
    collectTokens();
  });

  it('says which instance needs a sign-in when its tokens are revoked and no browser may open', async () => {
    await oauth.revokeAll();
    const run = await mcplex(['list'], { env: { MCPLEX_OAUTH_INTERACTIVE: '0' } });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /fixture\/work\s+\(.*\)\s+FAILED\n\s+fixture\/work needs you to sign in: run `mcplex list` in a terminal/);
    assert.match(run.stdout, /team__ping/, 'the other instances still work');
  });

  it('leaves no secret or token anywhere but the 0600 store', () => {
    // Revoked tokens were cleared from the store; none of them may linger elsewhere either.
    const values = [STORED_KEY, ENV_TOKEN, ...tokensSeen];
    assert.ok(tokensSeen.size >= 4, 'two accounts, each with an access and a refresh token');
    assert.ok(readFileSync(storeFile, 'utf8').includes(STORED_KEY), 'the search finds what is there');
    const leaks: string[] = [];
    for (const text of outputs) for (const value of values) if (text.includes(value)) leaks.push(`output: ${value}`);
    for (const file of filesUnder(root)) {
      if (file === storeFile) continue;
      const text = readFileSync(file, 'utf8');
      for (const value of values) if (text.includes(value)) leaks.push(`${file}: ${value}`);
    }
    assert.deepEqual(leaks, []);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}
