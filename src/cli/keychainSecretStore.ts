/**
 * The CLI's secrets in the OS keychain: `${secret:NAME}` as account NAME of service
 * `mcplex` (MCPLEX_KEYCHAIN_SERVICE), the OAuth records as account KEY of `mcplex.oauth`.
 * The 0600 file stays readable beneath it, so secrets stored before the keychain was used
 * keep working: the keychain wins, the file answers for what the keychain lacks. Setting a
 * value moves it (written to the keychain, then removed from the file, so no copy in clear
 * stays on disk); deleting removes it from both (a file copy would otherwise come back).
 * A value the keychain cannot hold in one entry (Windows: 2560 bytes) stays in the file,
 * and the store says so.
 */
import type { Keychain } from './keychain';
import { SecretStoreError, type FileSecretStore, type SecretStore } from './secretStore';

export const DEFAULT_KEYCHAIN_SERVICE = 'mcplex';

/** `MCPLEX_KEYCHAIN_SERVICE`, else `mcplex`: another name keeps another set of secrets (as MCPLEX_SECRETS_FILE does for the file). */
export function keychainService(env: Readonly<Record<string, string | undefined>>): string {
  return env['MCPLEX_KEYCHAIN_SERVICE'] || DEFAULT_KEYCHAIN_SERVICE;
}

export class KeychainSecretStore implements SecretStore {
  private readonly oauthService: string;

  constructor(
    private readonly keychain: Keychain,
    private readonly service: string,
    /** What was stored before the keychain was used, and what it cannot hold. */
    private readonly file: FileSecretStore,
    /** Told when a value goes to the file instead (stderr in the CLI). */
    private readonly notice: (text: string) => void,
  ) {
    this.oauthService = `${service}.oauth`;
  }

  get where(): string {
    return `${this.keychain.description}, service "${this.service}"`;
  }

  getSecret(name: string): string | undefined {
    return this.call('read', name, () => this.keychain.get(this.service, name)) ?? this.file.getSecret(name);
  }

  whereIs(name: string): string | undefined {
    if (this.call('read', name, () => this.keychain.get(this.service, name)) !== undefined) return this.where;
    return this.file.whereIs(name);
  }

  setSecret(name: string, value: string): string {
    if (!this.keychain.fits(value)) {
      this.notice(`mcplex: ${name} is longer than ${this.keychain.description} holds in one entry; it is kept in ${this.file.path}\n`);
      return this.file.setSecret(name, value);
    }
    this.call('store', name, () => this.keychain.set(this.service, name, value));
    if (this.file.whereIs(name) !== undefined) this.file.deleteSecret(name);
    return this.where;
  }

  deleteSecret(name: string): boolean {
    const fromKeychain = this.call('delete', name, () => this.keychain.delete(this.service, name));
    const fromFile = this.file.whereIs(name) !== undefined && this.file.deleteSecret(name);
    return fromKeychain || fromFile;
  }

  listSecrets(): string[] {
    const names = this.call('list', 'the secrets', () => this.keychain.accounts(this.service));
    return [...new Set([...names, ...this.file.listSecrets()])].sort();
  }

  readonly tokens: SecretStore['tokens'] = {
    get: (key) => {
      try {
        return Promise.resolve(this.call('read', key, () => this.keychain.get(this.oauthService, key)) ?? this.file.tokens.get(key));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    set: async (key, value) => {
      if (!this.keychain.fits(value)) {
        this.notice(`mcplex: the OAuth record ${key} is longer than ${this.keychain.description} holds in one entry; it is kept in ${this.file.path}\n`);
        return this.file.tokens.set(key, value);
      }
      this.call('store', key, () => this.keychain.set(this.oauthService, key, value));
      if (this.file.tokens.keys().includes(key)) await this.file.tokens.delete(key);
    },
    delete: async (key) => {
      this.call('delete', key, () => this.keychain.delete(this.oauthService, key));
      if (this.file.tokens.keys().includes(key)) await this.file.tokens.delete(key);
    },
    keys: () => [...new Set([...this.call('list', 'the OAuth records', () => this.keychain.accounts(this.oauthService)), ...this.file.tokens.keys()])].sort(),
  };

  /** A keychain failure (locked, its daemon gone) as a store error that says which keychain and what was asked. */
  private call<T>(action: string, what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SecretStoreError(`cannot ${action} ${what} in ${this.where}: ${reason}; to use the 0600 file instead, set MCPLEX_SECRET_STORE=file`, { cause: error });
    }
  }
}
