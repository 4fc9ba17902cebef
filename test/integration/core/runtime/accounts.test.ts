// Two accounts of one OAuth provider in one window, against the real OAuth fixture: each
// sign-in asks for the account chooser (`prompt=select_account`) because another instance
// signs in to the same URL, `auth.loginHint` arrives as `login_hint`, each instance shows
// who it is signed in as (the fixture's ID token), two instances approved as one user get
// the same-account warning (view and log), and an upstream that moves to another
// authorization server makes the instance register again there.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTokenStore, storedIssuer } from '../../../../src/core/auth';
import { WindowRuntime, type FolderInput, type InstanceView } from '../../../../src/core/runtime';
import { approve, startOAuthServer, type RunningOAuthServer } from '../../../fixtures/oauth';
import { until } from '../../../helpers/runtimeWait';

const dir = mkdtempSync(join(tmpdir(), 'mcplex-accounts-'));
const FOLDER_ID = 'file:///two-accounts';
const WORK = `${FOLDER_ID}#fixture/work`;
const PERSONAL = `${FOLDER_ID}#fixture/personal`;

let server: RunningOAuthServer;
const store = new MemoryTokenStore();
/** Who the test's browser approves the next sign-in of each instance as (absent: the login hint or the fixture's default). */
const browserUser = new Map<string, string>();
const warnings: string[] = [];

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
    "label": "Fixture", "url": "${server.mcpUrl}", "transport": "http", "auth": { "type": "oauth" },
    "instances": {
      "work": { "label": "Work", "auth": { "type": "oauth", "loginHint": "work@corp.test" } },
      "personal": { "label": "Personal" }
    }
  } } }`;
  return { id: FOLDER_ID, name: 'accounts', path, file: { path: join(path, '.mcplex.jsonc'), text }, options: { toolPrefix: false, exposure: 'instances' } };
}

async function startRuntime(name: string): Promise<WindowRuntime> {
  return WindowRuntime.start({
    listen: { kind: 'socket', path: join(dir, `${name}.sock`) },
    secrets: { get: async () => undefined },
    env: process.env,
    userHome: dir,
    startup: 'eager',
    tokenStore: store,
    openBrowser: (url) => {
      // The redirect port tells which instance's sign-in this is.
      const port = new URL(new URL(url).searchParams.get('redirect_uri') ?? '').port;
      void approve(url, browserUser.get(port)).catch(() => undefined);
    },
    onWarning: (id, text) => warnings.push(`${id}: ${text}`),
    signInHint: 'use "Sign in" on it',
    signInTimeoutMs: 10_000,
    supervisorOptions: { connectTimeoutMs: 10_000 },
  });
}

const view = (runtime: WindowRuntime, id: string): InstanceView | undefined => runtime.instances().find((instance) => `${instance.folderId}#${instance.key}` === id);
const needsSignIn = (runtime: WindowRuntime, id: string): boolean => view(runtime, id)?.status.kind === 'needs-sign-in';

describe('two accounts of one OAuth provider', () => {
  it('asks for the account chooser, passes the login hint, and shows who each is signed in as', async () => {
    const runtime = await startRuntime('accounts');
    try {
      await runtime.update([folder()], true);
      await until(runtime, () => needsSignIn(runtime, WORK) && needsSignIn(runtime, PERSONAL), 'both need a sign-in');
      await runtime.signIn(WORK);
      await runtime.signIn(PERSONAL);
      const [work, personal] = await server.authorizations();
      assert.equal(work?.['prompt'], 'select_account', 'another instance signs in to this URL: the chooser');
      assert.equal(work?.['login_hint'], 'work@corp.test');
      assert.equal(personal?.['prompt'], 'select_account');
      assert.equal(personal?.['login_hint'], undefined);
      await until(runtime, () => view(runtime, WORK)?.account === 'work@corp.test', 'work shows its identity');
      await until(runtime, () => view(runtime, PERSONAL)?.account === 'user@example.test', 'personal shows its identity');
      assert.equal(view(runtime, WORK)?.accountWarning, undefined);
      assert.deepEqual(warnings, []);
    } finally {
      await runtime.close();
    }
  });

  it('warns when two instances are signed in as the same identity', async () => {
    const runtime = await startRuntime('same');
    try {
      await runtime.update([folder()], true);
      await until(runtime, () => view(runtime, PERSONAL)?.status.kind === 'running', 'personal running on its stored tokens');
      await runtime.signOut(PERSONAL);
      await until(runtime, () => needsSignIn(runtime, PERSONAL), 'personal signed out');
      // The browser still holds work's session, and the user clicks through the chooser with it.
      for (const query of await server.authorizations()) browserUser.set(new URL(query['redirect_uri'] ?? '').port, 'work@corp.test');
      await runtime.signIn(PERSONAL);
      const warned = await until(runtime, () => view(runtime, PERSONAL)?.accountWarning, 'the same-account warning');
      assert.match(warned, /^signed in as work@corp\.test, the same account as Fixture \(Work\)/);
      assert.match(view(runtime, WORK)?.accountWarning ?? '', /the same account as Fixture \(Personal\)/);
      assert.ok(warnings.some((line) => line.startsWith(`${PERSONAL}: signed in as work@corp.test`)), warnings.join('\n'));
      assert.equal(warnings.filter((line) => line.startsWith(`${PERSONAL}:`)).length, 1, 'logged once');
    } finally {
      browserUser.clear();
      await runtime.close();
    }
  });

  it('registers again when the upstream moves to another authorization server', async () => {
    const runtime = await startRuntime('moved');
    try {
      await runtime.update([folder()], true);
      await until(runtime, () => view(runtime, WORK)?.status.kind === 'running', 'work running on its stored tokens');
      const oldIssuer = await storedIssuer(store, WORK, server.mcpUrl);
      const before = await server.stats();
      await server.moveIssuer();
      await runtime.restart(WORK);
      await until(runtime, () => needsSignIn(runtime, WORK), 'work needs a sign-in at the new server');
      await runtime.signIn(WORK);
      assert.equal(view(runtime, WORK)?.status.kind, 'running');
      const after = await server.stats();
      assert.ok(after.registrations > before.registrations, 'a new client registration at the new authorization server');
      const newIssuer = await storedIssuer(store, WORK, server.mcpUrl);
      assert.notEqual(newIssuer, oldIssuer);
      assert.match(newIssuer ?? '', /\/moved$/);
      const last = (await server.authorizations()).at(-1);
      assert.ok(last?.['client_id'] !== undefined);
    } finally {
      await runtime.close();
    }
  });
});
