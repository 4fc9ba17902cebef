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
  | { readonly kind: 'list'; readonly config: string; readonly json: boolean }
  | ({ readonly kind: 'serve'; readonly config: string; readonly instance?: string; readonly tokenEnv?: string } & { readonly listen: ServeListen })
  | WrapInvocation;

/** Where `serve` listens: stdio (the default), loopback TCP, or a unix socket / named pipe. */
export type ServeListen =
  | { readonly kind: 'stdio' }
  | { readonly kind: 'http'; readonly host: string; readonly port: number }
  | { readonly kind: 'socket'; readonly path: string };

export interface WrapInvocation {
  readonly kind: 'wrap';
  readonly prefix: string;
  readonly label?: string;
  readonly separator?: string;
  readonly note?: string;
  readonly upstream:
    | { readonly kind: 'command'; readonly command: string; readonly args: readonly string[] }
    | {
        readonly kind: 'url';
        readonly url: string;
        readonly transport: 'auto' | 'http' | 'sse';
        /** `Name: value` as given. */
        readonly headers: readonly (readonly [string, string])[];
        /** `Name=ENV`: the header's value is read from the environment variable ENV. */
        readonly headerEnv: readonly (readonly [string, string])[];
      };
}

export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const COMMANDS = ['check', 'list', 'serve', 'wrap', 'help'] as const;

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
    case 'serve':
      return parseServe(rest);
    case 'wrap':
      return parseWrap(rest);
    default:
      throw new UsageError(`unknown command "${command}"${suggest(command)}`);
  }
}

function parseServe(args: readonly string[]): Invocation {
  const values = parseOptions('serve', args, {
    config: { type: 'string', short: 'c' },
    stdio: { type: 'boolean' },
    http: { type: 'string' },
    socket: { type: 'string' },
    instance: { type: 'string' },
    'token-env': { type: 'string' },
  });
  if (values.help) return { kind: 'help', topic: 'serve' };
  const chosen = [values.stdio === true, values.http !== undefined, values.socket !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('choose one of --stdio, --http and --socket', 'serve');
  const listen: ServeListen =
    values.http !== undefined
      ? { kind: 'http', ...parseHostPort(values.http) }
      : values.socket !== undefined
        ? { kind: 'socket', path: values.socket }
        : { kind: 'stdio' };
  if (values['token-env'] !== undefined && listen.kind === 'stdio') {
    throw new UsageError('--token-env protects --http and --socket; stdio needs no token', 'serve');
  }
  return {
    kind: 'serve',
    config: values.config ?? DEFAULT_CONFIG_FILE,
    listen,
    ...(values.instance === undefined ? {} : { instance: values.instance }),
    ...(values['token-env'] === undefined ? {} : { tokenEnv: values['token-env'] }),
  };
}

/** `8080`, `127.0.0.1:8080` or `[::1]:8080`; loopback only is enforced by the host. */
function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--http takes [HOST:]PORT, e.g. 8080 or 127.0.0.1:8080 (got "${text}")`, 'serve');
  }
  const host = match[1]?.replace(/^\[|\]$/g, '') ?? '127.0.0.1';
  return { host, port };
}

function parseWrap(argv: readonly string[]): Invocation {
  // Everything after `--` is the upstream command, untouched (it has options of its own).
  const dashes = argv.indexOf('--');
  const own = dashes === -1 ? argv : argv.slice(0, dashes);
  const command = dashes === -1 ? [] : argv.slice(dashes + 1);
  const values = parseOptions('wrap', own, {
    prefix: { type: 'string', short: 'p' },
    label: { type: 'string', short: 'l' },
    separator: { type: 'string' },
    note: { type: 'string' },
    url: { type: 'string' },
    transport: { type: 'string' },
    header: { type: 'string', multiple: true },
    'header-env': { type: 'string', multiple: true },
  });
  if (values.help) return { kind: 'help', topic: 'wrap' };
  if (values.prefix === undefined) throw new UsageError('--prefix is required, e.g. --prefix work', 'wrap');
  const optional = {
    ...(values.label === undefined ? {} : { label: values.label }),
    ...(values.separator === undefined ? {} : { separator: values.separator }),
    ...(values.note === undefined ? {} : { note: values.note }),
  };
  if ((values.url === undefined) === (command.length === 0)) {
    throw new UsageError('give the upstream either after -- (a command) or with --url, not both', 'wrap');
  }
  const [program, ...programArgs] = command;
  if (program !== undefined) {
    if (values.transport !== undefined || values.header !== undefined || values['header-env'] !== undefined) {
      throw new UsageError('--transport, --header and --header-env apply to --url only', 'wrap');
    }
    return { kind: 'wrap', prefix: values.prefix, ...optional, upstream: { kind: 'command', command: program, args: programArgs } };
  }
  const transport = values.transport ?? 'auto';
  if (transport !== 'auto' && transport !== 'http' && transport !== 'sse') {
    throw new UsageError(`--transport is auto, http or sse (got "${transport}")`, 'wrap');
  }
  return {
    kind: 'wrap',
    prefix: values.prefix,
    ...optional,
    upstream: {
      kind: 'url',
      url: values.url ?? '',
      transport,
      headers: (values.header ?? []).map((header) => splitPair(header, ':', '--header "Name: value"')),
      headerEnv: (values['header-env'] ?? []).map((pair) => splitPair(pair, '=', '--header-env Name=ENV_VAR')),
    },
  };
}

function splitPair(text: string, separator: string, shape: string): readonly [string, string] {
  const at = text.indexOf(separator);
  const name = text.slice(0, at).trim();
  if (at <= 0 || name === '') throw new UsageError(`expected ${shape} (got "${text}")`, 'wrap');
  return [name, text.slice(at + 1).trim()];
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
type OptionValues<T extends OptionSpec> = {
  [K in keyof T]?: T[K]['type'] extends 'string' ? (T[K]['multiple'] extends true ? string[] : string) : boolean;
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
