/**
 * The CLI's secret stores: what they share (`SecretStore`; the OS keychain's is
 * keychainSecretStore.ts, the choice between them secretStoreChoice.ts), and the file.
 * The file store: one JSON file, mode 0600 in a 0700 folder, written atomically
 * (a temporary file renamed over it) while holding a lock file beside it
 * (`secrets.json.lock`, see fileLock), so two processes changing it at once cannot lose
 * each other's change. It holds the user's `${secret:NAME}` values and, apart from them,
 * the OAuth state of each instance (tokens, client registration).
 * A file others can read is refused: its secrets may already have leaked, and using it
 * would hide that.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TokenStore } from '../core/auth';
import { FileLockError, FileLockTimeoutError, withFileLock, type FileLockOptions } from './fileLock';

export class SecretStoreError extends Error {
  readonly code = 'secret-store';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretStoreError';
  }
}

interface StoreFile {
  readonly version: 1;
  /** `${secret:NAME}` → value. */
  readonly secrets: Record<string, string>;
  /** Token store key → JSON text (OAuth state, per instance). */
  readonly oauth: Record<string, string>;
}

/**
 * Where the CLI keeps `${secret:NAME}` values and the instances' OAuth records. Calls may
 * throw `SecretStoreError` (a shared file, a locked keychain).
 */
export interface SecretStore {
  /** Where a value set now is kept, for messages: the file's path, or the keychain. */
  readonly where: string;
  getSecret(name: string): string | undefined;
  /** Where `name` is kept, for messages; undefined when it is not stored. */
  whereIs(name: string): string | undefined;
  /** Returns where the value was kept. */
  setSecret(name: string, value: string): string;
  /** False when there was no such secret. */
  deleteSecret(name: string): boolean;
  listSecrets(): string[];
  /** The OAuth records, kept apart from the user's secrets. */
  readonly tokens: TokenStore & { keys(): string[] };
}

/** `MCPLEX_SECRETS_FILE`, else `$XDG_CONFIG_HOME/mcplex/secrets.json`, else `~/.config/mcplex/secrets.json`. */
export function secretStorePath(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env['MCPLEX_SECRETS_FILE'];
  if (explicit) return explicit;
  const config = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(config, 'mcplex', 'secrets.json');
}

export class FileSecretStore implements SecretStore {
  constructor(
    readonly path: string,
    private readonly checkPermissions = process.platform !== 'win32',
    /** How long to wait for another process's change; tests shorten it. */
    private readonly lockOptions: FileLockOptions = {},
  ) {}

  getSecret(name: string): string | undefined {
    return this.read().secrets[name];
  }

  get where(): string {
    return this.path;
  }

  whereIs(name: string): string | undefined {
    return name in this.read().secrets ? this.path : undefined;
  }

  setSecret(name: string, value: string): string {
    this.update((file) => void (file.secrets[name] = value));
    return this.path;
  }

  /** False when there was no such secret. */
  deleteSecret(name: string): boolean {
    let existed = false;
    this.update((file) => {
      existed = name in file.secrets;
      delete file.secrets[name];
    });
    return existed;
  }

  listSecrets(): string[] {
    return Object.keys(this.read().secrets).sort();
  }

  /** The OAuth records, kept apart from the user's secrets. */
  readonly tokens: TokenStore & { keys(): string[] } = {
    get: (key) => Promise.resolve(this.read().oauth[key]),
    set: (key, value) => Promise.resolve(this.update((file) => void (file.oauth[key] = value))),
    delete: (key) =>
      Promise.resolve(
        this.update((file) => {
          delete file.oauth[key];
        }),
      ),
    keys: () => Object.keys(this.read().oauth).sort(),
  };

  private read(): StoreFile {
    let text: string;
    try {
      if (this.checkPermissions) this.refuseIfShared();
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyFile();
      if (error instanceof SecretStoreError) throw error;
      throw new SecretStoreError(`cannot read the secret store ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      const parsed = JSON.parse(text) as Partial<StoreFile>;
      return { version: 1, secrets: { ...parsed.secrets }, oauth: { ...parsed.oauth } };
    } catch (error) {
      throw new SecretStoreError(`the secret store ${this.path} is not valid JSON; fix it, or move it away and store your secrets again`, { cause: error });
    }
  }

  private refuseIfShared(): void {
    const mode = statSync(this.path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new SecretStoreError(
        `the secret store ${this.path} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); make it private with: chmod 600 '${this.path}'`,
      );
    }
  }

  /**
   * Read, change, write back, holding the lock: another process's change made meanwhile
   * would otherwise be overwritten by this one. Reads alone need no lock, since a write
   * replaces the file in one rename.
   */
  private update(change: (file: StoreFile) => void): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lockPath = `${this.path}.lock`;
    try {
      withFileLock(
        lockPath,
        () => {
          const file = this.read();
          change(file);
          this.write(dir, file);
        },
        this.lockOptions,
      );
    } catch (error) {
      if (error instanceof FileLockTimeoutError) {
        throw new SecretStoreError(`the secret store ${this.path} is locked: ${error.message}`, { cause: error });
      }
      if (error instanceof FileLockError) {
        throw new SecretStoreError(`cannot change the secret store ${this.path}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  private write(dir: string, file: StoreFile): void {
    const temporary = join(dir, `.${randomBytes(6).toString('hex')}.secrets.tmp`);
    try {
      writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(temporary, 0o600);
      renameSync(temporary, this.path);
    } catch (error) {
      try {
        unlinkSync(temporary);
      } catch {
        // never written, or already renamed
      }
      throw new SecretStoreError(`cannot write the secret store ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }
}

function emptyFile(): StoreFile {
  return { version: 1, secrets: {}, oauth: {} };
}
