// `auth` in the configuration: what the validator accepts and says, how an instance
// overrides its server's, how secrets in it resolve (and stay out of the redacted twin and
// of problems), and that the JSON Schema agrees with the validator on every rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchema, schemaAjv } from '../../../helpers/schemaValidator';
import { loadConfig, parseConfig, type SubstitutionContext } from '../../../../src/core/config/index';
import { hasErrors } from '../../../../src/core/problems';

const SECRET = 'tok-VALUE-never-shown-42';

function context(secrets: Record<string, string> = { tok: SECRET }, env: Record<string, string> = {}): SubstitutionContext {
  return { env, secrets: { get: (name) => Promise.resolve(secrets[name]) }, workspaceFolder: '/ws', userHome: '/home/me' };
}

function remote(serverAuth: unknown, instances: Record<string, unknown> = { work: {} }): string {
  return JSON.stringify({ servers: { svc: { url: 'https://mcp.example.com/mcp', ...(serverAuth === undefined ? {} : { auth: serverAuth }), instances } } }, null, 2);
}

function messages(text: string): string[] {
  return parseConfig(text, 'f.jsonc').problems.map((problem) => `${problem.severity}:${problem.code}: ${problem.message}`);
}

describe('auth: validation', () => {
  it('accepts each type in its documented shape', () => {
    for (const auth of [
      { type: 'bearer', token: '${secret:tok}' },
      { type: 'headers', headers: { 'X-Api-Key': '${env:KEY}' } },
      { type: 'command', command: 'gh', args: ['auth', 'token'], ttl: 3600 },
      { type: 'oauth' },
      { type: 'oauth', scopes: ['read'], clientId: 'id', clientSecret: '${secret:cs}', callbackPort: 49200, clientName: 'mcplex' },
      { type: 'vscode', provider: 'github', scopes: ['repo'], account: 'me@work' },
      { type: 'oauth', loginHint: 'me@work.example' },
      { type: 'oauth', grant: 'client_credentials', clientId: 'bot', clientSecret: '${secret:cs}', scopes: ['read'] },
      { type: 'oauth', grant: 'authorization_code', clientMetadataUrl: 'https://example.com/mcplex/client.json', callbackPort: 49200 },
    ]) {
      assert.deepEqual(messages(remote(auth)), [], JSON.stringify(auth));
    }
  });

  it('says what is wrong, with the fix', () => {
    assert.match(messages(remote({}))[0] ?? '', /`auth` of server `svc` needs `type`: one of `bearer`/);
    assert.match(messages(remote({ type: 'baerer', token: 'x' }))[0] ?? '', /must be one of .* Did you mean `bearer`\?/);
    assert.match(messages(remote({ type: 'bearer' }))[0] ?? '', /of type `bearer` needs `token`, e.g./);
    assert.match(messages(remote({ type: 'bearer', token: 'x', scopes: [] }))[0] ?? '', /unknown-key: Unknown key `scopes`/);
    assert.match(messages(remote({ type: 'bearer', token: ' ' }))[0] ?? '', /`auth.token` of server `svc` is empty/);
    assert.match(messages(remote({ type: 'bearer', token: '${secret:}' }))[0] ?? '', /needs a name/);
    assert.match(messages(remote({ type: 'command', command: 'gh', ttl: 1.5 }))[0] ?? '', /`auth.ttl` .* must be a number of seconds/);
    assert.match(messages(remote({ type: 'oauth', clientSecret: 'x' }))[0] ?? '', /has `clientSecret` but no `clientId`/);
    assert.match(messages(remote({ type: 'oauth', callbackPort: 70000 }))[0] ?? '', /TCP port from 1 to 65535/);
    assert.match(messages(remote({ type: 'oauth', loginHint: '' }))[0] ?? '', /`auth.loginHint` of server `svc` is empty/);
    assert.match(messages(remote({ type: 'oauth', loginHint: ['a'] }))[0] ?? '', /`auth.loginHint` of server `svc` must be a string/);
    assert.match(messages(remote({ type: 'bearer', token: 'x', loginHint: 'me' }))[0] ?? '', /unknown-key: Unknown key `loginHint`/);
    assert.match(messages(remote({ type: 'vscode', provider: 'gitlab', scopes: [] }))[0] ?? '', /`github` or `microsoft`.*use `"type": "oauth"`/);
    assert.match(messages(remote({ type: 'headers', headers: {} }))[0] ?? '', /is empty; add a header/);
  });

  it('says what a grant needs and takes, with positions and a "did you mean"', () => {
    assert.match(messages(remote({ type: 'oauth', grant: 'client_credential', clientId: 'a', clientSecret: 'b' }))[0] ?? '', /`auth.grant` of server `svc` must be .* Did you mean `client_credentials`\?/);
    assert.deepEqual(messages(remote({ type: 'oauth', grant: 'client_credentials', clientId: 'bot' })), [
      'error:missing-field: `auth` of server `svc` with `"grant": "client_credentials"` needs `clientSecret`, e.g. `{ "type": "oauth", "grant": "client_credentials", "clientId": "my-bot", "clientSecret": "${secret:bot-secret}" }`.',
    ]);
    assert.match(messages(remote({ type: 'oauth', grant: 'client_credentials', clientId: 'a', clientSecret: 'b', callbackPort: 49200 }))[0] ?? '', /`auth.callbackPort` of server `svc` is for a browser sign-in/);
    const parsed = parseConfig(remote({ type: 'oauth', grant: 'client_credentials', clientId: 'a', clientSecret: 'b', loginHint: 'me' }), 'f.jsonc');
    assert.deepEqual(parsed.problems[0]?.path, ['servers', 'svc', 'auth', 'loginHint']);
    const text = remote({ type: 'oauth', grant: 'password' });
    const grant = parseConfig(text, 'f.jsonc').problems[0];
    assert.deepEqual(grant?.path, ['servers', 'svc', 'auth', 'grant']);
    assert.equal(text.slice(grant.offset, grant.offset + grant.length), '"password"', 'the problem points at the value');
  });

  it('takes a client ID metadata document only as an https URL with a path, and not with clientId', () => {
    for (const url of ['http://example.com/client.json', 'https://example.com/', 'https://example.com', 'not a url', 'https://example.com/c.json#x']) {
      assert.match(messages(remote({ type: 'oauth', clientMetadataUrl: url }))[0] ?? '', /must be an https URL with a path/, url);
    }
    assert.match(messages(remote({ type: 'oauth', clientId: 'i', clientMetadataUrl: 'https://example.com/c.json' }))[0] ?? '', /is a client id of its own; remove it or `clientId`/);
  });

  it('warns that auth on a local command is ignored', () => {
    const text = JSON.stringify({ servers: { s: { command: 'x', auth: { type: 'oauth' }, instances: { a: {} } } } });
    assert.deepEqual(messages(text), [
      'warning:ignored-field: `auth` only applies to a remote server (`url`), but instance `a` of server `s` runs a local `command`; it is ignored. Remove it.',
    ]);
  });
});

describe('auth: merging and resolving', () => {
  it("replaces the server's auth whole with the instance's", async () => {
    const text = remote({ type: 'headers', headers: { 'X-Api-Key': '${secret:tok}', 'X-Team': 'a' } }, {
      work: { auth: { type: 'bearer', token: '${secret:tok}' } },
      personal: {},
    });
    const loaded = await loadConfig(text, 'f.jsonc', context());
    assert.deepEqual(loaded.problems, []);
    const byId = Object.fromEntries(loaded.instances.map((instance) => [instance.instanceId, instance]));
    assert.deepEqual(byId['work']?.upstream.kind === 'remote' && byId['work'].upstream.auth, { type: 'bearer', token: SECRET });
    assert.deepEqual(byId['personal']?.upstream.kind === 'remote' && byId['personal'].upstream.auth, {
      type: 'headers',
      headers: { 'X-Api-Key': SECRET, 'X-Team': 'a' },
    });
  });

  it('keeps ${secret:…} in the redacted twin and lists the secret as used', async () => {
    const loaded = await loadConfig(remote({ type: 'command', command: 'helper', args: ['--key', '${secret:tok}'] }), 'f.jsonc', context());
    const [instance] = loaded.instances;
    assert.deepEqual(instance?.redacted.kind === 'remote' && instance.redacted.auth, { type: 'command', command: 'helper', args: ['--key', '${secret:tok}'] });
    assert.deepEqual(instance?.upstream.kind === 'remote' && instance.upstream.auth, { type: 'command', command: 'helper', args: ['--key', SECRET] });
    assert.deepEqual(instance?.secrets, ['tok']);
    assert.ok(!JSON.stringify(instance?.redacted).includes(SECRET));
  });

  it('reports a missing secret in auth as "needs a secret", naming the field and never a value', async () => {
    const loaded = await loadConfig(remote({ type: 'oauth', clientId: 'id', clientSecret: '${secret:client-secret}' }), 'f.jsonc', context());
    assert.deepEqual(loaded.instances, []);
    assert.deepEqual(loaded.needsSecrets, [{ serverId: 'svc', instanceId: 'work', secrets: ['client-secret'] }]);
    assert.match(loaded.problems[0]?.message ?? '', /needs the secret `client-secret` \(used in `auth.clientSecret`\)/);
    assert.deepEqual(loaded.problems[0]?.path, ['servers', 'svc', 'auth', 'clientSecret']);
  });

  it('never puts a resolved value in a problem', async () => {
    const text = remote({ type: 'bearer', token: '${secret:tok}${env:MISSING}' });
    const loaded = await loadConfig(text, 'f.jsonc', context());
    assert.ok(hasErrors(loaded.problems));
    assert.ok(!JSON.stringify(loaded.problems).includes(SECRET));
  });
});

describe('auth: the JSON Schema agrees with the validator', () => {
  const validate = compileSchema();
  const variants: Record<string, unknown> = {
    'no type': {},
    'unknown type': { type: 'basic' },
    'not an object': 'bearer',
    'bearer': { type: 'bearer', token: 't' },
    'bearer without token': { type: 'bearer' },
    'bearer with an empty token': { type: 'bearer', token: '' },
    'bearer with a key of another type': { type: 'bearer', token: 't', scopes: ['a'] },
    'headers': { type: 'headers', headers: { 'X-Key': 'v' } },
    'headers empty': { type: 'headers', headers: {} },
    'headers bad name': { type: 'headers', headers: { 'X Key': 'v' } },
    'command': { type: 'command', command: 'gh', args: ['auth', 'token'], ttl: 60 },
    'command without command': { type: 'command', args: [] },
    'command ttl zero': { type: 'command', command: 'gh', ttl: 0 },
    'command ttl fraction': { type: 'command', command: 'gh', ttl: 1.5 },
    'command number arg': { type: 'command', command: 'gh', args: [1] },
    'oauth minimal': { type: 'oauth' },
    'oauth full': { type: 'oauth', scopes: ['a'], clientId: 'i', clientSecret: 's', callbackPort: 49200, clientName: 'n' },
    'oauth secret without id': { type: 'oauth', clientSecret: 's' },
    'oauth port too high': { type: 'oauth', callbackPort: 65536 },
    'oauth scope with a space': { type: 'oauth', scopes: ['a b'] },
    'oauth client credentials': { type: 'oauth', grant: 'client_credentials', clientId: 'i', clientSecret: 's', scopes: ['a'], clientName: 'n' },
    'oauth client credentials without secret': { type: 'oauth', grant: 'client_credentials', clientId: 'i' },
    'oauth client credentials without id': { type: 'oauth', grant: 'client_credentials', clientSecret: 's' },
    'oauth client credentials with a callback port': { type: 'oauth', grant: 'client_credentials', clientId: 'i', clientSecret: 's', callbackPort: 49200 },
    'oauth client credentials with a login hint': { type: 'oauth', grant: 'client_credentials', clientId: 'i', clientSecret: 's', loginHint: 'me' },
    'oauth unknown grant': { type: 'oauth', grant: 'password' },
    'oauth authorization code grant': { type: 'oauth', grant: 'authorization_code' },
    'oauth client metadata document': { type: 'oauth', clientMetadataUrl: 'https://example.com/mcplex/client.json' },
    'oauth client metadata document over http': { type: 'oauth', clientMetadataUrl: 'http://example.com/mcplex/client.json' },
    'oauth client metadata document at the root': { type: 'oauth', clientMetadataUrl: 'https://example.com/' },
    'oauth client metadata document and clientId': { type: 'oauth', clientId: 'i', clientMetadataUrl: 'https://example.com/c.json' },
    'vscode': { type: 'vscode', provider: 'microsoft', scopes: ['User.Read'], account: 'me' },
    'vscode without scopes': { type: 'vscode', provider: 'github' },
    'vscode other provider': { type: 'vscode', provider: 'gitlab', scopes: [] },
  };
  for (const [name, auth] of Object.entries(variants)) {
    for (const where of ['server', 'instance'] as const) {
      it(`agrees on ${name} (${where})`, () => {
        const value = JSON.parse(where === 'server' ? remote(auth) : remote(undefined, { work: { auth } })) as unknown;
        const validator = !hasErrors(parseConfig(JSON.stringify(value), 'f').problems);
        const bySchema = validate(value) === true;
        assert.equal(bySchema, validator, `schema says ${bySchema}, validator ${validator}: ${schemaAjv.errorsText(validate.errors)}`);
      });
    }
  }
});
