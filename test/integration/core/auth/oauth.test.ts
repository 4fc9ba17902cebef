// OAuth against a real OAuth-protected MCP server (test/fixtures/oauth/server.mjs): the
// SDK's client through mcplex's provider, two accounts side by side, tokens kept in a
// store across restarts, refresh without the user, and "needs you to sign in" when the
// tokens are revoked and no browser may open.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  createRemoteAuth,
  defaultCallbackPort,
  isSignInRequired,
  McplexOAuthProvider,
  MemoryTokenStore,
  storedTokens as readStoredTokens,
  SignInRequiredError,
  type RemoteAuth,
} from '../../../../src/core/auth';
import type { UpstreamSpec } from '../../../../src/core/config/model';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';
import { Redactor } from '../../../../src/core/redaction';
import { approve, startOAuthServer, type RunningOAuthServer } from '../../../fixtures/oauth';

let server: RunningOAuthServer;
const store = new MemoryTokenStore();
const opened: string[] = [];
const open: UpstreamConnection[] = [];
const auths: RemoteAuth[] = [];
/** What the host learns of the tokens used, shared like a CLI run's. */
const redactor = new Redactor();

before(async () => {
  server = await startOAuthServer();
});
after(async () => {
  await Promise.all(open.map((connection) => connection.close()));
  await Promise.all(auths.map((auth) => auth.close()));
  await server.stop();
});

function spec(): UpstreamSpec {
  return { kind: 'remote', url: server.mcpUrl, transport: 'http', headers: {}, auth: { type: 'oauth' } };
}

function oauth(prefix: string, interactive: boolean): RemoteAuth {
  const auth = createRemoteAuth(
    { type: 'oauth', scopes: ['read'] },
    {
      instance: `fixture/${prefix}`,
      prefix,
      url: server.mcpUrl,
      store,
      interactive,
      // The test is the user: it opens the page and approves.
      openBrowser: (url) => {
        opened.push(url);
        void approve(url);
      },
      signInHint: 'sign in again',
      callbackTimeoutMs: 10_000,
      redactor,
    },
  );
  auths.push(auth);
  return auth;
}

async function connect(prefix: string, auth: RemoteAuth): Promise<UpstreamConnection> {
  const connection = await connectUpstream(spec(), { instance: `fixture/${prefix}`, auth, timeoutMs: 10_000 });
  open.push(connection);
  return connection;
}

async function whoami(connection: UpstreamConnection): Promise<{ clientId: string; serial: number }> {
  const result = (await connection.client.callTool({ name: 'whoami' })) as CallToolResult;
  const first = result.content[0];
  assert.equal(first?.type, 'text');
  return JSON.parse(first.type === 'text' ? first.text : '') as { clientId: string; serial: number };
}

async function storedTokens(prefix: string): Promise<{ access_token: string; refresh_token?: string } | undefined> {
  const text = await readStoredTokens(store, `fixture/${prefix}`, server.mcpUrl);
  return text === undefined ? undefined : (JSON.parse(text) as { access_token: string; refresh_token?: string });
}

describe('OAuth with the SDK client and a real authorization server', () => {
  it('signs two instances in side by side, with their own tokens, clients and callback ports', async () => {
    const work = oauth('work', true);
    const personal = oauth('personal', true);
    const [workConnection, personalConnection] = await Promise.all([connect('work', work), connect('personal', personal)]);
    assert.equal(opened.length, 2, 'one browser sign-in each');

    const workPort = (work.authProvider as McplexOAuthProvider).callbackPort;
    const personalPort = (personal.authProvider as McplexOAuthProvider).callbackPort;
    assert.notEqual(workPort, personalPort);
    assert.equal(workPort, defaultCallbackPort(server.mcpUrl, 'work'));
    const redirects = opened.map((url) => new URL(url).searchParams.get('redirect_uri'));
    assert.deepEqual(new Set(redirects), new Set([`http://127.0.0.1:${workPort}/oauth/callback`, `http://127.0.0.1:${personalPort}/oauth/callback`]));

    const [workTokens, personalTokens] = [await storedTokens('work'), await storedTokens('personal')];
    assert.ok(workTokens?.access_token && personalTokens?.access_token);
    assert.notEqual(workTokens.access_token, personalTokens.access_token);
    const [me, them] = [await whoami(workConnection), await whoami(personalConnection)];
    assert.notEqual(me.clientId, them.clientId, 'each instance registered its own client');
    assert.equal((await server.stats()).registrations, 2);
  });

  it('keeps the sign-in across a restart: a new provider over the same store needs no authorization', async () => {
    const before = await server.stats();
    const connection = await connect('work', oauth('work', false));
    assert.ok((await whoami(connection)).clientId);
    const afterwards = await server.stats();
    assert.equal(afterwards.authorizations, before.authorizations);
    assert.equal(afterwards.registrations, before.registrations);
  });

  it('refreshes an expired access token without the user, mid-session', async () => {
    const connection = await connect('work', oauth('work', false));
    const first = await whoami(connection);
    const stale = (await storedTokens('work'))?.access_token;
    await server.expireAll();
    const before = await server.stats();
    const second = await whoami(connection);
    const afterwards = await server.stats();
    assert.equal(afterwards.refreshes, before.refreshes + 1);
    assert.equal(afterwards.authorizations, before.authorizations, 'no browser sign-in');
    assert.notEqual(second.serial, first.serial, 'a new access token was used');
    assert.notEqual((await storedTokens('work'))?.access_token, stale);
    const known = new Set(redactor.values());
    const fresh = await storedTokens('work');
    assert.ok(stale !== undefined && known.has(stale) && fresh !== undefined && known.has(fresh.access_token), 'the host learns old and refreshed tokens');
    assert.ok(fresh.refresh_token === undefined || known.has(fresh.refresh_token));
  });

  it('asks to sign in again when the tokens are revoked, and never opens a browser without leave', async () => {
    await server.revokeAll();
    const openedBefore = opened.length;
    await assert.rejects(connect('work', oauth('work', false)), (error: Error) => {
      assert.ok(isSignInRequired(error), `a sign-in-required error, got ${error.message}`);
      assert.match(error.message, /^fixture\/work needs you to sign in: sign in again$/);
      assert.equal(findCause(error, SignInRequiredError)?.instance, 'fixture/work');
      return true;
    });
    assert.equal(opened.length, openedBefore, 'no browser opened');
    assert.equal(await storedTokens('work'), undefined, 'the dead tokens were cleared');

    // The user's "Sign in": interactive again, one browser round, and it works.
    const connection = await connect('work', oauth('work', true));
    assert.equal(opened.length, openedBefore + 1);
    assert.ok((await whoami(connection)).clientId);
  });

  it('fails a call mid-session with "needs you to sign in" when the tokens are revoked under it', async () => {
    // Signed in again (the revocation above took personal's tokens too), then a
    // non-interactive session (VS Code's) whose tokens are revoked under it.
    await (await connect('personal', oauth('personal', true))).close();
    const connection = await connect('personal', oauth('personal', false));
    assert.ok((await whoami(connection)).clientId);
    await server.revokeAll();
    await assert.rejects(whoami(connection), (error: Error) => isSignInRequired(error) && /fixture\/personal needs you to sign in/.test(error.message));
  });
});

function findCause<T>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let current: unknown = error; current !== undefined && current !== null; current = (current as { cause?: unknown }).cause) {
    if (current instanceof type) return current;
  }
  return undefined;
}
