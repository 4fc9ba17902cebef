/** A keychain in memory, for unit tests of the stores above the keychain port. */
import type { Keychain } from '../../src/cli/keychain';

/** `limit`: the longest value one entry holds (the Windows Credential Manager's, in tests). */
export function memoryKeychain(limit = Infinity): Keychain & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const key = (service: string, account: string): string => `${service}\n${account}`;
  return {
    entries,
    description: 'the OS keychain (memory)',
    get: (service, account) => entries.get(key(service, account)),
    set: (service, account, value) => void entries.set(key(service, account), value),
    delete: (service, account) => entries.delete(key(service, account)),
    accounts: (service) =>
      [...entries.keys()]
        .filter((entry) => entry.startsWith(`${service}\n`))
        .map((entry) => entry.slice(service.length + 1))
        .sort(),
    fits: (value) => value.length <= limit,
  };
}
