/**
 * `mcplex secret set|get|delete|list`: the store behind `${secret:NAME}` in the CLI.
 * `set` asks without echo on a terminal and reads stdin otherwise, so a value never
 * needs to be on the command line (where `ps` and shell history would see it).
 * `--oauth` lists or forgets the instances' OAuth sign-ins, kept apart from secrets.
 * Each action says on stderr where the secret is kept (the OS keychain or the 0600 file).
 */
import { OAUTH_KEY_PREFIX } from '../../core/auth';
import type { SecretInvocation } from '../args';
import { secretVariableName } from '../configFile';
import { ExitCode, type CliIo } from '../io';
import type { SecretStore } from '../secretStore';
import { cliSecretStore } from '../secretStoreChoice';

export async function secretCommand(options: SecretInvocation, io: CliIo): Promise<ExitCode> {
  const store = cliSecretStore(io, options.store);
  switch (options.action) {
    case 'set': {
      const value = await readValue(options.name, options.valueStdin, io);
      if (value === '') {
        io.writeErr(`mcplex: the value of ${options.name} is empty; nothing was stored\n`);
        return ExitCode.usage;
      }
      // The value is in hand: hide it before anything (a keychain's error) could print it.
      io.secrets.add(value);
      io.writeErr(`stored ${options.name} in ${store.setSecret(options.name, value)}\n`);
      if (io.env[secretVariableName(options.name)] !== undefined) {
        io.writeErr(`note: ${secretVariableName(options.name)} is set in this environment and wins over the store\n`);
      }
      return ExitCode.ok;
    }
    case 'get': {
      // The user's own request for the value: stdout is where it belongs.
      const where = store.whereIs(options.name);
      const value = where === undefined ? undefined : store.getSecret(options.name);
      if (value === undefined) {
        io.writeErr(`mcplex: no secret ${options.name} in ${store.where}\n`);
        return ExitCode.problems;
      }
      io.writeOut(`${value}\n`);
      if (where !== store.where) io.writeErr(`note: ${options.name} is read from ${where}; \`mcplex secret set ${options.name}\` moves it to ${store.where}\n`);
      return ExitCode.ok;
    }
    case 'delete': {
      if (options.oauth) {
        const prefix = `${OAUTH_KEY_PREFIX}${options.name}/`;
        const keys = store.tokens.keys().filter((key) => key.startsWith(prefix));
        for (const key of keys) await store.tokens.delete(key);
        if (keys.length === 0) {
          io.writeErr(`mcplex: no OAuth sign-in stored for ${options.name} (see mcplex secret list --oauth)\n`);
          return ExitCode.problems;
        }
        io.writeErr(`signed out ${options.name}\n`);
        return ExitCode.ok;
      }
      if (!store.deleteSecret(options.name)) {
        io.writeErr(`mcplex: no secret ${options.name} in ${store.where}\n`);
        return ExitCode.problems;
      }
      io.writeErr(`deleted ${options.name} from ${store.where}\n`);
      return ExitCode.ok;
    }
    case 'list': {
      const names = options.oauth ? signedIn(store.tokens.keys()) : store.listSecrets();
      for (const name of names) io.writeOut(`${name}\n`);
      if (!options.oauth) reportElsewhere(names, store, io);
      return ExitCode.ok;
    }
  }
}

/** stdout stays a list of names; the ones kept outside the store in use are named on stderr, with the way to move them. */
function reportElsewhere(names: readonly string[], store: SecretStore, io: CliIo): void {
  const elsewhere = new Map<string, string[]>();
  for (const name of names) {
    const where = store.whereIs(name);
    if (where !== undefined && where !== store.where) elsewhere.set(where, [...(elsewhere.get(where) ?? []), name]);
  }
  for (const [where, kept] of elsewhere) {
    io.writeErr(`note: ${kept.join(', ')} ${kept.length === 1 ? 'is' : 'are'} kept in ${where}; \`mcplex secret set NAME\` moves one to ${store.where}\n`);
  }
}

async function readValue(name: string, fromStdin: boolean, io: CliIo): Promise<string> {
  if (!fromStdin && io.stdinIsTty) return io.promptHidden(`Value of ${name} (not shown): `);
  // Piped: `printf %s "$TOKEN" | mcplex secret set NAME`; one trailing newline is not part of it.
  return (await io.readStdin()).replace(/\r?\n$/, '');
}

/** `mcplex.oauth/notion/work/<digest>/tokens` → `notion/work`, once per instance with tokens. */
function signedIn(keys: readonly string[]): string[] {
  const names = keys
    .filter((key) => key.startsWith(OAUTH_KEY_PREFIX) && key.endsWith('/tokens'))
    .map((key) => key.slice(OAUTH_KEY_PREFIX.length).split('/').slice(0, -2).join('/'));
  return [...new Set(names)].sort();
}
