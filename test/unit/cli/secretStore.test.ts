// The CLI's secret store (0600 file, 0700 folder, atomic writes, refuses a shared file),
// the order secrets are looked up in, and the command lines of `mcplex secret` and `--oauth`.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseInvocation, UsageError } from '../../../src/cli/args';
import { cliSecrets } from '../../../src/cli/configFile';
import { REDACTED, Redactor } from '../../../src/core/redaction';
import { FileSecretStore, secretStorePath, SecretStoreError } from '../../../src/cli/secretStore';

const root = mkdtempSync(join(tmpdir(), 'mcplex-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
function freshPath(): string {
  serial += 1;
  return join(root, `case-${serial}`, 'mcplex', 'secrets.json');
}
const posix = process.platform !== 'win32';

describe('FileSecretStore', () => {
  it('creates a 0600 file in a 0700 folder and leaves no temporary file behind', { skip: !posix }, () => {
    const file = freshPath();
    const store = new FileSecretStore(file);
    store.setSecret('github-token', 'v1');
    store.setSecret('github-token', 'v2');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(file, '..')).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(join(file, '..')), ['secrets.json']);
    assert.equal(store.getSecret('github-token'), 'v2');
  });

  it('keeps OAuth records apart from the secrets it lists', async () => {
    const store = new FileSecretStore(freshPath());
    store.setSecret('b', '2');
    store.setSecret('a', '1');
    await store.tokens.set('mcplex.oauth/svc/work/abc/tokens', '{"access_token":"x"}');
    assert.deepEqual(store.listSecrets(), ['a', 'b']);
    assert.deepEqual(store.tokens.keys(), ['mcplex.oauth/svc/work/abc/tokens']);
    assert.equal(await store.tokens.get('mcplex.oauth/svc/work/abc/tokens'), '{"access_token":"x"}');
    assert.equal(store.deleteSecret('a'), true);
    assert.equal(store.deleteSecret('a'), false);
    await store.tokens.delete('mcplex.oauth/svc/work/abc/tokens');
    assert.deepEqual(store.tokens.keys(), []);
    assert.deepEqual(store.listSecrets(), ['b']);
  });

  it('refuses a file other users can read, saying how to fix it', { skip: !posix }, () => {
    const file = freshPath();
    const store = new FileSecretStore(file);
    store.setSecret('k', 'v');
    chmodSync(file, 0o644);
    assert.throws(() => store.getSecret('k'), (error: Error) => error instanceof SecretStoreError && error.message.includes(`chmod 600 '${file}'`));
    assert.throws(() => store.setSecret('k', 'w'), SecretStoreError);
    chmodSync(file, 0o600);
    assert.equal(store.getSecret('k'), 'v', 'the refused write changed nothing');
  });

  it('reads nothing from a missing file and explains a damaged one', () => {
    assert.deepEqual(new FileSecretStore(freshPath()).listSecrets(), []);
    const file = freshPath();
    const store = new FileSecretStore(file);
    store.setSecret('k', 'v');
    chmodSync(file, 0o600);
    writeFileSync(file, '{ not json');
    assert.throws(() => store.listSecrets(), /is not valid JSON/);
  });

  it('takes over a lock file a crashed process left behind', { skip: !posix }, () => {
    const file = freshPath();
    const store = new FileSecretStore(file);
    store.setSecret('before', '1');
    writeFileSync(`${file}.lock`, '424242\n');
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, longAgo, longAgo);
    store.setSecret('after', '2');
    assert.deepEqual(store.listSecrets(), ['after', 'before']);
    assert.deepEqual(readdirSync(join(file, '..')), ['secrets.json'], 'the stale lock is gone');
  });

  it('waits for a held lock, then fails saying which lock file and what to do', { skip: !posix }, () => {
    const file = freshPath();
    const store = new FileSecretStore(file, true, { timeoutMs: 100 });
    store.setSecret('k', 'v');
    writeFileSync(`${file}.lock`, '31337\n');
    assert.throws(
      () => store.setSecret('k', 'changed'),
      (error: unknown) =>
        error instanceof SecretStoreError &&
        error.message.includes(`the secret store ${file} is locked`) &&
        error.message.includes('held by process 31337') &&
        error.message.includes(`rm '${file}.lock'`),
    );
    assert.equal(store.getSecret('k'), 'v', 'nothing was written');
    assert.equal(existsSync(`${file}.lock`), true, 'the other process’s lock is left alone');
  });

  it('lives where the environment says', () => {
    assert.equal(secretStorePath({ MCPLEX_SECRETS_FILE: '/x/s.json', XDG_CONFIG_HOME: '/c' }), '/x/s.json');
    assert.equal(secretStorePath({ XDG_CONFIG_HOME: '/c', HOME: '/h' }), join('/c', 'mcplex', 'secrets.json'));
    assert.equal(secretStorePath({ HOME: '/h' }), join('/h', '.config', 'mcplex', 'secrets.json'));
  });
});

describe('secret lookup in the CLI', () => {
  it('takes MCPLEX_SECRET_<NAME> first, then the store', async () => {
    const store = new FileSecretStore(freshPath());
    store.setSecret('github-token', 'from-store');
    store.setSecret('other', 'stored-other');
    const secrets = cliSecrets({ MCPLEX_SECRET_GITHUB_TOKEN: 'from-env' }, store, new Redactor());
    assert.equal(await secrets.get('github-token'), 'from-env');
    assert.equal(await secrets.get('other'), 'stored-other');
    assert.equal(await secrets.get('missing'), undefined);
  });

  it('remembers every value it hands out, so the CLI never prints it', async () => {
    const store = new FileSecretStore(freshPath());
    store.setSecret('stored', 'stored-value');
    const redactor = new Redactor();
    const secrets = cliSecrets({ MCPLEX_SECRET_FROM_ENV: 'env-value' }, store, redactor);
    assert.equal(redactor.redact('env-value stored-value'), 'env-value stored-value');
    await secrets.get('from-env');
    await secrets.get('stored');
    await secrets.get('missing');
    assert.equal(redactor.redact('env-value stored-value'), `${REDACTED} ${REDACTED}`);
  });

  it('reports an unreadable store as a failure, not as a missing secret', { skip: !posix }, async () => {
    const file = freshPath();
    const store = new FileSecretStore(file);
    store.setSecret('k', 'v');
    chmodSync(file, 0o640);
    await assert.rejects(cliSecrets({}, store, new Redactor()).get('k'), /chmod 600/);
    assert.equal(readFileSync(file, 'utf8').includes('"k"'), true);
  });
});

describe('command lines', () => {
  it('parses mcplex secret', () => {
    assert.deepEqual(parseInvocation(['secret', 'set', 'gh-token', '--value-stdin']), { kind: 'secret', action: 'set', name: 'gh-token', valueStdin: true });
    assert.deepEqual(parseInvocation(['secret', 'get', 'gh-token']), { kind: 'secret', action: 'get', name: 'gh-token' });
    assert.deepEqual(parseInvocation(['secret', 'list', '--oauth']), { kind: 'secret', action: 'list', oauth: true });
    assert.deepEqual(parseInvocation(['secret', 'delete', '--oauth', 'notion/work']), { kind: 'secret', action: 'delete', name: 'notion/work', oauth: true });
    assert.throws(() => parseInvocation(['secret', 'set', 'bad name!']), UsageError);
    assert.throws(() => parseInvocation(['secret', 'get']), /takes one NAME/);
    assert.throws(() => parseInvocation(['secret', 'get', 'x', '--value-stdin']), /applies to `secret set` only/);
  });

  it('parses --secret-store on mcplex secret, before or after the name', () => {
    assert.deepEqual(parseInvocation(['secret', 'set', 'gh-token', '--secret-store', 'keychain']), { kind: 'secret', action: 'set', name: 'gh-token', valueStdin: false, store: 'keychain' });
    assert.deepEqual(parseInvocation(['secret', 'list', '--secret-store=file']), { kind: 'secret', action: 'list', oauth: false, store: 'file' });
    assert.deepEqual(parseInvocation(['secret', 'get', '--secret-store', 'file', 'gh-token']), { kind: 'secret', action: 'get', name: 'gh-token', store: 'file' });
    assert.throws(() => parseInvocation(['secret', 'list', '--secret-store', 'vault']), /--secret-store is keychain or file \(got "vault"\)/);
  });

  it('parses wrap --oauth and refuses its options without it', () => {
    const invocation = parseInvocation(['wrap', '--prefix', 'work', '--url', 'https://e.com/mcp', '--oauth', '--oauth-scope', 'read write', '--oauth-callback-port', '49200']);
    assert.deepEqual(invocation.kind === 'wrap' && invocation.upstream.kind === 'url' && invocation.upstream.auth, { kind: 'browser', scopes: ['read', 'write'], callbackPort: 49200, openBrowser: true });
    assert.throws(() => parseInvocation(['wrap', '--prefix', 'w', '--url', 'https://e.com', '--oauth-scope', 'x']), /add --oauth-flow browser \(or --oauth\)/);
    assert.throws(() => parseInvocation(['wrap', '--prefix', 'w', '--oauth', '--', 'node', 's.js']), /for --url only/);
    assert.throws(() => parseInvocation(['wrap', '--prefix', 'w', '--url', 'https://e.com', '--oauth', '--oauth-callback-port', '0']), /from 1 to 65535/);
  });
});
