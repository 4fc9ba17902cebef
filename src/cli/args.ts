/**
 * argv → a tagged union of what the user asked for. Nothing raw passes deeper:
 * every command receives typed options, and a usage error never reaches a command.
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../core/config/didYouMean';

export const DEFAULT_CONFIG_FILE = '.mcplex.jsonc';

export type Invocation =
  | { readonly kind: 'help'; readonly topic?: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'check'; readonly config: string }
  | { readonly kind: 'list'; readonly config: string; readonly json: boolean };

export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const COMMANDS = ['check', 'list', 'help'] as const;

export function parseInvocation(argv: readonly string[]): Invocation {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined;
    return topic === undefined ? { kind: 'help' } : { kind: 'help', topic };
  }
  if (command === '--version' || command === '-v') return { kind: 'version' };
  switch (command) {
    case 'check': {
      const values = parseOptions(command, rest, { config: { type: 'string', short: 'c' } });
      if (values.help) return { kind: 'help', topic: command };
      return { kind: 'check', config: values.config ?? DEFAULT_CONFIG_FILE };
    }
    case 'list': {
      const values = parseOptions(command, rest, {
        config: { type: 'string', short: 'c' },
        json: { type: 'boolean' },
      });
      if (values.help) return { kind: 'help', topic: command };
      return { kind: 'list', config: values.config ?? DEFAULT_CONFIG_FILE, json: values.json === true };
    }
    default:
      throw new UsageError(`unknown command "${command}"${suggest(command)}`);
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type OptionValues<T extends OptionSpec> = {
  [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean;
} & { help?: boolean };

function parseOptions<T extends OptionSpec>(command: string, args: readonly string[], options: T): OptionValues<T> {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
    return values as OptionValues<T>;
  } catch (error) {
    // node's messages are good ("Unknown option '--x'"); keep them, name the command.
    throw new UsageError(error instanceof Error ? error.message : String(error), command);
  }
}

function suggest(command: string): string {
  const near = didYouMean(command, COMMANDS);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
