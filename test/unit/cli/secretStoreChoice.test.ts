// Which store keeps the CLI's secrets: the keychain when it answers, the file otherwise,
// or the one the user names; probed once per run, said once, and never when unused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CliIo } from '../../../src/cli/io';
import { probeKeychain, type KeychainProbe } from '../../../src/cli/keychain';
import { KeychainSecretStore } from '../../../src/cli/keychainSecretStore';
import { FileSecretStore, SecretStoreError } from '../../../src/cli/secretStore';
import { chooseSecretStore, cliSecretStore, lazySecretStore, requestedStore } from '../../../src/cli/secretStoreChoice';
import { memoryKeychain } from '../../helpers/memoryKeychain';
import { quietIo } from '../../helpers/quietIo';

const root = mkdtempSync(join(tmpdir(), 'mcplex-choice-'));
after(() => rmSync(root, { recursive: true, force: true }));

const answering = (): KeychainProbe => ({ ok: true, keychain: memoryKeychain() });
const absent = (): KeychainProbe => ({ ok: false, reason: 'the OS keychain (memory) does not answer (no D-Bus)' });
const never = (): KeychainProbe => assert.fail('the keychain was probed');

function testIo(env: Record<string, string> = {}): CliIo & { err: string[] } {
  const err: string[] = [];
  let serial = 0;
  return {
    ...quietIo({
      cwd: root,
      env: { MCPLEX_SECRETS_FILE: join(root, `io-${Date.now()}-${(serial += 1)}-${Math.random()}`, 'secrets.json'), ...env },
      writeErr: (text) => void err.push(text),
    }),
    err,
  };
}

describe('choosing the secret store', () => {
  it('takes the keychain when it answers, and says so', () => {
    const choice = chooseSecretStore(undefined, answering, '/h/secrets.json');
    assert.equal(choice.kind, 'keychain');
    assert.match(choice.announce ?? '', /secrets are kept in the OS keychain \(memory\).*MCPLEX_SECRET_STORE=file/);
  });

  it('falls back to the file when no keychain answers, saying where and why', () => {
    const choice = chooseSecretStore(undefined, absent, '/h/secrets.json');
    assert.equal(choice.kind, 'file');
    assert.equal(choice.announce, 'mcplex: secrets are kept in the 0600 file /h/secrets.json: the OS keychain (memory) does not answer (no D-Bus)\n');
  });

  it('uses the file when asked, without loading the keychain or saying what the user chose', () => {
    assert.deepEqual(chooseSecretStore({ kind: 'file', by: 'MCPLEX_SECRET_STORE' }, never, '/h/secrets.json'), { kind: 'file' });
  });

  it('refuses to fall back when the keychain is asked for by name', () => {
    const choice = chooseSecretStore({ kind: 'keychain', by: '--secret-store' }, answering, '/h/secrets.json');
    assert.equal(choice.kind, 'keychain');
    assert.equal(choice.announce, undefined);
    assert.throws(
      () => chooseSecretStore({ kind: 'keychain', by: '--secret-store' }, absent, '/h/secrets.json'),
      (error: Error) => error instanceof SecretStoreError && /--secret-store asks for the OS keychain, but .*no D-Bus.*MCPLEX_SECRET_STORE=file/.test(error.message),
    );
  });

  it('reads the request from --secret-store before MCPLEX_SECRET_STORE, and refuses other values', () => {
    assert.deepEqual(requestedStore({ MCPLEX_SECRET_STORE: 'file' }, 'keychain'), { kind: 'keychain', by: '--secret-store' });
    assert.deepEqual(requestedStore({ MCPLEX_SECRET_STORE: 'keychain' }), { kind: 'keychain', by: 'MCPLEX_SECRET_STORE' });
    assert.equal(requestedStore({ MCPLEX_SECRET_STORE: '' }), undefined);
    assert.equal(requestedStore({}), undefined);
    assert.throws(() => requestedStore({ MCPLEX_SECRET_STORE: 'vault' }), /MCPLEX_SECRET_STORE is keychain or file \(got "vault"\)/);
  });

  it('probes once per run and says it once', () => {
    const io = testIo();
    let probes = 0;
    const probe = (): KeychainProbe => ((probes += 1), answering());
    const first = cliSecretStore(io, undefined, probe);
    const second = cliSecretStore(io, undefined, probe);
    assert.equal(first, second);
    assert.equal(probes, 1);
    assert.equal(io.err.length, 1);
    assert.ok(first instanceof KeychainSecretStore);
    assert.ok(cliSecretStore(testIo({ MCPLEX_SECRET_STORE: 'file' }), undefined, never) instanceof FileSecretStore);
  });

  it('names the keychain service after MCPLEX_KEYCHAIN_SERVICE', () => {
    const services: string[] = [];
    cliSecretStore(testIo({ MCPLEX_KEYCHAIN_SERVICE: 'mcplex-work' }), undefined, (service) => (services.push(service), answering()));
    cliSecretStore(testIo(), undefined, (service) => (services.push(service), answering()));
    assert.deepEqual(services, ['mcplex-work', 'mcplex']);
  });

  it('chooses nothing, and says nothing, in a run that never reads a secret', () => {
    const io = testIo({ MCPLEX_SECRET_STORE: 'no-such-store' });
    const store = lazySecretStore(io);
    assert.deepEqual(io.err, []);
    // The first use chooses, and a bad request surfaces there as the store's error.
    assert.throws(() => store.getSecret('x'), SecretStoreError);
    return assert.rejects(store.tokens.get('k'), SecretStoreError);
  });
});

describe('probing the keychain', () => {
  it('says why when the keyring package cannot be loaded (no binary for this platform)', () => {
    const probe = probeKeychain('mcplex', 'win32', () => {
      throw new Error('Cannot find native binding.\nmore detail');
    });
    assert.deepEqual(probe, { ok: false, reason: 'the OS keychain (Windows Credential Manager) cannot be loaded here (@napi-rs/keyring has no native build for win32-' + process.arch + ')' });
  });

  it("keeps the reason short when the package's error is long (Windows without its binary, as under wine)", () => {
    // @napi-rs/keyring 2.1's own message, one line of about 220 characters.
    const napiMessage =
      'Cannot find native binding. npm has a bug related to optional dependencies (https://github.com/npm/cli/issues/4828). ' +
      'Please try `npm i` again after removing both package-lock.json and node_modules directory.';
    const probe = probeKeychain('mcplex', 'win32', () => {
      throw new Error(napiMessage, { cause: [new Error('Cannot find module @napi-rs/keyring-win32-x64-msvc')] });
    });
    assert.ok(!probe.ok);
    assert.match(probe.reason, /^the OS keychain \(Windows Credential Manager\) cannot be loaded here \(@napi-rs\/keyring has no native build for win32-\w+\)$/);
    const file = 'C:\\Users\\me\\.config\\mcplex\\secrets.json';
    const choice = chooseSecretStore(undefined, () => probe, file);
    // The whole notice but the path: the package's line alone made it over 300.
    assert.ok((choice.announce ?? '').length - file.length < 170, choice.announce);
  });

  it('says the package is not installed, and survives a thrown non-error', () => {
    const missing = Object.assign(new Error("Cannot find module '@napi-rs/keyring'\nRequire stack:\n- /x/cli.js"), { code: 'MODULE_NOT_FOUND' });
    assert.deepEqual(
      probeKeychain('mcplex', 'darwin', () => {
        throw missing;
      }),
      { ok: false, reason: 'the OS keychain (macOS Keychain) cannot be loaded here (@napi-rs/keyring is not installed)' },
    );
    const odd = probeKeychain('mcplex', 'linux', () => {
      throw null;
    });
    assert.deepEqual(odd, { ok: false, reason: 'the OS keychain (Secret Service) cannot be loaded here (@napi-rs/keyring: null)' });
  });

  it("keeps an unknown long error to its first sentence, cut at a word", () => {
    const probe = probeKeychain('mcplex', 'linux', () => {
      throw new Error(`Something odd happened while loading. ${'and then more words '.repeat(20)}`);
    });
    assert.deepEqual(probe, { ok: false, reason: 'the OS keychain (Secret Service) cannot be loaded here (@napi-rs/keyring: Something odd happened while loading)' });
    const keyring = {
      Entry: class {
        getPassword(): string | null {
          throw new Error(`Platform failure: DBus error: ${'word '.repeat(40)}`);
        }
      },
      findCredentials: () => [],
    };
    const silent = probeKeychain('mcplex', 'linux', () => keyring);
    assert.ok(!silent.ok);
    assert.ok(silent.reason.length <= 140, silent.reason);
    assert.match(silent.reason, /^the OS keychain \(Secret Service\) does not answer \(DBus error: word word .*…\)$/);
  });

  it('says why when the keychain does not answer, and pins Secret Service on Linux', () => {
    const options: unknown[] = [];
    const keyring = {
      Entry: class {
        constructor(_service: string, _account: string, given?: unknown) {
          options.push(given);
        }
        getPassword(): string | null {
          throw new Error('Platform failure: DBus error: no session bus');
        }
      },
      findCredentials: () => [],
    };
    const probe = probeKeychain('mcplex', 'linux', () => keyring);
    assert.deepEqual(probe, { ok: false, reason: 'the OS keychain (Secret Service) does not answer (DBus error: no session bus)' });
    // The package's own default falls back to the kernel keyring, which forgets at reboot.
    assert.deepEqual(options, [{ linux: { store: 'secret-service' } }]);
  });

  it('knows what one Windows credential holds', () => {
    const keyring = { Entry: class { getPassword = (): null => null }, findCredentials: () => [] };
    const windows = probeKeychain('mcplex', 'win32', () => keyring);
    const mac = probeKeychain('mcplex', 'darwin', () => keyring);
    assert.ok(windows.ok && mac.ok);
    assert.equal(windows.keychain.description, 'the OS keychain (Windows Credential Manager)');
    assert.equal(windows.keychain.fits('x'.repeat(1280)), true);
    assert.equal(windows.keychain.fits('x'.repeat(1281)), false);
    assert.equal(mac.keychain.fits('x'.repeat(100_000)), true);
  });
});
