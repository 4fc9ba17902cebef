// The browser sign-in's checks and registration against the real OAuth fixture server:
// RFC 9207 `iss` in the authorization response (a mix-up attack is refused),
// `application_type: native` in dynamic registration, and a client ID metadata document
// (served over local https) where the server advertises them, registration elsewhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRemoteAuth, defaultCallbackPort, findAuthError, MemoryTokenStore, type RemoteAuth } from '../../../../src/core/auth';
import type { AuthSpec, UpstreamSpec } from '../../../../src/core/config/model';
import { connectUpstream, type UpstreamConnection } from '../../../../src/core/upstream/connect';
import { startOAuthServer, type RunningOAuthServer } from '../../../fixtures/oauth';
import { makeCertificate, serveHttpsDocument, type HttpsCertificate, type HttpsDocument } from '../../../fixtures/oauth/httpsDocument';

const open: UpstreamConnection[] = [];
const auths: RemoteAuth[] = [];
/** What the test's browser saw of each callback page. */
const callbacks: number[] = [];
const browsing: Promise<void>[] = [];

after(async () => {
  await Promise.all(open.map((connection) => connection.close()));
  await Promise.all(auths.map((auth) => auth.close()));
});

/** The user approving in the browser; a refused callback is a page, not a crash. */
async function browse(url: string): Promise<void> {
  const response = await fetch(url).catch(() => undefined);
  callbacks.push(response?.status ?? 0);
  await response?.text();
}

async function signIn(server: RunningOAuthServer, prefix: string, auth: AuthSpec = { type: 'oauth' }): Promise<UpstreamConnection> {
  const remote = createRemoteAuth(auth, {
    instance: `fixture/${prefix}`,
    prefix,
    url: server.mcpUrl,
    store: new MemoryTokenStore(),
    interactive: true,
    openBrowser: (url) => void browsing.push(browse(url)),
    callbackTimeoutMs: 10_000,
  });
  auths.push(remote);
  const spec: UpstreamSpec = { kind: 'remote', url: server.mcpUrl, transport: 'http', headers: {}, auth };
  const connection = await connectUpstream(spec, { instance: `fixture/${prefix}`, auth: remote, timeoutMs: 10_000 });
  open.push(connection);
  return connection;
}

async function whoami(connection: UpstreamConnection): Promise<{ clientId: string }> {
  const result = (await connection.client.callTool({ name: 'whoami' })) as CallToolResult;
  const first = result.content[0];
  return JSON.parse(first?.type === 'text' ? first.text : '') as { clientId: string };
}

function refused(pattern: RegExp): (error: Error) => boolean {
  return (error) => {
    const auth = findAuthError(error);
    assert.equal(auth?.code, 'oauth-callback', `an OAuth callback error, got ${error.message}`);
    assert.match(auth.message, pattern);
    return true;
  };
}

describe('the authorization response and registration', () => {
  let server: RunningOAuthServer;
  before(async () => {
    server = await startOAuthServer();
  });
  after(() => server.stop());

  it('registers as a native application (loopback redirect)', async () => {
    await whoami(await signIn(server, 'native'));
    const [registration] = await server.registrations();
    assert.equal(registration?.['application_type'], 'native');
    assert.deepEqual(registration['redirect_uris'], [`http://127.0.0.1:${defaultCallbackPort(server.mcpUrl, 'native')}/oauth/callback`]);
  });

  it('accepts the right `iss` where the server promises it', async () => {
    await server.grantOptions({ issAdvertised: true, iss: 'correct' });
    assert.ok((await whoami(await signIn(server, 'iss-right'))).clientId);
  });

  it('refuses a response without `iss` where the server promises it', async () => {
    await server.grantOptions({ issAdvertised: true, iss: 'none' });
    await assert.rejects(signIn(server, 'iss-missing'), refused(/^fixture\/iss-missing: the sign-in response has no `iss`, but the authorization server http:\/\/127\.0\.0\.1:\d+\/ promises one \(RFC 9207\); it may be a mix-up attack/));
    await Promise.all(browsing);
    assert.equal(callbacks.at(-1), 400, 'the browser is told it was refused');
  });

  it('refuses another issuer, whether or not the server promises `iss`', async () => {
    for (const issAdvertised of [true, false]) {
      await server.grantOptions({ issAdvertised, iss: 'wrong' });
      const before = (await server.stats()).codeExchanges;
      await assert.rejects(
        signIn(server, `iss-wrong-${issAdvertised}`),
        refused(/says it comes from "https:\/\/attacker\.example\/", not from http:\/\/127\.0\.0\.1:\d+\/ where the sign-in started \(RFC 9207 `iss`\)/),
      );
      assert.equal((await server.stats()).codeExchanges, before, 'the code is never sent');
    }
    await server.grantOptions({ issAdvertised: false, iss: 'none' });
  });
});

describe('client ID metadata documents', () => {
  let certificate: HttpsCertificate;
  let document: HttpsDocument;
  let server: RunningOAuthServer;
  before(async () => {
    certificate = makeCertificate();
    document = await serveHttpsDocument(certificate, '/mcplex/client.json');
    // The authorization server fetches the document over https and trusts the test's certificate.
    server = await startOAuthServer({ NODE_EXTRA_CA_CERTS: certificate.caFile });
    document.set({
      client_id: document.url,
      client_name: 'mcplex',
      redirect_uris: [`http://127.0.0.1:${defaultCallbackPort(server.mcpUrl, 'cimd')}/oauth/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    });
  });
  after(async () => {
    await server.stop();
    await document.close();
    certificate.remove();
  });

  it('uses the document URL as the client id where the server advertises support: no registration', async () => {
    await server.grantOptions({ cimd: true });
    const connection = await signIn(server, 'cimd', { type: 'oauth', clientMetadataUrl: document.url });
    assert.equal((await whoami(connection)).clientId, document.url);
    assert.equal((await server.stats()).registrations, 0);
    assert.ok((await server.grantStats()).cimdFetches >= 1 && document.fetches() >= 1, 'the server fetched the document');
  });

  it('registers dynamically where the server does not advertise it', async () => {
    await server.grantOptions({ cimd: false });
    const connection = await signIn(server, 'cimd', { type: 'oauth', clientMetadataUrl: document.url });
    assert.notEqual((await whoami(connection)).clientId, document.url);
    assert.equal((await server.stats()).registrations, 1);
  });
});
