/**
 * The OS keychain (Secret Service through D-Bus on Linux, the macOS Keychain, the Windows
 * Credential Manager) through `@napi-rs/keyring`, behind a small port so the store above
 * it is tested with a fake. The package is loaded lazily and only here: its native binary
 * may be missing (the CLI installed without it, a platform it has no build for, Windows'
 * node.exe under wine), and then the CLI keeps its secrets in the 0600 file instead of
 * failing to start. dist/cli.js keeps it external (esbuild.js); the extension never loads it.
 */
import { createRequire } from 'node:module';

/** One keychain, entries addressed by service and account. Every call may throw (locked, gone). */
export interface Keychain {
  /** For messages: `the OS keychain (Secret Service)`. */
  readonly description: string;
  get(service: string, account: string): string | undefined;
  set(service: string, account: string, value: string): void;
  /** False when there was no such entry. */
  delete(service: string, account: string): boolean;
  /** The accounts of `service`, sorted. */
  accounts(service: string): string[];
  /** Whether `value` fits in one entry (the Windows Credential Manager holds 2560 bytes of UTF-16). */
  fits(value: string): boolean;
}

export type KeychainProbe = { readonly ok: true; readonly keychain: Keychain } | { readonly ok: false; readonly reason: string };

/** The account read to learn whether the keychain answers; it is never written. */
const PROBE_ACCOUNT = '.mcplex-probe';

/** The slice of `@napi-rs/keyring` used here. */
interface KeyringModule {
  Entry: new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => {
    getPassword(): string | null;
    setPassword(value: string): void;
    deletePassword(): boolean;
  };
  findCredentials(service: string): { account: string; password: string }[];
}

/**
 * Loads the keyring package and reads one entry that does not exist: a keychain that
 * answers is usable; a missing package or binary, or no keychain service (no D-Bus
 * session, no Secret Service daemon), is the reason to say why the file is used.
 */
export function probeKeychain(service: string, platform: NodeJS.Platform = process.platform, load: () => unknown = loadKeyringPackage): KeychainProbe {
  const description = `the OS keychain (${platformKeychainName(platform)})`;
  let keyring: KeyringModule;
  try {
    keyring = load() as KeyringModule;
  } catch (error) {
    return { ok: false, reason: `${description} cannot be loaded here (${loadCause(error, platform)})` };
  }
  const keychain = keyringKeychain(keyring, platform, description);
  try {
    keychain.get(service, PROBE_ACCOUNT);
    return { ok: true, keychain };
  } catch (error) {
    return { ok: false, reason: `${description} does not answer (${shortCause(error)})` };
  }
}

/**
 * Why the package did not load, in a few words. Its own message is written for someone
 * installing it (Windows' is a 220-character line about an npm bug), not for a user told
 * that their secrets go to a file.
 */
function loadCause(error: unknown, platform: NodeJS.Platform): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/^(Cannot find|Failed to load) native binding/.test(text)) return `@napi-rs/keyring has no native build for ${platform}-${process.arch}`;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'MODULE_NOT_FOUND' && text.includes("'@napi-rs/keyring'")) return '@napi-rs/keyring is not installed';
  return `@napi-rs/keyring: ${shortCause(error)}`;
}

/** Longest cause quoted; a longer one is cut at a word, with an ellipsis. */
const MAX_CAUSE = 80;

/**
 * An error's first sentence, without the package's generic "Platform failure:" lead,
 * at most MAX_CAUSE characters: the user reads it in a one-line notice.
 */
export function shortCause(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = (text.split('\n')[0] ?? '').trim().replace(/^Platform (secure storage )?failure: /, '');
  const sentence = line.split(/\.\s/)[0]?.replace(/\.$/, '').trim() ?? '';
  if (sentence === '') return 'no reason given';
  if (sentence.length <= MAX_CAUSE) return sentence;
  const cut = sentence.slice(0, MAX_CAUSE);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > MAX_CAUSE / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

function keyringKeychain(keyring: KeyringModule, platform: NodeJS.Platform, description: string): Keychain {
  // Without this, the package falls back to the kernel keyring when no Secret Service
  // runs: that one is emptied at logout or reboot, so a stored token would silently vanish.
  const options = platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
  const entry = (service: string, account: string): InstanceType<KeyringModule['Entry']> => new keyring.Entry(service, account, options);
  return {
    description,
    get: (service, account) => entry(service, account).getPassword() ?? undefined,
    set: (service, account, value) => entry(service, account).setPassword(value),
    delete: (service, account) => entry(service, account).deletePassword(),
    accounts: (service) =>
      keyring
        .findCredentials(service)
        .map((credential) => credential.account)
        .filter((account) => account !== PROBE_ACCOUNT)
        .sort(),
    fits: (value) => platform !== 'win32' || value.length * 2 <= WINDOWS_CREDENTIAL_BYTES,
  };
}

/** CRED_MAX_CREDENTIAL_BLOB_SIZE: a Windows credential's secret, stored as UTF-16. */
const WINDOWS_CREDENTIAL_BYTES = 2560;

function platformKeychainName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service';
}

/** A plain `require` at run time: esbuild leaves `@napi-rs/keyring` out of dist/cli.js. */
function loadKeyringPackage(): unknown {
  return createRequire(__filename)('@napi-rs/keyring');
}
