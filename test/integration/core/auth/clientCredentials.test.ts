// The client-credentials grant (a machine account) against the real OAuth fixture server:
// no browser and no registration, a token fetched again when it expires or is refused,
// and the client secret never in an error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRemoteAuth, MemoryTokenStore, type RemoteAuth } from '../../../../src/core/auth';
import type { AuthSpec, UpstreamSpec } from '../../../../src/core/config/model';
import { Redactor } from '../../../../src/core/redaction';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';
import { startOAuthServer, type RunningOAuthServer } from '../../../fixtures/oauth';

const SECRET = 'bot-secret-VALUE-never-shown-7';
let server: RunningOAuthServer;
const open: UpstreamConnection[] = [];
const opened: string[] = [];
let clock = Date.now();

before(async () => {
  server = await startOAuthServer();
  await server.grantOptions({ clientCredentials: true, machineClients: { bot: SECRET } });
});
after(async () => {
  await Promise.all(open.map((connection) => connection.close()));
  await server.stop();
});

function machine(clientSecret: string, redactor: Redactor): { auth: RemoteAuth; spec: UpstreamSpec } {
  const authSpec: AuthSpec = { type: 'oauth', grant: 'client_credentials', clientId: 'bot', clientSecret, scopes: ['read'] };
  const auth = createRemoteAuth(authSpec, {
    instance: 'fixture/bot',
    prefix: 'bot',
    url: server.mcpUrl,
    store: new MemoryTokenStore(),
    interactive: true,
    openBrowser: (url) => void opened.push(url),
    redactor,
    now: () => clock,
  });
  return { auth, spec: { kind: 'remote', url: server.mcpUrl, transport: 'http', headers: {}, auth: authSpec } };
}

async function connect(clientSecret: string, redactor = new Redactor()): Promise<UpstreamConnection> {
  const { auth, spec } = machine(clientSecret, redactor);
  const connection = await connectUpstream(spec, { instance: 'fixture/bot', auth, timeoutMs: 10_000 });
  open.push(connection);
  return connection;
}

async function whoami(connection: UpstreamConnection): Promise<{ clientId: string; serial: number; user: string }> {
  const result = (await connection.client.callTool({ name: 'whoami' })) as CallToolResult;
  const first = result.content[0];
  return JSON.parse(first?.type === 'text' ? first.text : '') as { clientId: string; serial: number; user: string };
}

describe('OAuth client credentials (a machine account)', () => {
  it('gets a token with its own id and secret: no browser, no registration, no authorization', async () => {
    const redactor = new Redactor();
    const connection = await connect(SECRET, redactor);
    const me = await whoami(connection);
    assert.equal(me.clientId, 'bot');
    assert.equal(me.user, 'machine:bot');
    assert.deepEqual(opened, [], 'no browser');
    const stats = await server.stats();
    assert.equal(stats.registrations, 0);
    assert.equal(stats.authorizations, 0);
    assert.equal((await server.grantStats()).clientCredentialGrants, 1);
    assert.ok([...redactor.values()].includes(SECRET), 'the host learns the secret');
    assert.equal(redactor.redact(`x ${SECRET} y`).includes(SECRET), false);
  });

  it('fetches a token again when the upstream refuses the one it has', async () => {
    const connection = await connect(SECRET);
    const first = await whoami(connection);
    const before = (await server.grantStats()).clientCredentialGrants;
    await server.expireAll();
    const second = await whoami(connection);
    assert.notEqual(second.serial, first.serial, 'a new access token');
    assert.equal((await server.grantStats()).clientCredentialGrants, before + 1);
    assert.equal((await server.stats()).authorizations, 0);
  });

  it('does not send a token past its expiry: a new one is fetched', async () => {
    const connection = await connect(SECRET);
    const first = await whoami(connection);
    const before = (await server.grantStats()).clientCredentialGrants;
    clock += 3600_000; // the fixture's tokens live an hour; the server still takes the old one
    try {
      const second = await whoami(connection);
      assert.notEqual(second.serial, first.serial);
      assert.equal((await server.grantStats()).clientCredentialGrants, before + 1);
    } finally {
      clock -= 3600_000;
    }
  });

  it('fails with the server\'s reason and never the secret when the secret is wrong', async () => {
    const wrong = 'wrong-SECRET-value-3';
    await assert.rejects(connect(wrong), (error: Error) => {
      const text = `${error.message} ${String((error as { cause?: unknown }).cause)}`;
      assert.match(text, /invalid_client|client authentication failed/i);
      assert.equal(text.includes(wrong), false);
      return true;
    });
    assert.deepEqual(opened, []);
  });
});
