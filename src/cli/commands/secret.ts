/**
 * `mcplex secret set|get|delete|list`: the store behind `${secret:NAME}` in the CLI.
 * `set` asks without echo on a terminal and reads stdin otherwise, so a value never
 * needs to be on the command line (where `ps` and shell history would see it).
 * `--oauth` lists or forgets the instances' OAuth sign-ins, kept apart from secrets.
 */
import { OAUTH_KEY_PREFIX } from '../../core/auth';
import type { SecretInvocation } from '../args';
import { secretVariableName } from '../configFile';
import { ExitCode, type CliIo } from '../io';
import { FileSecretStore, secretStorePath } from '../secretStore';

export async function secretCommand(options: SecretInvocation, io: CliIo): Promise<ExitCode> {
  const store = new FileSecretStore(secretStorePath(io.env));
  switch (options.action) {
    case 'set': {
      const value = await readValue(options.name, options.valueStdin, io);
      if (value === '') {
        io.writeErr(`mcplex: the value of ${options.name} is empty; nothing was stored\n`);
        return ExitCode.usage;
      }
      store.setSecret(options.name, value);
      io.writeErr(`stored ${options.name} in ${store.path}\n`);
      if (io.env[secretVariableName(options.name)] !== undefined) {
        io.writeErr(`note: ${secretVariableName(options.name)} is set in this environment and wins over the store\n`);
      }
      return ExitCode.ok;
    }
    case 'get': {
      // The user's own request for the value: stdout is where it belongs.
      const value = store.getSecret(options.name);
      if (value === undefined) {
        io.writeErr(`mcplex: no secret ${options.name} in ${store.path}\n`);
        return ExitCode.problems;
      }
      io.writeOut(`${value}\n`);
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
        io.writeErr(`mcplex: no secret ${options.name} in ${store.path}\n`);
        return ExitCode.problems;
      }
      io.writeErr(`deleted ${options.name}\n`);
      return ExitCode.ok;
    }
    case 'list': {
      const names = options.oauth ? signedIn(store.tokens.keys()) : store.listSecrets();
      for (const name of names) io.writeOut(`${name}\n`);
      return ExitCode.ok;
    }
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
