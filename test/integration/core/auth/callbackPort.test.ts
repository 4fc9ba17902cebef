// The loopback callback port when it is taken (issue 14, item 12), against the real OAuth
// fixture: a derived port held by a real listener moves the sign-in to the next derived
// candidate (registered again with that redirect, and followed by the next run); a pinned
// port held by another process fails with an error that names that process.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import {
  callbackPortCandidate,
  createRemoteAuth,
  defaultCallbackPort,
  McplexOAuthProvider,
  MemoryTokenStore,
  type RemoteAuth,
} from '../../../../src/core/auth';
import type { OAuthAuth } from '../../../../src/core/auth/oauthProvider';
import type { UpstreamSpec } from '../../../../src/core/config/model';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';
import { approve, startOAuthServer, type RunningOAuthServer } from '../../../fixtures/oauth';

let server: RunningOAuthServer;
const store = new MemoryTokenStore();
const opened: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

before(async () => {
  server = await startOAuthServer();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await server.stop();
});

function oauth(prefix: string, config: OAuthAuth = { type: 'oauth' }): RemoteAuth {
  const auth = createRemoteAuth(config, {
    instance: `fixture/${prefix}`,
    prefix,
    url: server.mcpUrl,
    store,
    interactive: true,
    openBrowser: (url) => {
      opened.push(url);
      void approve(url);
    },
    callbackTimeoutMs: 10_000,
  });
  cleanups.push(() => auth.close());
  return auth;
}

async function connect(prefix: string, auth: RemoteAuth): Promise<UpstreamConnection> {
  const spec: UpstreamSpec = { kind: 'remote', url: server.mcpUrl, transport: 'http', headers: {}, auth: { type: 'oauth' } };
  const connection = await connectUpstream(spec, { instance: `fixture/${prefix}`, auth, timeoutMs: 10_000 });
  cleanups.push(() => connection.close());
  return connection;
}

async function occupy(port: number): Promise<Server> {
  const listener = createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, '127.0.0.1', () => resolve());
  });
  return listener;
}

const close = (listener: Server): Promise<void> => new Promise((resolve) => listener.close(() => resolve()));
const redirectOf = (url: string | undefined): string | null => new URL(url ?? '').searchParams.get('redirect_uri');

describe('the OAuth callback port when it is taken', () => {
  it('moves a client registered here to the next derived port, registers it again, and keeps that port', async () => {
    const prefix = 'busy';
    const first = defaultCallbackPort(server.mcpUrl, prefix);
    const second = callbackPortCandidate(server.mcpUrl, prefix, 1);
    assert.notEqual(first, second);
    // A first sign-in on the derived port: the registration names it.
    await connect(prefix, oauth(prefix));
    assert.equal(redirectOf(opened.at(-1)), `http://127.0.0.1:${first}/oauth/callback`);
    await server.revokeAll();

    const holder = await occupy(first);
    const before = await server.stats();
    const auth = oauth(prefix);
    const connection = await connect(prefix, auth);
    await close(holder);
    assert.equal((auth.authProvider as McplexOAuthProvider).callbackPort, second);
    assert.equal(redirectOf(opened.at(-1)), `http://127.0.0.1:${second}/oauth/callback`);
    const afterwards = await server.stats();
    assert.equal(afterwards.registrations, before.registrations + 1, 'registered again with the new redirect');
    assert.equal(afterwards.authorizations, before.authorizations + 1, 'one browser sign-in');
    assert.ok(await connection.client.callTool({ name: 'whoami' }));

    // The next run follows the stored registration, though the derived port is free again.
    await server.revokeAll();
    const next = oauth(prefix);
    await connect(prefix, next);
    assert.equal((next.authProvider as McplexOAuthProvider).callbackPort, second);
    assert.equal(redirectOf(opened.at(-1)), `http://127.0.0.1:${second}/oauth/callback`);
    assert.equal((await server.stats()).registrations, afterwards.registrations, 'no registration: the stored one fits');
  });

  it('names the process that holds a pinned callback port', async () => {
    const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })", '--', '--api-token', 'hush-Xy81'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => stop(child));
    const port = await new Promise<number>((resolve) => createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line))));
    const openedBefore = opened.length;
    await assert.rejects(connect('pinned', oauth('pinned', { type: 'oauth', callbackPort: port })), (error: Error) => {
      const text = messages(error);
      assert.match(text, new RegExp(`port ${port} is in use by process ${child.pid} \\(\\S*node\\S* -e .*--api-token ‹secret›\\)`), text);
      assert.doesNotMatch(text, /hush-Xy81/);
      assert.match(text, /choose another `auth.callbackPort`/);
      return true;
    });
    assert.equal(opened.length, openedBefore, 'no browser opened for a sign-in that cannot come back');
  });
});

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) parts.push(current.message);
  return parts.join('\n');
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
