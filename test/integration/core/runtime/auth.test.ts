// The window runtime with OAuth upstreams: two instances (work, personal) of the real
// OAuth-protected fixture server (test/fixtures/oauth), tokens in a TokenStore as the
// extension keeps them in SecretStorage. Nothing ever opens a sign-in on its own: an
// eager start ends in "needs-sign-in"; the user's "Sign in" (the test fetches the
// authorize URL, standing in for the browser) gets each its own tokens over its own
// callback port; a new runtime over the same store runs without a sign-in; a revocation
// turns into "needs-sign-in" again, with a message that says so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { defaultCallbackPort, MemoryTokenStore, oauthKey, SignInRequiredError, storedIssuer, storedTokens } from '../../../../src/core/auth';
import { createSocketFetch } from '../../../../src/core/host';
import { REDACTED, Redactor } from '../../../../src/core/redaction';
import { RuntimeError, WindowRuntime, type FolderInput, type InstanceView } from '../../../../src/core/runtime';
import { approve, startOAuthServer, type RunningOAuthServer } from '../../../fixtures/oauth';
import { until } from '../../../helpers/runtimeWait';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-rtauth-'));
const FOLDER_ID = 'file:///accounts';
const WORK = `${FOLDER_ID}#fixture/work`;
const PERSONAL = `${FOLDER_ID}#fixture/personal`;
const noSecrets = { get: async () => undefined };

let server: RunningOAuthServer;
const store = new MemoryTokenStore();
/** Every sign-in page the runtime asked to open. */
const opened: string[] = [];
/** The test is the user: it approves whatever page opens. */
const browser = (url: string): void => {
  opened.push(url);
  void approve(url).catch(() => undefined);
};

before(async () => {
  server = await startOAuthServer();
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function folder(): FolderInput {
  const path = join(dir, 'accounts');
  mkdirSync(path, { recursive: true });
  const text = `{ "servers": { "fixture": {
    "label": "Fixture", "url": "${server.mcpUrl}", "transport": "http", "auth": { "type": "oauth", "scopes": ["read"] },
    "instances": { "work": { "label": "Work" }, "personal": { "label": "Personal" } }
  } } }`;
  return { id: FOLDER_ID, name: 'accounts', path, file: { path: join(path, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure: 'instances' } };
}

async function startRuntime(name: string, redactor?: Redactor): Promise<WindowRuntime> {
  return WindowRuntime.start({
    ...(redactor !== undefined && { redactor }),
    listen: { kind: 'socket', path: join(dir, `${name}.sock`) },
    secrets: noSecrets,
    env: process.env,
    userHome: dir,
    startup: 'eager',
    tokenStore: store,
    openBrowser: browser,
    signInHint: 'use "Sign in" on it',
    signInTimeoutMs: 10_000,
    supervisorOptions: { connectTimeoutMs: 10_000 },
  });
}

const view = (runtime: WindowRuntime, id: string): InstanceView | undefined => runtime.instances().find((instance) => `${instance.folderId}#${instance.key}` === id);


const statusOf = (runtime: WindowRuntime, id: string) => view(runtime, id)?.status;
const needsSignIn = (runtime: WindowRuntime, id: string) => {
  const status = statusOf(runtime, id);
  return status?.kind === 'needs-sign-in' ? status : undefined;
};

/** Calls `whoami` through the runtime's host, as VS Code does (the definition's URL and token). */
async function whoami(runtime: WindowRuntime, id: string): Promise<{ clientId: string; serial: number }> {
  const definition = runtime.definitions().find((candidate) => candidate.id === id);
  assert.ok(definition, `a definition for ${id}`);
  const match = /^unix:\/\/(.+)#(\/.*)$/.exec(definition.url);
  assert.ok(match);
  const [, socketPath = '', path = ''] = match;
  const transport = new StreamableHTTPClientTransport(new URL(`http://localhost${path}`), { requestInit: { headers: { ...definition.headers } }, fetch: createSocketFetch(socketPath) });
  const client = new Client({ name: 'vscode-like', version: '0' });
  await client.connect(transport);
  try {
    const result = (await client.callTool({ name: 'whoami' })) as CallToolResult;
    const first = result.content[0];
    if (result.isError === true || first?.type !== 'text') throw new Error(`whoami failed: ${JSON.stringify(result.content)}`);
    return JSON.parse(first.text) as { clientId: string; serial: number };
  } finally {
    await client.close();
  }
}

async function storedAccessToken(id: string): Promise<string | undefined> {
  const text = await storedTokens(store, id, server.mcpUrl);
  return text === undefined ? undefined : (JSON.parse(text) as { access_token: string }).access_token;
}

describe('WindowRuntime with OAuth upstreams', () => {
  it('never opens a sign-in on its own: an eager start ends in needs-sign-in, and resolve without leave says so', async () => {
    const runtime = await startRuntime('quiet');
    try {
      await runtime.update([folder()], true);
      const work = await until(runtime, () => needsSignIn(runtime, WORK), 'work needs a sign-in');
      await until(runtime, () => needsSignIn(runtime, PERSONAL), 'personal needs a sign-in');
      assert.equal(work.message, 'fixture/work needs you to sign in: use "Sign in" on it');
      assert.equal(view(runtime, WORK)?.signsIn, true);
      // Not retried behind the user's back: it stays put.
      const before = await server.stats();
      await new Promise((resolve) => setTimeout(resolve, 1200));
      assert.equal((await server.stats()).mcpRequests, before.mcpRequests, 'no retries while waiting for the user');
      await assert.rejects(runtime.ensureRunning(WORK), (error: unknown) => error instanceof RuntimeError && error.code === 'needs-sign-in' && /needs you to sign in/.test(error.message));
      assert.equal(opened.length, 0, 'no browser opened');
    } finally {
      await runtime.close();
    }
  });

  it('signs both in on the user\'s action: their own tokens, their own callback ports, both running', async () => {
    // The window's redactor (what its log hides) learns each instance's tokens.
    const redactor = new Redactor();
    const runtime = await startRuntime('signin', redactor);
    try {
      await runtime.update([folder()], true);
      await until(runtime, () => needsSignIn(runtime, WORK) && needsSignIn(runtime, PERSONAL), 'both need a sign-in');
      await Promise.all([runtime.signIn(WORK), runtime.signIn(PERSONAL)]);
      assert.equal(statusOf(runtime, WORK)?.kind, 'running');
      assert.equal(statusOf(runtime, PERSONAL)?.kind, 'running');
      assert.equal(opened.length, 2, 'one browser sign-in each');
      const redirects = opened.map((url) => new URL(url).searchParams.get('redirect_uri'));
      const ports = [defaultCallbackPort(server.mcpUrl, 'work'), defaultCallbackPort(server.mcpUrl, 'personal')];
      assert.notEqual(ports[0], ports[1]);
      assert.deepEqual(new Set(redirects), new Set(ports.map((port) => `http://127.0.0.1:${port}/oauth/callback`)));

      const [workToken, personalToken] = [await storedAccessToken(WORK), await storedAccessToken(PERSONAL)];
      assert.ok(workToken !== undefined && personalToken !== undefined, 'tokens stored under each instance\'s own key (folder and instance)');
      assert.notEqual(workToken, personalToken);
      assert.equal(redactor.redact(`work ${workToken} personal ${personalToken}`), `work ${REDACTED} personal ${REDACTED}`);
      const [me, them] = [await whoami(runtime, WORK), await whoami(runtime, PERSONAL)];
      assert.notEqual(me.clientId, them.clientId, 'each instance registered its own client');
    } finally {
      await runtime.close();
    }
  });

  it('runs without a sign-in after a restart over the same store', async () => {
    const before = await server.stats();
    const openedBefore = opened.length;
    const runtime = await startRuntime('again');
    try {
      await runtime.update([folder()], true);
      await until(runtime, () => statusOf(runtime, WORK)?.kind === 'running' && statusOf(runtime, PERSONAL)?.kind === 'running', 'both running');
      assert.ok((await whoami(runtime, WORK)).clientId);
      const afterwards = await server.stats();
      assert.equal(afterwards.authorizations, before.authorizations, 'no new authorization');
      assert.equal(afterwards.registrations, before.registrations, 'no new client');
      assert.equal(opened.length, openedBefore);
    } finally {
      await runtime.close();
    }
  });

  it('turns a revocation mid-session into needs-sign-in with a clear message; resolve signs in again', async () => {
    const runtime = await startRuntime('revoke');
    try {
      await runtime.update([folder()], true);
      await until(runtime, () => statusOf(runtime, WORK)?.kind === 'running' && statusOf(runtime, PERSONAL)?.kind === 'running', 'both running');
      await server.revokeAll();
      await assert.rejects(whoami(runtime, WORK), /needs you to sign in/);
      const work = await until(runtime, () => needsSignIn(runtime, WORK), 'work needs a sign-in after the revocation');
      assert.equal(work.message, 'fixture/work needs you to sign in: use "Sign in" on it');
      assert.equal(await storedAccessToken(WORK), undefined, 'the dead tokens are gone');

      // VS Code's resolve (the user started the server) may sign in.
      const openedBefore = opened.length;
      await runtime.ensureRunning(WORK, { interactive: true });
      assert.equal(statusOf(runtime, WORK)?.kind, 'running');
      assert.equal(opened.length, openedBefore + 1);
      assert.ok((await whoami(runtime, WORK)).clientId);
    } finally {
      await runtime.close();
    }
  });

  it('signs out: the tokens leave the store and the instance needs a sign-in; other auth kinds have none', async () => {
    const runtime = await startRuntime('signout');
    try {
      await runtime.update([folder()], true);
      await until(runtime, () => statusOf(runtime, WORK)?.kind === 'running', 'work running');
      // The revocation above took personal's tokens too.
      await until(runtime, () => needsSignIn(runtime, PERSONAL), 'personal needs a sign-in');
      await runtime.signIn(PERSONAL);
      const personalToken = await storedAccessToken(PERSONAL);
      assert.ok(await storedAccessToken(WORK));
      const issuer = await storedIssuer(store, WORK, server.mcpUrl);
      assert.ok(issuer);
      const clientBefore = await store.get(oauthKey(WORK, server.mcpUrl, 'client', issuer));
      await runtime.signOut(WORK);
      await until(runtime, () => needsSignIn(runtime, WORK), 'work needs a sign-in after signing out');
      assert.equal(await storedAccessToken(WORK), undefined);
      // The quiet start after it may register a client again, never the old one.
      assert.notEqual(await store.get(oauthKey(WORK, server.mcpUrl, 'client', issuer)), clientBefore, 'the client registration is forgotten too');
      assert.equal(statusOf(runtime, PERSONAL)?.kind, 'running', 'personal is left alone');
      assert.equal(await storedAccessToken(PERSONAL), personalToken);
      await assert.rejects(runtime.signIn('file:///accounts#fixture/nobody'), (error: unknown) => error instanceof RuntimeError && error.code === 'unknown-instance');
    } finally {
      await runtime.close();
    }
  });

  it('a VS Code account: looked up quietly, asked for on "Sign in", shown as who it is, let go on "Sign out"', async () => {
    // The fixture accepts the tokens it issued: personal's stands in for a VS Code session's.
    const token = await storedAccessToken(PERSONAL);
    assert.ok(token);
    const asked: { interactive: boolean; previous: string | undefined }[] = [];
    let signedInToVsCode = false;
    const path = join(dir, 'vs');
    mkdirSync(path, { recursive: true });
    const text = `{ "servers": { "gh": { "url": "${server.mcpUrl}", "transport": "http",
      "auth": { "type": "vscode", "provider": "github", "scopes": ["repo"], "account": "me-at-work" }, "instances": { "work": {} } } } }`;
    const runtime = await WindowRuntime.start({
      listen: { kind: 'socket', path: join(dir, 'vs.sock') },
      secrets: noSecrets,
      env: process.env,
      userHome: dir,
      startup: 'eager',
      signInHint: 'use "Sign in" on it',
      vscodeToken: async (auth, previous, request) => {
        asked.push({ interactive: request.interactive, previous });
        assert.equal(auth.account, 'me-at-work');
        if (request.interactive) signedInToVsCode = true;
        if (!signedInToVsCode) throw new SignInRequiredError(request.instance, 'no GitHub session; use "Sign in" on it');
        return { token, account: 'me-at-work' };
      },
    });
    const id = 'file:///vs#gh/work';
    try {
      await runtime.update([{ id: 'file:///vs', name: 'vs', path, file: { path: join(path, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure: 'instances' } }], true);
      const waiting = await until(runtime, () => needsSignIn(runtime, id), 'the VS Code account needs a sign-in');
      assert.equal(waiting.message, 'gh/work needs you to sign in: no GitHub session; use "Sign in" on it');
      assert.ok(asked.every((call) => !call.interactive), 'never asked interactively on its own');

      await runtime.signIn(id);
      assert.equal(statusOf(runtime, id)?.kind, 'running');
      assert.equal(view(runtime, id)?.account, 'me-at-work');
      assert.ok(asked.some((call) => call.interactive));
      assert.ok((await whoami(runtime, id)).clientId);

      const before = asked.length;
      await runtime.signOut(id);
      await until(runtime, () => needsSignIn(runtime, id), 'needs a sign-in after signing out');
      assert.equal(asked.length, before, 'signed out: the quiet path does not take the session again');
      assert.equal(view(runtime, id)?.account, undefined);
    } finally {
      await runtime.close();
    }
  });
});
