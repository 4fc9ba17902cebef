// The keychain store over a keychain in memory and a real 0600 file: what was in the file
// stays readable, `set` moves a secret out of the file, `delete` leaves no copy behind,
// what the keychain cannot hold stays in the file (said), and a failing keychain is named.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KeychainSecretStore, keychainService } from '../../../src/cli/keychainSecretStore';
import { FileSecretStore, SecretStoreError } from '../../../src/cli/secretStore';
import { memoryKeychain } from '../../helpers/memoryKeychain';

const root = mkdtempSync(join(tmpdir(), 'mcplex-keychain-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;

function setup(limit?: number): { store: KeychainSecretStore; file: FileSecretStore; keychain: ReturnType<typeof memoryKeychain>; notices: string[] } {
  serial += 1;
  const file = new FileSecretStore(join(root, `case-${serial}`, 'secrets.json'));
  const keychain = memoryKeychain(limit);
  const notices: string[] = [];
  return { store: new KeychainSecretStore(keychain, 'mcplex', file, (text) => notices.push(text)), file, keychain, notices };
}

describe('KeychainSecretStore', () => {
  it('keeps a secret in the keychain as account NAME of service mcplex, writing no file', () => {
    const { store, file, keychain } = setup();
    assert.equal(store.setSecret('github-token', 'ghp-1'), 'the OS keychain (memory), service "mcplex"');
    assert.equal(keychain.get('mcplex', 'github-token'), 'ghp-1');
    assert.equal(store.getSecret('github-token'), 'ghp-1');
    assert.equal(store.whereIs('github-token'), store.where);
    assert.equal(existsSync(file.path), false, 'no file is created for a secret in the keychain');
  });

  it('still reads a secret stored in the file before, and says it is there', () => {
    const { store, file } = setup();
    file.setSecret('old', 'from-file');
    assert.equal(store.getSecret('old'), 'from-file');
    assert.equal(store.whereIs('old'), file.path);
    assert.deepEqual(store.listSecrets(), ['old']);
  });

  it('moves a secret out of the file when it is set again', () => {
    const { store, file, keychain } = setup();
    file.setSecret('old', 'from-file');
    file.setSecret('other', 'stays');
    store.setSecret('old', 'renewed');
    assert.equal(keychain.get('mcplex', 'old'), 'renewed');
    assert.equal(file.getSecret('old'), undefined);
    assert.equal(readFileSync(file.path, 'utf8').includes('from-file'), false, 'no copy in clear stays on disk');
    assert.equal(file.getSecret('other'), 'stays');
    assert.deepEqual(store.listSecrets(), ['old', 'other']);
  });

  it('prefers the keychain over an older copy in the file', () => {
    const { store, file, keychain } = setup();
    file.setSecret('k', 'stale');
    keychain.set('mcplex', 'k', 'current');
    assert.equal(store.getSecret('k'), 'current');
  });

  it('deletes from both, so an old copy cannot come back', () => {
    const { store, file, keychain } = setup();
    file.setSecret('k', 'stale');
    keychain.set('mcplex', 'k', 'current');
    assert.equal(store.deleteSecret('k'), true);
    assert.equal(store.getSecret('k'), undefined);
    assert.equal(store.deleteSecret('k'), false);
    assert.equal(file.getSecret('k'), undefined);
  });

  it('keeps what one entry cannot hold in the file, and says so', () => {
    const { store, file, notices } = setup(8);
    assert.equal(store.setSecret('pem', 'x'.repeat(9)), file.path);
    assert.equal(file.getSecret('pem'), 'x'.repeat(9));
    assert.match(notices.join(''), /pem is longer than the OS keychain \(memory\) holds in one entry; it is kept in .*secrets\.json/);
  });

  it('keeps OAuth records apart, under service mcplex.oauth, with the same migration', async () => {
    const { store, file, keychain } = setup();
    await file.tokens.set('mcplex.oauth/notion/work/abc/client', 'old-client');
    assert.equal(await store.tokens.get('mcplex.oauth/notion/work/abc/client'), 'old-client');
    await store.tokens.set('mcplex.oauth/notion/work/abc/tokens', '{"access_token":"t"}');
    await store.tokens.set('mcplex.oauth/notion/work/abc/client', 'new-client');
    assert.equal(keychain.get('mcplex.oauth', 'mcplex.oauth/notion/work/abc/tokens'), '{"access_token":"t"}');
    assert.deepEqual(file.tokens.keys(), [], 'the file copy moved');
    assert.deepEqual(store.tokens.keys(), ['mcplex.oauth/notion/work/abc/client', 'mcplex.oauth/notion/work/abc/tokens']);
    assert.deepEqual(store.listSecrets(), [], 'OAuth records are not secrets');
    await store.tokens.delete('mcplex.oauth/notion/work/abc/tokens');
    assert.equal(await store.tokens.get('mcplex.oauth/notion/work/abc/tokens'), undefined);
  });

  it('keeps an OAuth record too large for one entry in the file (Windows: ID tokens)', async () => {
    const { store, file, notices } = setup(16);
    await store.tokens.set('mcplex.oauth/a/b/tokens', 'y'.repeat(17));
    assert.equal(await file.tokens.get('mcplex.oauth/a/b/tokens'), 'y'.repeat(17));
    assert.equal(await store.tokens.get('mcplex.oauth/a/b/tokens'), 'y'.repeat(17));
    assert.equal(notices.length, 1);
  });

  it('names the keychain and the way out when it fails (locked, its daemon gone)', async () => {
    const { store, keychain } = setup();
    keychain.get = () => {
      throw new Error('Platform failure: the collection is locked');
    };
    assert.throws(
      () => store.getSecret('k'),
      (error: Error) => error instanceof SecretStoreError && error.message === 'cannot read k in the OS keychain (memory), service "mcplex": Platform failure: the collection is locked; to use the 0600 file instead, set MCPLEX_SECRET_STORE=file',
    );
    await assert.rejects(store.tokens.get('k'), SecretStoreError);
  });

  it('takes its service from MCPLEX_KEYCHAIN_SERVICE', () => {
    assert.equal(keychainService({}), 'mcplex');
    assert.equal(keychainService({ MCPLEX_KEYCHAIN_SERVICE: 'mcplex-ci' }), 'mcplex-ci');
  });
});
