// Credentials in the extension, with the fake VS Code: OAuth tokens in SecretStorage under
// their own namespace, VS Code accounts asked for silently on the quiet path and with a
// dialog only on the user's action or resolve, "Sign In" / "Sign Out" from the tree and
// the palette, the tree's needs-sign-in and "signed in as", a secret changed elsewhere
// re-syncing, the schema served under our scheme, and Add Account Instance's account pick.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { parse } from 'jsonc-parser';
import { URI } from 'vscode-uri';
import { oauthKey, SignInRequiredError } from '../../../../src/core/auth';
import type { VscodeAuth } from '../../../../src/core/auth/remoteAuth';
import { SCHEMA_URL } from '../../../../src/core/edit';
import type { DefinitionSpec, InstanceStatus, InstanceView } from '../../../../src/core/runtime';
import { addAccountInstance } from '../../../../src/extension/addInstance/addInstanceFlow';
import { COMMANDS } from '../../../../src/extension/commands/commands';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import { InstanceActions } from '../../../../src/extension/commands/instanceActions';
import { changedSecretName, McplexWindow, SIGN_IN_HINT, type RuntimeStartRequest } from '../../../../src/extension/mcplexWindow';
import { BACK } from '../../../../src/extension/addInstance/prompter';
import { byLabel, ScriptedPrompter } from '../../../helpers/scriptedPrompter';
import { SCHEMA_SCHEME } from '../../../../src/extension/inputs/schemaDocument';
import { SECRET_KEY_PREFIX } from '../../../../src/extension/credentials/secrets';
import { statusBarView } from '../../../../src/extension/view/statusBar';
import { SecretStorageTokenStore, TOKEN_KEY_PREFIX, tokenStorageKey } from '../../../../src/extension/credentials/tokenStorage';
import { buildTree, type InstanceNode, type ServerNode } from '../../../../src/extension/view/treeModel';
import { openExternalUrl, VscodeAccountError, vscodeTokenSource } from '../../../../src/extension/credentials/vscodeAccounts';
import { createFakeVscode, FakeSecretStorage } from '../../../helpers/fakeVscode';
import { FakeRuntime } from '../../../helpers/fakeRuntime';
import { ManualTimers } from '../../../helpers/manualTimers';

const APP = '/ws/app';
const FOLDER_ID = URI.file(APP).toString();
const SOCKET_BASE = mkdtempSync(join(tmpdir(), 'mcplex-unit-cred-'));
after(() => rmSync(SOCKET_BASE, { recursive: true, force: true }));

function view(instanceId: string, status: InstanceStatus, extra: Partial<InstanceView> = {}): InstanceView {
  return {
    folderId: FOLDER_ID,
    key: `notion/${instanceId}`,
    serverId: 'notion',
    instanceId,
    prefix: instanceId,
    slug: `notion-${instanceId}`,
    label: `Notion · ${instanceId}`,
    serverLabel: 'Notion',
    instanceLabel: instanceId[0]?.toUpperCase() + instanceId.slice(1),
    status,
    definitionId: `${FOLDER_ID}#notion/${instanceId}`,
    ...extra,
  };
}

function instanceNodes(views: readonly InstanceView[]): InstanceNode[] {
  return buildTree(views, [{ id: FOLDER_ID, name: 'app' }]).flatMap((folder) =>
    folder.children.filter((child): child is ServerNode => child.kind === 'server').flatMap((server) => [...server.children]),
  );
}

// ---- the token store ------------------------------------------------------------------------

test('OAuth records live in SecretStorage under mcplex.oauth.<key>, apart from ${secret:…} values', async () => {
  const storage = new FakeSecretStorage();
  const store = new SecretStorageTokenStore(storage);
  const key = oauthKey('file:///ws/app#notion/work', 'https://mcp.notion.com/mcp', 'tokens');
  await store.set(key, '{"access_token":"at-1"}');
  const [stored] = [...storage.values.keys()];
  assert.ok(stored !== undefined && stored.startsWith(TOKEN_KEY_PREFIX), stored);
  assert.ok(!stored.startsWith(SECRET_KEY_PREFIX));
  assert.equal(stored, `mcplex.oauth.file:///ws/app#notion/work/${key.split('/').at(-2)}/tokens`);
  assert.equal(tokenStorageKey(key), stored);
  assert.equal(await store.get(key), '{"access_token":"at-1"}');
  // Another instance's key reads nothing of it.
  assert.equal(await store.get(oauthKey('file:///ws/app#notion/personal', 'https://mcp.notion.com/mcp', 'tokens')), undefined);
  await store.delete(key);
  assert.equal(storage.values.size, 0);
  // A token change is not a ${secret:…} change: no re-sync for it.
  assert.equal(changedSecretName(stored), undefined);
  assert.equal(changedSecretName(`${SECRET_KEY_PREFIX}github-work`), 'github-work');
});

// ---- VS Code accounts -------------------------------------------------------------------------

const GITHUB: VscodeAuth = { type: 'vscode', provider: 'github', scopes: ['repo'], account: 'me-at-work' };

test('the quiet path only looks a session up (silent, never createIfNone) and says "needs you to sign in" when there is none', async () => {
  const { state, api } = createFakeVscode();
  const auth = state.authentication;
  auth.accounts.set('github', [{ id: 'a1', label: 'me' }, { id: 'a2', label: 'me-at-work' }]);
  const source = vscodeTokenSource(api.authentication, 'sign in');
  await assert.rejects(source(GITHUB, undefined, { instance: 'github/work', interactive: false }), (error: unknown) => {
    assert.ok(error instanceof SignInRequiredError);
    assert.equal(error.message, 'github/work needs you to sign in: no GitHub session as "me-at-work" with the scopes it needs; sign in');
    return true;
  });
  assert.deepEqual(auth.calls.map((call) => call.options), [{ account: { id: 'a2', label: 'me-at-work' }, silent: true }]);

  auth.tokens.set('github|me-at-work', 'gho_work');
  auth.tokens.set('github|me', 'gho_me');
  assert.deepEqual(await source(GITHUB, undefined, { instance: 'github/work', interactive: false }), { token: 'gho_work', account: 'me-at-work' });
  // The server rejected that token: quietly, nothing better can be had; ask the user.
  await assert.rejects(source(GITHUB, 'gho_work', { instance: 'github/work', interactive: false }), /rejected the session's token/);
  for (const call of auth.calls) {
    assert.equal(call.options['silent'], true);
    assert.equal(call.options['createIfNone'], undefined);
    assert.equal(call.options['forceNewSession'], undefined);
  }
});

test('on the user\'s action a dialog may ask: createIfNone, forceNewSession for a rejected token, and the chosen account is checked', async () => {
  const { state, api } = createFakeVscode();
  const auth = state.authentication;
  const source = vscodeTokenSource(api.authentication, 'sign in');
  state.authentication.dialogAccount = { id: 'a2', label: 'me-at-work' };
  const grant = await source(GITHUB, undefined, { instance: 'github/work', interactive: true });
  assert.deepEqual(grant, { token: 'token-me-at-work', account: 'me-at-work' });
  assert.ok(auth.calls[0]?.options['createIfNone'] !== undefined);
  assert.equal(auth.calls[0]?.options['silent'], undefined);

  const fresh = await source(GITHUB, 'token-me-at-work', { instance: 'github/work', interactive: true });
  assert.equal(fresh.token, 'fresh-me-at-work');
  assert.ok(auth.calls[1]?.options['forceNewSession'] !== undefined);

  state.authentication.dialogAccount = { id: 'a1', label: 'me' };
  await assert.rejects(source({ ...GITHUB, account: 'someone-else' }, undefined, { instance: 'github/work', interactive: true }), (error: unknown) => {
    assert.ok(error instanceof VscodeAccountError);
    assert.match(error.message, /wants the GitHub account "someone-else", but the sign-in was for "me"/);
    return true;
  });
});

test('a sign-in page opens with the URL exactly as given (a parsed Uri would re-encode its query)', async () => {
  const { state, api } = createFakeVscode();
  const url = 'https://auth.example.com/authorize?scope=read+write&redirect_uri=http%3A%2F%2F127.0.0.1%3A50000%2Foauth%2Fcallback';
  await openExternalUrl(api, url);
  assert.deepEqual(state.openedExternally, [url]);
});

// ---- the window: provide never prompts, resolve may; secrets; the schema ---------------------------

const DEFINITION: DefinitionSpec = {
  id: `${FOLDER_ID}#notion/work`,
  label: 'Notion · Work',
  url: 'unix:///tmp/x.sock#/i/notion-work',
  headers: { 'X-Mcplex-Token': 't' },
  version: 'v1',
  instanceKeys: [`${FOLDER_ID}#notion/work`],
};

async function activate() {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  state.files.set(`${APP}/.mcplex.jsonc`, '{ "servers": {} }');
  const runtime = new FakeRuntime();
  runtime.definitionList = [DEFINITION];
  const requests: RuntimeStartRequest[] = [];
  const timers = new ManualTimers();
  const window = await McplexWindow.start(api, { secrets: state.secrets as never }, {
    startRuntime: async (request) => {
      requests.push(request);
      return runtime;
    },
    platform: 'linux',
    tmpdir: SOCKET_BASE,
    randomId: 'cred01',
    env: {},
    userHome: '/home/u',
    timers,
  });
  await window.sync.ready;
  for (let i = 0; i < 10; i++) await tick();
  return { api, state, runtime, window, requests, timers };
}

test('provide never prompts; resolve starts the instance interactively; the runtime gets the credential plumbing', async () => {
  const { state, runtime, window, requests } = await activate();
  try {
    const provider = state.providers[0]?.provider;
    assert.ok(provider);
    const definitions = await provider.provideMcpServerDefinitions();
    assert.equal(definitions.length, 1);
    assert.deepEqual(runtime.ensured, [], 'provide starts nothing');
    assert.equal(state.authentication.calls.length, 0, 'provide asks no account');
    assert.deepEqual(state.openedExternally, [], 'provide opens no page');

    const first = definitions[0];
    assert.ok(first && provider.resolveMcpServerDefinition);
    await provider.resolveMcpServerDefinition(first);
    assert.deepEqual(runtime.ensured, [DEFINITION.id]);
    assert.deepEqual(runtime.ensuredOptions, [{ interactive: true }]);

    const request = requests[0];
    assert.ok(request);
    assert.equal(request.signInHint, SIGN_IN_HINT);
    await request.tokenStore.set('mcplex.oauth/x/d/tokens', 'v');
    assert.deepEqual([...state.secrets.values.keys()], ['mcplex.oauth.x/d/tokens']);
    await request.openBrowser('https://auth.example.com/authorize?scope=a+b');
    assert.deepEqual(state.openedExternally, ['https://auth.example.com/authorize?scope=a+b']);
    // The runtime's quiet path reaches VS Code silently.
    await assert.rejects(request.vscodeToken(GITHUB, undefined, { instance: 'github/work', interactive: false }), SignInRequiredError);
    assert.equal(state.authentication.calls[0]?.options['silent'], true);
  } finally {
    await window.close();
  }
});

test('a ${secret:…} stored or cleared elsewhere re-syncs; an OAuth record does not; close stops listening', async () => {
  const { state, runtime, window, timers } = await activate();
  const updates = runtime.updates.length;
  await state.secrets.store('mcplex.oauth.file:///ws/app#notion/work/abc/tokens', '{}');
  timers.advance(1_000);
  for (let i = 0; i < 10; i++) await tick();
  assert.equal(runtime.updates.length, updates, 'a token change is not a config change');
  await state.secrets.store(`${SECRET_KEY_PREFIX}notion-work-key`, 'v');
  timers.advance(1_000);
  for (let i = 0; i < 10; i++) await tick();
  assert.equal(runtime.updates.length, updates + 1);
  assert.match(state.log.lines.join('\n'), /secret notion-work-key changed/);
  assert.ok(!state.log.lines.join('\n').includes('"v"'));
  await window.close();
  assert.equal(state.secrets.changes.listenerCount, 0, 'no SecretStorage listener left');
});

test('the schema is served under our scheme: the $id is the URI created files name', async () => {
  const { state, window } = await activate();
  try {
    const provider = state.contentProviders.get(SCHEMA_SCHEME);
    assert.ok(provider, 'a content provider for mcplex-schema:');
    const text = provider.provideTextDocumentContent(URI.parse(SCHEMA_URL)) ?? '';
    const schema = JSON.parse(text) as { $id?: string; properties?: { servers?: unknown } };
    assert.equal(schema.$id, SCHEMA_URL);
    assert.equal(SCHEMA_URL, 'mcplex-schema:/mcplex.schema.json');
    assert.ok(schema.properties?.servers);
  } finally {
    await window.close();
  }
  assert.equal(state.contentProviders.size, 0, 'unregistered on close');
});

// ---- Sign In / Sign Out and the tree ------------------------------------------------------------

test('Sign In / Sign Out from the tree act on that instance; from the palette only instances that sign in are offered', async () => {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  const runtime = new FakeRuntime();
  runtime.instanceList = [
    view('work', { kind: 'needs-sign-in', message: 'notion/work needs you to sign in: use "Sign In"' }, { signsIn: true }),
    view('personal', { kind: 'running' }, { signsIn: true, account: 'me@home.example' }),
    view('plain', { kind: 'running' }),
  ];
  const log: string[] = [];
  const actions = new InstanceActions({ api, runtime, log: { info: (line) => void log.push(line), showInstance: () => undefined }, files: new ConfigFiles(api), configChanged: () => undefined });
  const [work, personal] = instanceNodes(runtime.instanceList);
  await actions.signIn(work);
  await actions.signOut(personal);
  assert.deepEqual(runtime.calls, [`signIn ${FOLDER_ID}#notion/work`, `signOut ${FOLDER_ID}#notion/personal`]);
  assert.match(log[0] ?? '', /notion\/work: signed in/);

  state.quickPickAnswer = 1;
  await actions.signIn(undefined);
  const offered = (state.quickPicks[0]?.items as { instance: InstanceView }[]).map((item) => item.instance.instanceId);
  assert.deepEqual(offered, ['work', 'personal'], 'the plain instance has no sign-in');
  assert.equal(runtime.calls.at(-1), `signIn ${FOLDER_ID}#notion/personal`);
  assert.match(log.at(-1) ?? '', /signed in as me@home\.example/);

  runtime.instanceList = [view('plain', { kind: 'running' })];
  const calls = runtime.calls.length;
  await actions.signOut(undefined);
  assert.equal(runtime.calls.length, calls);
  assert.match(state.informationMessages.at(-1)?.message ?? '', /No instance signs in/);
});

test('the commands are registered and a failed sign-in is shown to the user', async () => {
  const { state, runtime, window } = await activate();
  try {
    runtime.instanceList = [view('work', { kind: 'needs-sign-in', message: 'm' }, { signsIn: true })];
    runtime.startError = new Error('the sign-in did not finish within 5 minutes; sign in again');
    const [work] = instanceNodes(runtime.instanceList);
    await state.commands.get(COMMANDS.signIn)?.(work);
    assert.match(state.errorMessages.at(-1) ?? '', /MCPlex: the sign-in did not finish within 5 minutes/);
    assert.ok(state.commands.has(COMMANDS.signOut));
  } finally {
    await window.close();
  }
});

test('the tree: needs-sign-in with its action and message; "signed in as" when the provider told', () => {
  const [work, personal, plain] = instanceNodes([
    view('work', { kind: 'needs-sign-in', message: 'notion/work needs you to sign in: use "Sign In"' }, { signsIn: true }),
    view('personal', { kind: 'running' }, { signsIn: true, account: 'me@home.example', tools: [] }),
    view('plain', { kind: 'running' }),
  ]);
  assert.equal(work?.description, 'work · needs a sign-in');
  assert.equal(work?.contextValue, 'instance.needsSignIn.auth');
  assert.deepEqual(work?.icon, { id: 'account', color: 'list.warningForeground' });
  assert.match(work?.tooltip ?? '', /notion\/work needs you to sign in: use "Sign In"/);
  assert.equal(personal?.description, 'personal · running · signed in as me@home.example · 0 tools');
  assert.equal(personal?.contextValue, 'instance.running.auth');
  assert.match(personal?.tooltip ?? '', /Signed in as me@home\.example/);
  assert.equal(plain?.contextValue, 'instance.running', 'no sign-in actions for other instances');

  const bar = statusBarView([view('work', { kind: 'needs-sign-in', message: 'm' }), view('personal', { kind: 'running' })], true);
  assert.equal(bar.text, '$(account) 1 needs a sign-in');
});

test('the manifest offers Sign In inline on a needs-sign-in instance and both in the context menu of instances that sign in', async () => {
  const { readFileSync } = await import('node:fs');
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[]; menus: Record<string, { command: string; when?: string; group?: string }[]> };
  };
  const commands = manifest.contributes.commands.map((command) => command.command);
  assert.ok(commands.includes(COMMANDS.signIn) && commands.includes(COMMANDS.signOut));
  const context = manifest.contributes.menus['view/item/context'] ?? [];
  const matches = (when: string | undefined, viewItem: string): boolean => {
    const pattern = /viewItem =~ \/(.+?)\/(?: |$)/.exec(when ?? '')?.[1];
    if (pattern !== undefined) return new RegExp(pattern).test(viewItem);
    return (when ?? '').includes(`viewItem == ${viewItem}`);
  };
  const menuFor = (viewItem: string, group: RegExp) => context.filter((entry) => group.test(entry.group ?? '') && matches(entry.when, viewItem)).map((entry) => entry.command);
  assert.ok(menuFor('instance.needsSignIn.auth', /^inline/).includes(COMMANDS.signIn));
  assert.ok(!menuFor('instance.running.auth', /^inline/).includes(COMMANDS.signIn));
  assert.deepEqual(menuFor('instance.running.auth', /^4_account/), [COMMANDS.signIn, COMMANDS.signOut]);
  assert.deepEqual(menuFor('instance.running', /^4_account/), []);
  // The lifecycle actions still apply to instances that sign in.
  assert.ok(menuFor('instance.running.auth', /^inline/).includes(COMMANDS.stopInstance));
  // (A failed one offers Restart, its one way back: issue 16.)
  assert.ok(menuFor('instance.failed.auth', /^1_lifecycle/).includes(COMMANDS.restartInstance));
  assert.ok(menuFor('instance.stopped.auth', /^1_lifecycle/).includes(COMMANDS.startInstance));
});

// ---- Add Account Instance: a VS Code account per instance ----------------------------------------


const GITHUB_CONFIG = `{
  "servers": {
    "github": {
      "url": "https://api.githubcopilot.com/mcp/",
      "auth": { "type": "vscode", "provider": "github", "scopes": ["repo"] },
      "instances": { "work": { "auth": { "type": "vscode", "provider": "github", "scopes": ["repo"], "account": "me-at-work" } } }
    }
  }
}
`;

test('Add Account Instance lists the accounts VS Code knows for a vscode-auth server and writes the chosen one (back skips nothing)', async () => {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  state.files.set(`${APP}/.mcplex.jsonc`, GITHUB_CONFIG);
  const runtime = new FakeRuntime();
  let offered: string[] = [];
  const prompter = new ScriptedPrompter([
    // One server in the folder: not asked.
    { input: () => 'personal' },
    { input: () => 'Personal' },
    { pick: (labels) => ((offered = labels), labels.indexOf('me')) },
    { pick: () => BACK }, // the values step: back to the account
    { pick: (labels) => labels.indexOf('me') },
    { pick: byLabel('Write the instance') },
  ]);
  const added = await addAccountInstance({
    prompter,
    files: new ConfigFiles(api),
    storeSecret: async () => undefined,
    instances: () => runtime.instances(),
    configChanged: () => undefined,
    accounts: async (provider) => (provider === 'github' ? ['me-at-work', 'me'] : []),
  });
  assert.equal(added?.prefix, 'personal');
  assert.deepEqual(offered, ['me-at-work', 'me', 'Another GitHub account']);
  assert.equal(prompter.asked.filter((question) => question.startsWith('pick Which GitHub account')).length, 2);
  assert.deepEqual(instancesOf(state.files.get(`${APP}/.mcplex.jsonc`))['personal'], {
    label: 'Personal',
    // An instance's auth replaces its server's whole: the server's, with the account.
    auth: { type: 'vscode', provider: 'github', scopes: ['repo'], account: 'me' },
  });
});

function instancesOf(text: string | undefined): Record<string, unknown> {
  const config = parse(text ?? '') as { servers: { github: { instances: Record<string, unknown> } } };
  return config.servers.github.instances;
}

test('Add Account Instance: "another account" writes no account (the server\'s auth, any account at sign-in)', async () => {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  state.files.set(`${APP}/.mcplex.jsonc`, GITHUB_CONFIG);
  const prompter = new ScriptedPrompter([
    // One server in the folder: not asked.
    { input: () => 'team' },
    { input: () => 'Team' },
    { pick: byLabel('Another GitHub account') },
    { pick: byLabel('Write the instance') },
  ]);
  await addAccountInstance({ prompter, files: new ConfigFiles(api), storeSecret: async () => undefined, instances: () => [], configChanged: () => undefined, accounts: async () => ['me'] });
  assert.deepEqual(instancesOf(state.files.get(`${APP}/.mcplex.jsonc`))['team'], { label: 'Team' }, 'inherits the server\'s auth: any account, picked at sign-in');
  assert.equal(prompter.asked.filter((question) => question.startsWith('pick Which GitHub account')).length, 1);
});
