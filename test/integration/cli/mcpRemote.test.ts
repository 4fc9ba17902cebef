// Accounts never cross through mcp-remote: two instances of `mcp-remote <url>` against the
// project's OAuth fixture, each signed in through mcp-remote's own browser flow as a different
// user. mcp-remote keeps its tokens at `~/.mcp-auth/mcp-remote-v1/<md5(url)>_tokens.json`, so
// without `isolate` the second instance reuses the first one's token; with `isolate: "home"`
// each keeps its own under `${instanceDir}`. Real processes: the fixture, `mcplex serve`, two
// mcp-remote processes (node + its bin file), an SDK client.
//
// The browser: mcp-remote opens the authorization URL with the `open` package, which runs its
// bundled xdg-open. `XDG_CURRENT_DESKTOP=X-Generic` with no display makes xdg-open run
// `$BROWSER <url>`, and our BROWSER only writes the URL to `$HOME/opened-urls.txt` (the HOME
// the instance sees). The test then approves that URL as the instance's user with the
// fixture's `approve` (fetch the authorization URL, follow the redirect to mcp-remote's
// callback port). No real browser is ever started; macOS and Windows would open one, so the
// suite runs on Linux only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { instanceDirOf } from '../../../src/core/config/instanceDir';
import { CLI_PATH, REPO_ROOT } from '../../helpers/cli';
import { approve, startOAuthServer, type RunningOAuthServer } from '../../fixtures/oauth/index';

const MCP_REMOTE = join(REPO_ROOT, 'node_modules', 'mcp-remote', 'dist', 'proxy.js');
const USERS = { work: 'work@example.test', personal: 'personal@example.test' } as const;
type Account = keyof typeof USERS;
const ACCOUNTS = Object.keys(USERS) as Account[];

const root = mkdtempSync(join(tmpdir(), 'mcplex-mcp-remote-'));
// Nothing in this process or its children may reach the user's real ~/.mcp-auth.
process.env.HOME = join(root, 'test-home');
mkdirSync(process.env.HOME, { recursive: true });

const browser = join(root, 'browser.sh');
writeFileSync(browser, '#!/bin/sh\n# The test\'s browser: it remembers the URL; the test approves it.\nprintf \'%s\\n\' "$1" >> "$HOME/opened-urls.txt"\n');
chmodSync(browser, 0o755);

let oauth: RunningOAuthServer;
before(async () => {
  oauth = await startOAuthServer();
});
after(async () => {
  await oauth?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Case {
  readonly folder: string;
  readonly config: string;
  readonly home: string;
  readonly env: Record<string, string>;
  readonly stateRoot: string;
}

function workspace(name: string, isolate: Record<string, unknown>): Case {
  const base = join(root, name);
  const folder = join(base, 'project');
  const home = join(base, 'home');
  mkdirSync(folder, { recursive: true });
  mkdirSync(home, { recursive: true });
  const servers = {
    remote: {
      command: process.execPath,
      // --host: the callback URL names 127.0.0.1, where mcp-remote listens (`localhost` may
      // resolve to ::1 first).
      args: [MCP_REMOTE, oauth.mcpUrl, '--host', '127.0.0.1'],
      env: { BROWSER: browser, XDG_CURRENT_DESKTOP: 'X-Generic', DISPLAY: '', WAYLAND_DISPLAY: '' },
      ...isolate,
      instances: { work: {}, personal: {} },
    },
  };
  const config = join(folder, '.mcplex.jsonc');
  writeFileSync(config, JSON.stringify({ servers }, null, 2));
  const env: Record<string, string> = { HOME: home, XDG_STATE_HOME: join(home, '.local', 'state') };
  return { folder, config, home, env, stateRoot: join(home, '.local', 'state', 'mcplex') };
}

/** The HOME each instance sees: its own under `${instanceDir}` with isolate "home", else the user's. */
function homeOf(setup: Case, account: Account, isolated: boolean): string {
  return isolated ? join(instanceDirOf(setup.stateRoot, setup.folder, 'remote', account), 'home') : setup.home;
}

/** mcp-remote's key for a server: md5 of the URL (and of options this test does not pass). */
const urlHash = (): string => createHash('md5').update(oauth.mcpUrl).digest('hex');

/** mcp-remote's token file for the fixture's URL under a HOME (`<md5(url)>_tokens.json`). */
function tokenFile(home: string): string {
  return join(home, '.mcp-auth', 'mcp-remote-v1', `${urlHash()}_tokens.json`);
}

/** The callback port mcp-remote 0.15.1 derives from the URL alone (`calculateDefaultPort`). */
const derivedCallbackPort = (): string => String(3335 + (parseInt(urlHash().slice(0, 4), 16) % 45816));

/** The user an mcp-remote token file was issued to (the fixture's id_token carries it). */
function userInTokenFile(file: string): string {
  const tokens = JSON.parse(readFileSync(file, 'utf8')) as { id_token?: string };
  const payload = tokens.id_token?.split('.')[1];
  assert.ok(payload !== undefined, `no id_token in ${file}`);
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email: string }).email;
}

function openedUrls(home: string): string[] {
  const file = join(home, 'opened-urls.txt');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : [];
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

interface Served {
  whoami(account: Account): Promise<string>;
}

/**
 * Runs `mcplex serve` with a client. `signIn` runs while the client connects: mcplex answers
 * `initialize` once its upstreams are up, and each mcp-remote is up only after its sign-in.
 * It gets mcplex's stderr so far, for failure messages.
 */
async function serve(setup: Case, signIn: (stderr: () => string) => Promise<void>, use: (served: Served) => Promise<void>): Promise<string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...setup.env })) if (value !== undefined && value !== '') env[name] = value;
  const client = new Client({ name: 'mcp-remote-test', version: '0' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, 'serve', '--config', setup.config], cwd: setup.folder, stderr: 'pipe', env });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    await Promise.all([client.connect(transport), signIn(() => stderr)]);
    await until(`both instances' whoami\n${stderr}`, async () => {
      const names = new Set((await client.listTools()).tools.map((tool) => tool.name));
      return ACCOUNTS.every((account) => names.has(`${account}__whoami`)) ? true : undefined;
    });
    await use({
      whoami: async (account) => {
        const result = await client.callTool({ name: `${account}__whoami`, arguments: {} });
        assert.notEqual(result.isError, true, JSON.stringify(result.content));
        const [first] = result.content as { type: string; text: string }[];
        return (JSON.parse(first?.text ?? '{}') as { user: string }).user;
      },
    });
  } finally {
    await client.close();
  }
  return stderr;
}

/** The user approves in the browser; a failure carries mcplex's stderr (mcp-remote's lines). */
async function approveAs(url: string, user: string, stderr: () => string): Promise<void> {
  await approve(url, user).catch((error: Error) => {
    throw new Error(`approving ${url} as ${user}: ${String(error.cause ?? error)}\n${stderr()}`);
  });
}

describe('mcp-remote as two accounts of one remote server', { skip: process.platform !== 'linux' && 'the stand-in browser needs xdg-open' }, () => {
  it('with isolate "home" each account signs in as its own user and keeps its own token under ${instanceDir}', async () => {
    const setup = workspace('isolated', { isolate: 'home' });
    const redirectPorts: string[] = [];
    // Both processes derive the same callback port from the URL. mcp-remote's own
    // coordination makes the second one wait while the first holds that port (it asks the
    // holder for `/.mcp-remote/id`, sees the same URL hash, and follows); it finds no tokens
    // in its private HOME, so once the first sign-in ends and frees the port it runs its own.
    // The two sign-ins therefore happen one after the other, on one port.
    const signIn = async (stderr: () => string): Promise<void> => {
      const approved = new Set<Account>();
      while (approved.size < ACCOUNTS.length) {
        const [account, url] = await until(`a sign-in URL\n${stderr()}`, () => {
          for (const candidate of ACCOUNTS) {
            const [opened] = openedUrls(homeOf(setup, candidate, true));
            if (!approved.has(candidate) && opened !== undefined) return [candidate, opened] as const;
          }
          return undefined;
        });
        redirectPorts.push(new URL(new URL(url).searchParams.get('redirect_uri') ?? '').port);
        await approveAs(url, USERS[account], stderr);
        approved.add(account);
      }
    };
    await serve(setup, signIn, async (served) => {
      assert.equal(await served.whoami('work'), USERS.work);
      assert.equal(await served.whoami('personal'), USERS.personal);
    });
    assert.equal(redirectPorts.length, 2);
    assert.deepEqual(redirectPorts, [derivedCallbackPort(), derivedCallbackPort()], 'both sign-ins used the one callback port derived from the URL');
    for (const account of ACCOUNTS) {
      assert.equal(openedUrls(homeOf(setup, account, true)).length, 1, `${account} opened one sign-in page`);
      assert.equal(userInTokenFile(tokenFile(homeOf(setup, account, true))), USERS[account], `${account}'s token file holds its own user's token`);
    }
    assert.equal(existsSync(join(setup.home, '.mcp-auth')), false, 'nothing in the user\'s ~/.mcp-auth');
    assert.equal(existsSync(join(process.env.HOME!, '.mcp-auth')), false);
  });

  it('without isolate the second account silently reuses the first one\'s token (the problem isolate solves)', async () => {
    const setup = workspace('shared', {});
    const statsBefore = await oauth.stats();
    // Both instances read and write the one ~/.mcp-auth. The one that waits on the other's
    // callback port finds the tokens the first sign-in wrote there and uses them ("The
    // sign-in was completed by another instance"); one started later would read them at once.
    const signIn = async (stderr: () => string): Promise<void> => {
      const url = await until(`a sign-in URL\n${stderr()}`, () => openedUrls(setup.home)[0]);
      // Whichever instance opened it, the user signs in as work.
      await approveAs(url, USERS.work, stderr);
    };
    const stderr = await serve(setup, signIn, async (served) => {
      assert.equal(await served.whoami('work'), USERS.work);
      assert.equal(await served.whoami('personal'), USERS.work, 'personal answers as work: one token for both');
    });
    assert.match(stderr, /remote\/personal would start exactly like remote\/work/, 'mcplex warned that the two are one account');
    assert.equal(openedUrls(setup.home).length, 1, 'only one sign-in page ever opened');
    assert.equal(userInTokenFile(tokenFile(setup.home)), USERS.work);
    assert.equal((await oauth.stats()).codeExchanges - statsBefore.codeExchanges, 1, 'one sign-in served both accounts');
  });
});
