/**
 * What every command's argv parsing shares: the usage error, node's parseArgs with the
 * command named in its errors, and the options more than one command takes.
 */
import { parseArgs } from 'node:util';
import type { ToolPrefix } from './args';

export const DEFAULT_CONFIG_FILE = '.mcplex.jsonc';

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
