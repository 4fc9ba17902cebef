/**
 * Which store keeps the CLI's secrets: the OS keychain when one answers, else the 0600
 * file, unless `--secret-store` (on `mcplex secret`) or MCPLEX_SECRET_STORE says which.
 * The keychain is probed once per run, when a secret is first needed (a command that needs
 * none never loads the keyring package), and a choice made on the user's behalf is said
 * on stderr once, with why: secrets going to a file in clear (0600) must never be a surprise.
 * A store asked for by name that cannot be used is an error, not a quiet fallback.
 */
import type { CliIo } from './io';
import { probeKeychain, type KeychainProbe } from './keychain';
import { KeychainSecretStore, keychainService } from './keychainSecretStore';
import { FileSecretStore, secretStorePath, SecretStoreError, type SecretStore } from './secretStore';

export const SECRET_STORE_KINDS = ['keychain', 'file'] as const;
export type SecretStoreKind = (typeof SECRET_STORE_KINDS)[number];

/** A store the user named, and where they named it (for messages). */
export interface RequestedStore {
  readonly kind: SecretStoreKind;
  /** `--secret-store` or `MCPLEX_SECRET_STORE`. */
  readonly by: string;
}

export function isSecretStoreKind(text: string): text is SecretStoreKind {
  return (SECRET_STORE_KINDS as readonly string[]).includes(text);
}

/** `--secret-store` wins over MCPLEX_SECRET_STORE; neither: chosen by probing. */
export function requestedStore(env: Readonly<Record<string, string | undefined>>, option?: SecretStoreKind): RequestedStore | undefined {
  if (option !== undefined) return { kind: option, by: '--secret-store' };
  const text = env['MCPLEX_SECRET_STORE'];
  if (text === undefined || text === '') return undefined;
  if (!isSecretStoreKind(text)) throw new SecretStoreError(`MCPLEX_SECRET_STORE is keychain or file (got "${text}")`);
  return { kind: text, by: 'MCPLEX_SECRET_STORE' };
}

export type StoreChoice =
  | { readonly kind: 'keychain'; readonly probe: Extract<KeychainProbe, { ok: true }>; readonly announce?: string }
  | { readonly kind: 'file'; readonly announce?: string };

/**
 * The decision alone (pure but for `probe`): what was asked for, else whatever answers.
 * `announce` is what to say on stderr: only for choices the user did not make.
 */
export function chooseSecretStore(requested: RequestedStore | undefined, probe: () => KeychainProbe, filePath: string): StoreChoice {
  if (requested?.kind === 'file') return { kind: 'file' };
  const found = probe();
  if (requested?.kind === 'keychain') {
    if (!found.ok) throw new SecretStoreError(`${requested.by} asks for the OS keychain, but ${found.reason}; set MCPLEX_SECRET_STORE=file to use the 0600 file ${filePath}`);
    return { kind: 'keychain', probe: found };
  }
  if (found.ok) {
    return { kind: 'keychain', probe: found, announce: `mcplex: secrets are kept in ${found.keychain.description} (MCPLEX_SECRET_STORE=file keeps them in the 0600 file instead)\n` };
  }
  return { kind: 'file', announce: `mcplex: secrets are kept in the 0600 file ${filePath}: ${found.reason}\n` };
}

const chosen = new WeakMap<CliIo, Map<string, SecretStore>>();

/**
 * The store of this run (one per `io` and request: the probe and its message happen once).
 * `option` is `--secret-store` (by default the one the run's `io` carries); `probe` is replaced by tests.
 */
export function cliSecretStore(io: CliIo, option: SecretStoreKind | undefined = io.secretStore, probe: (service: string) => KeychainProbe = probeKeychain): SecretStore {
  const stores = chosen.get(io) ?? new Map<string, SecretStore>();
  chosen.set(io, stores);
  const known = stores.get(option ?? '');
  if (known !== undefined) return known;
  const file = new FileSecretStore(secretStorePath(io.env));
  const service = keychainService(io.env);
  const choice = chooseSecretStore(requestedStore(io.env, option), () => probe(service), file.path);
  if (choice.announce !== undefined) io.writeErr(choice.announce);
  const store = choice.kind === 'file' ? file : new KeychainSecretStore(choice.probe.keychain, service, file, (text) => io.writeErr(text));
  stores.set(option ?? '', store);
  return store;
}

/**
 * A store chosen on first use: commands build their secret lookups and OAuth contexts
 * up front, but many runs never read a secret, and those should neither load the keyring
 * package nor print which store would have been used.
 */
export function lazySecretStore(io: CliIo): SecretStore {
  const store = (): SecretStore => cliSecretStore(io);
  return {
    get where() {
      return store().where;
    },
    getSecret: (name) => store().getSecret(name),
    whereIs: (name) => store().whereIs(name),
    setSecret: (name, value) => store().setSecret(name, value),
    deleteSecret: (name) => store().deleteSecret(name),
    listSecrets: () => store().listSecrets(),
    tokens: {
      get: (key) => callTokens(() => store().tokens.get(key)),
      set: (key, value) => callTokens(() => store().tokens.set(key, value)),
      delete: (key) => callTokens(() => store().tokens.delete(key)),
      keys: () => store().tokens.keys(),
    },
  };
}

/** A choice that fails (a keychain asked for that is absent) rejects the promise, as the store's own failures do. */
function callTokens<T>(run: () => Promise<T>): Promise<T> {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
