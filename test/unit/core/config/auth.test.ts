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
