/**
 * What every command's argv parsing shares: the usage error, node's parseArgs with the
 * command named in its errors, and the options more than one command takes.
 */
import { parseArgs } from 'node:util';
import type { ToolPrefix } from './args';
import { isSecretStoreKind, type SecretStoreKind } from './secretStoreChoice';

/** The folder's configuration, looked for from the current folder upward (configLocations.ts). */
export const DEFAULT_CONFIG_FILE = '.mcplex.jsonc';

/** What the command line says about the configuration (check, list, serve, pin, audit). */
export interface ConfigChoice {
  /** `--config FILE`; absent: the nearest `.mcplex.jsonc` from the current folder upward. */
  readonly config?: string;
  /** `--no-user-config`: the user's configuration is not read (as with `MCPLEX_NO_USER_CONFIG=1`). */
  readonly noUserConfig?: boolean;
  /**
   * `--secret-store keychain|file`: where its `${secret:…}` and OAuth tokens are read. The run
   * reads it from `CliIo.secretStore` (cli.ts puts it there), so every lookup sees it.
   */
  readonly secretStore?: SecretStoreKind;
}

/** `--secret-store`, for every command that reads secrets or OAuth tokens. */
export const SECRET_STORE_OPTIONS = {
  'secret-store': { type: 'string' },
} as const;

/** The options behind `ConfigChoice`, for every command that reads a configuration (and so its secrets). */
export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'no-user-config': { type: 'boolean' },
  ...SECRET_STORE_OPTIONS,
} as const;

/** `command` names the command in a usage error. */
export function configChoice(values: { config?: string; 'no-user-config'?: boolean; 'secret-store'?: string }, command?: string): ConfigChoice {
  const secretStore = parseSecretStore(values['secret-store'], command);
  return {
    ...(values.config !== undefined && { config: values.config }),
    ...(values['no-user-config'] === true && { noUserConfig: true }),
    ...(secretStore !== undefined && { secretStore }),
  };
}

/** The one reading of `--secret-store`, for every command that takes it. */
export function parseSecretStore(text: string | undefined, command?: string): SecretStoreKind | undefined {
  if (text === undefined || isSecretStoreKind(text)) return text;
  throw new UsageError(`--secret-store is keychain or file (got "${text}")`, command);
}

/** A mistake in the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
type OptionValues<T extends OptionSpec> = {
  [K in keyof T]?: T[K]['type'] extends 'string' ? (T[K]['multiple'] extends true ? string[] : string) : boolean;
} & { help?: boolean };

export function parseOptions<T extends OptionSpec>(command: string, args: readonly string[], options: T): OptionValues<T> {
  return parseCommandLine(command, args, options, false).values;
}

/** The options and the positional arguments (`pin accept … TOOL…`). */
export function parseCommandLine<T extends OptionSpec>(command: string, args: readonly string[], options: T, allowPositionals: boolean): { values: OptionValues<T>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    return { values: values as OptionValues<T>, positionals };
  } catch (error) {
    // node's messages are good ("Unknown option '--x'"); keep them, name the command.
    throw new UsageError(error instanceof Error ? error.message : String(error), command);
  }
}

export function parseToolPrefix(text: string | undefined, command: string): ToolPrefix | undefined {
  if (text === undefined || text === 'prefix' || text === 'none') return text;
  throw new UsageError(`--tool-prefix is prefix or none (got "${text}")`, command);
}
