/**
 * What the CLI's configuration resolves in: the context of its `${...}` references (the
 * process environment; for secrets `MCPLEX_SECRET_<NAME>`, then the store of
 * `mcplex secret set`, the OS keychain or the 0600 file; the workspace folder as
 * `${workspaceFolder}`), and how it says what is missing. Which files it reads: configSources.ts.
 */
import { homedir } from 'node:os';
import type { SecretResolver, SubstitutionContext } from '../core/config';
import type { Redactor } from '../core/redaction';
import type { CliIo } from './io';
import type { SecretStore } from './secretStore';
import { lazySecretStore } from './secretStoreChoice';

export class ConfigFileError extends Error {
  readonly code = 'config-file';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigFileError';
  }
}

/** The user's home folder as the CLI sees it (`${userHome}`, where the upward search ends). */
export function cliUserHome(io: Pick<CliIo, 'env'>): string {
  return io.env['HOME'] ?? homedir();
}

export function cliContext(io: CliIo, workspaceFolder: string): SubstitutionContext {
  return {
    env: io.env,
    secrets: cliSecrets(io.env, lazySecretStore(io), io.secrets),
    workspaceFolder,
    userHome: cliUserHome(io),
  };
}

/** Where the CLI looks for the secrets an instance is missing, one line per instance. */
export function secretHints(needs: readonly { serverId: string; instanceId: string; secrets: readonly string[] }[]): string[] {
  return needs.map(({ serverId, instanceId, secrets }) => {
    const variables = secrets.map(secretVariableName).join(', ');
    const commands = secrets.map((name) => `mcplex secret set ${name}`).join(', ');
    return `hint: ${serverId}/${instanceId} needs secrets: set ${variables}, or store them with ${commands}`;
  });
}

/** `${secret:google-work-key}` ← `MCPLEX_SECRET_GOOGLE_WORK_KEY`. */
export function secretVariableName(name: string): string {
  return `MCPLEX_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The environment first (a one-off override, CI), then the store. Every value handed out
 * joins `redactor` first, so nothing the CLI prints afterwards shows it.
 */
export function cliSecrets(
  env: Readonly<Record<string, string | undefined>>,
  store: Pick<SecretStore, 'getSecret'>,
  redactor: Pick<Redactor, 'add'>,
): SecretResolver {
  const handOut = (value: string | undefined): string | undefined => {
    redactor.add(value);
    return value;
  };
  return {
    get: (name) => {
      const fromEnv = env[secretVariableName(name)];
      if (fromEnv !== undefined) return Promise.resolve(handOut(fromEnv));
      try {
        return Promise.resolve(handOut(store.getSecret(name)));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
  };
}
