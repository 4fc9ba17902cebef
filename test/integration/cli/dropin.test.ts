// `mcplex wrap` as a drop-in for the original single-prefix proxy (MCPlexer, issue 20): its
// command lines, copied from its README and seed 000, run unchanged after `mcplex wrap`
// against real servers (dist/cli.js over stdio, as a client's configuration starts it): a
// stdio upstream, `--separator :` for the old names, a bearer from `--oauth-bearer-env` that
// the server checks, `--oauth-flow none` sending nothing, a browser sign-in with
// `--oauth-no-open --oauth-callback-port N --oauth-store FILE` against the OAuth fixture, and
// a machine account from `--oauth-client-id` with `--oauth-client-secret-env`.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CLI_PATH, runMcplex, signInApprover } from '../../helpers/cli';
import { startOAuthServer, type RunningOAuthServer } from '../../fixtures/oauth';
import { fixturePath, startHttpEcho, type RunningHttpEcho } from '../../fixtures/servers';

const BEARER = 'work-mcp-token-Vq83nB';
const MACHINE_SECRET = 'machine-secret-Jd27xQ';
const root = mkdtempSync(join(tmpdir(), 'mcplex-dropin-'));
/** The default store: a run with `--oauth-store` must leave it alone. */
const defaultStore = join(root, 'store', 'secrets.json');
/** An `xdg-open` that leaves a mark: `--oauth-no-open` must never run it. */
const openerDir = join(root, 'bin');
const openedMark = join(root, 'browser-opened');
const baseEnv: Record<string, string> = {
  MCPLEX_SECRETS_FILE: defaultStore,
  HOME: join(root, 'home'),
  XDG_CONFIG_HOME: join(root, 'xdg'),
  XDG_STATE_HOME: join(root, 'state'),
  // A display, so only --oauth-no-open keeps the CLI from running the opener.
  DISPLAY: ':99',
  PATH: `${openerDir}${delimiter}${process.env['PATH'] ?? ''}`,
};

let oauth: RunningOAuthServer;
let echo: RunningHttpEcho;
let gated: Server;
let gatedUrl = '';

interface Wrapped {
  readonly client: Client;
  readonly stderr: () => string;
  close(): Promise<void>;
}

/** `mcplex wrap <args…>` over stdio, as an MCP client's configuration starts it; `onStderr` hears each chunk. */
async function wrap(args: readonly string[], env: Record<string, string> = {}, onStderr: (chunk: string) => void = () => undefined): Promise<Wrapped> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'wrap', ...args],
    env: { ...(process.env as Record<string, string>), ...baseEnv, ...env },
    cwd: root,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr(chunk.toString());
  });
  const client = new Client({ name: 'dropin-test', version: '0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** The tool names once the upstream is up (a sign-in may come first), waited for generously. */
async function toolsOnceUp(client: Client, expected: number): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    if (names.length >= expected || Date.now() > deadline) return names;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  const [first] = result.content as { type: string; text?: string }[];
  return first?.text ?? '';
}

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

before(async () => {
  mkdirSync(openerDir, { recursive: true });
  const opener = join(openerDir, 'xdg-open');
  writeFileSync(opener, `#!/bin/sh\necho "$1" >> '${openedMark}'\n`);
  chmodSync(opener, 0o755);
  [oauth, echo] = await Promise.all([startOAuthServer(), startHttpEcho()]);
  // A server that answers only the right bearer, as the original's README example expects.
  gated = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${BEARER}`) return void res.writeHead(401).end('no entry');
    const mcp = new McpServer({ name: 'gated', version: '1.0.0' });
    mcp.registerTool('get-calendar-events', { description: 'Events.' }, () => ({ content: [{ type: 'text', text: 'standup at 10' }] }));
    const transport = new StreamableHTTPServerTransport({});
    res.on('close', () => void transport.close());
    void mcp.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => gated.listen(0, '127.0.0.1', resolve));
  gatedUrl = `http://127.0.0.1:${(gated.address() as AddressInfo).port}/mcp`;
});

after(async () => {
  gated.closeAllConnections();
  await new Promise<void>((resolve) => gated.close(() => resolve()));
  await Promise.all([oauth.stop(), echo.stop()]);
  rmSync(root, { recursive: true, force: true });
});

describe('the original proxy command lines under mcplex wrap', () => {
  it('a stdio upstream (its README): mcplex names stay <prefix>__<tool>; the original separator is not assumed', async () => {
    const wrapped = await wrap(['--prefix', 'personal', '--label', 'Personal', '--', process.execPath, fixturePath('echo')]);
    try {
      assert.deepEqual(await toolsOnceUp(wrapped.client, 1), ['personal__echo']);
    } finally {
      await wrapped.close();
    }
  });

  it('--separator : gives the old names (personal:echo), called as such; --transport stdio is accepted', async () => {
    const wrapped = await wrap(['--prefix', 'personal', '--separator', ':', '--transport', 'stdio', '--', process.execPath, fixturePath('echo')]);
    try {
      assert.deepEqual(await toolsOnceUp(wrapped.client, 1), ['personal:echo']);
      assert.equal(text(await wrapped.client.callTool({ name: 'personal:echo', arguments: { text: 'hi' } })), 'hi');
      assert.match(wrapped.stderr(), /warning: The separator ":"/, 'the risk of ":" is said, not hidden');
    } finally {
      await wrapped.close();
    }
  });

  it('--oauth-bearer-env (its README): the server that checks the bearer answers', async () => {
    const wrapped = await wrap(['--prefix', 'work', '--label', 'Work', '--url', gatedUrl, '--oauth-bearer-env', 'WORK_MCP_TOKEN'], { WORK_MCP_TOKEN: BEARER });
    try {
      assert.deepEqual(await toolsOnceUp(wrapped.client, 1), ['work__get-calendar-events']);
      assert.equal(text(await wrapped.client.callTool({ name: 'work__get-calendar-events' })), 'standup at 10');
      assert.ok(!wrapped.stderr().includes(BEARER), 'the token is in no log');
    } finally {
      await wrapped.close();
    }
  });

  it('--oauth-bearer-env with the variable unset is a usage error naming the flag', async () => {
    const run = await runMcplex(['wrap', '--prefix', 'work', '--url', gatedUrl, '--oauth-bearer-env', 'WORK_MCP_TOKEN'], { cwd: root, env: baseEnv });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--oauth-bearer-env WORK_MCP_TOKEN: the environment variable WORK_MCP_TOKEN is not set/);
  });

  it('--oauth-flow none sends no Authorization at all', async () => {
    const wrapped = await wrap(['--prefix', 'open', '--url', echo.url('/mcp'), '--transport', 'http', '--oauth-flow', 'none']);
    try {
      assert.ok((await toolsOnceUp(wrapped.client, 3)).includes('open__header'));
      assert.equal(text(await wrapped.client.callTool({ name: 'open__header', arguments: { name: 'authorization' } })), '(absent)');
    } finally {
      await wrapped.close();
    }
  });

  it('--oauth-flow browser --oauth-no-open --oauth-callback-port N --oauth-store FILE: URL printed, callback on N, tokens in FILE', async () => {
    const port = await freePort();
    const storeFile = join(root, 'tokens', 'work-notion.json');
    const args = [
      '--prefix', 'work',
      '--label', 'Work Notion',
      '--url', oauth.mcpUrl,
      '--oauth-flow', 'browser',
      '--oauth-no-open',
      '--oauth-callback-port', String(port),
      '--oauth-store', storeFile,
      '--oauth-client-name', 'Drop-in Test',
    ];
    // The user opens the printed URL.
    const approver = signInApprover();
    const signInUrls = approver.urls;
    const wrapped = await wrap(args, {}, approver.hear);
    try {
      assert.deepEqual(await toolsOnceUp(wrapped.client, 1), ['work__whoami'], wrapped.stderr());
      assert.equal((await wrapped.client.callTool({ name: 'work__whoami' })).isError, undefined);
    } finally {
      await wrapped.close();
    }
    assert.equal(signInUrls.length, 1);
    assert.equal(new URL(signInUrls[0] ?? '').searchParams.get('redirect_uri'), `http://127.0.0.1:${port}/oauth/callback`);
    assert.equal(existsSync(openedMark), false, 'no browser was opened');
    assert.deepEqual((await oauth.registrations()).map((body) => body['client_name']), ['Drop-in Test']);
    // The tokens are in FILE (0600), under the prefix, and nowhere else.
    assert.equal(statSync(storeFile).mode & 0o777, 0o600);
    const stored = JSON.parse(readFileSync(storeFile, 'utf8')) as { oauth: Record<string, string> };
    assert.ok(Object.keys(stored.oauth).some((key) => key.startsWith('mcplex.oauth/work/') && key.endsWith('/tokens')), Object.keys(stored.oauth).join(', '));
    assert.equal(existsSync(defaultStore), false, 'the default store was not used');

    // The same line again: the tokens in FILE are used, no new sign-in.
    const before = await oauth.stats();
    const again = await wrap(args, { MCPLEX_OAUTH_INTERACTIVE: '0' });
    try {
      assert.deepEqual(await toolsOnceUp(again.client, 1), ['work__whoami'], again.stderr());
    } finally {
      await again.close();
    }
    assert.equal((await oauth.stats()).authorizations, before.authorizations);
  });

  it('--oauth-client-id with --oauth-client-secret-env (its README): a machine account, no browser', async () => {
    await oauth.grantOptions({ clientCredentials: true, machineClients: { 'your-client-id': MACHINE_SECRET } });
    const wrapped = await wrap(
      ['--prefix', 'bot', '--label', 'Work', '--url', oauth.mcpUrl, '--oauth-client-id', 'your-client-id', '--oauth-client-secret-env', 'WORK_MCP_CLIENT_SECRET', '--oauth-scope', 'calendar.read calendar.write'],
      { WORK_MCP_CLIENT_SECRET: MACHINE_SECRET },
    );
    try {
      assert.deepEqual(await toolsOnceUp(wrapped.client, 1), ['bot__whoami'], wrapped.stderr());
      assert.match(text(await wrapped.client.callTool({ name: 'bot__whoami' })), /"clientId":"your-client-id"/);
      assert.ok(!wrapped.stderr().includes(MACHINE_SECRET), 'the secret is in no log');
    } finally {
      await wrapped.close();
    }
    assert.ok((await oauth.grantStats()).clientCredentialGrants >= 1);
  });
});
