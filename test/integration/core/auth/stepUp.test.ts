// A step-up (403 insufficient_scope) on a session that may not open a browser (VS Code's
// quiet path): the stored refresh token is not used to refresh the old scopes (which would
// fail with "403 after trying upscoping"); the call fails with "needs you to sign in", the
// words the window shows as the instance's state. The CLI's held call: test/integration/cli/reauth.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteAuth, isSignInRequired, MemoryTokenStore, type RemoteAuth } from '../../../../src/core/auth';
import type { UpstreamSpec } from '../../../../src/core/config/model';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';
import { approve, startOAuthServer, type RunningOAuthServer } from '../../../fixtures/oauth';

let server: RunningOAuthServer;
const store = new MemoryTokenStore();
const cleanups: (() => Promise<unknown>)[] = [];

before(async () => {
  server = await startOAuthServer({ STEP_UP_TOOL: '1' });
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await server.stop();
});

function oauth(interactive: boolean): RemoteAuth {
  const auth = createRemoteAuth({ type: 'oauth' }, {
    instance: 'fixture/quiet',
    prefix: 'quiet',
    url: server.mcpUrl,
    store,
    interactive,
    openBrowser: (url) => void approve(url),
    signInHint: 'use "Sign In" on it',
    callbackTimeoutMs: 10_000,
  });
  cleanups.push(() => auth.close());
  return auth;
}

async function connect(auth: RemoteAuth): Promise<UpstreamConnection> {
  const spec: UpstreamSpec = { kind: 'remote', url: server.mcpUrl, transport: 'http', headers: {}, auth: { type: 'oauth' } };
  const connection = await connectUpstream(spec, { instance: 'fixture/quiet', auth, timeoutMs: 10_000 });
  cleanups.push(() => connection.close());
  return connection;
}

describe('a step-up without leave to open a browser', () => {
  it('fails the call with "needs you to sign in", without refreshing the old scopes', async () => {
    await (await connect(oauth(true))).close(); // signed in once, as the user would
    const connection = await connect(oauth(false));
    const before = await server.stats();
    await assert.rejects(connection.client.callTool({ name: 'publish' }), (error: Error) => {
      assert.ok(isSignInRequired(error), error.message);
      assert.match(error.message, /^fixture\/quiet needs you to sign in: use "Sign In" on it$/);
      return true;
    });
    assert.equal((await server.stats()).refreshes, before.refreshes, 'no refresh of the old scopes');
    assert.ok(await connection.client.callTool({ name: 'whoami' }), 'the rest of the session goes on');
  });
});
