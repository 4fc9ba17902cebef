/**
 * argv → a tagged union of what the user asked for. Nothing raw passes deeper:
 * every command receives typed options, and a usage error never reaches a command.
 */
import { didYouMean } from '../core/config';
import { DEFAULT_CONFIG_FILE, parseCommandLine, parseOptions, parseToolPrefix, UsageError } from './options';
import { isSecretStoreKind, type SecretStoreKind } from './secretStoreChoice';
import { parseServe } from './serveArgs';

export { DEFAULT_CONFIG_FILE, UsageError } from './options';
export { DEFAULT_PIPE_NAME } from './serveArgs';

export type Invocation =
  | { readonly kind: 'help'; readonly topic?: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'check'; readonly config: string }
  | { readonly kind: 'list'; readonly config: string; readonly json: boolean }
  | ({ readonly kind: 'serve'; readonly config: string; readonly instance?: string; readonly tokenEnv?: string; readonly toolPrefix?: ToolPrefix } & {
      readonly listen: ServeListen;
      /** `--exposure`: what the one endpoint lists; absent: the instances' tools. */
      readonly exposure?: ServeExposure;
      readonly sessions?: SessionOptions;
      /** `--max-message-mb N`: the largest message an upstream may write, in bytes. */
      readonly maxMessageBytes?: number;
    })
  | WrapInvocation
  | SecretInvocation
  | PinInvocation
  | AuditInvocation;

/** `mcplex pin show|accept` (issue 17, `tools.pin`): what was approved of pinned instances' tools. */
export type PinInvocation =
  | { readonly kind: 'pin'; readonly action: 'show'; readonly config: string; readonly instance?: string; readonly json: boolean }
  | { readonly kind: 'pin'; readonly action: 'accept'; readonly config: string; readonly instance: string; readonly tools: readonly string[] };

/** `mcplex audit`: the audit trails of a configuration's instances (all, or `--instance`). */
export interface AuditInvocation {
  readonly kind: 'audit';
  readonly config: string;
  readonly instance?: string;
  readonly json: boolean;
  readonly follow: boolean;
}

/** `mcplex secret set|get|delete|list`: the CLI's own secret store (`--secret-store`: which one, else chosen). */
export type SecretInvocation = { readonly store?: SecretStoreKind } & (
  | { readonly kind: 'secret'; readonly action: 'set'; readonly name: string; readonly valueStdin: boolean }
  | { readonly kind: 'secret'; readonly action: 'get'; readonly name: string }
  | { readonly kind: 'secret'; readonly action: 'delete'; readonly name: string; readonly oauth: boolean }
  | { readonly kind: 'secret'; readonly action: 'list'; readonly oauth: boolean }
);

/** Names of `${secret:NAME}` the CLI stores (and maps to `MCPLEX_SECRET_<NAME>`). */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `--tool-prefix`: `prefix` (the default) names tools `<prefix>__<tool>`; `none` keeps the
 * upstream's own names, for clients that already namespace by server (Claude Code, VS Code).
 */
export type ToolPrefix = 'prefix' | 'none';

/**
 * `--exposure`: `aggregate` (the default) lists every instance's tools; `accounts` lists a
 * tool all accounts of a server share once, with an `account` parameter; `discovery` lists
 * three tools that search, describe and call them, for clients without a tool search.
 */
export type ServeExposure = 'aggregate' | 'accounts' | 'discovery';

/** `--session-idle-timeout SECONDS` and `--max-sessions N`: the HTTP host's bounds on sessions. */
export interface SessionOptions {
  readonly idleMs?: number;
  readonly maxSessions?: number;
}

/** Where `serve` listens: stdio (the default), loopback TCP, or a unix socket / named pipe (`--pipe`, a `\\.\pipe\…` path). */
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
  readonly toolPrefix?: ToolPrefix;
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
        /** `--oauth`: sign in with the MCP OAuth flow. */
        readonly oauth?: {
          readonly scopes: readonly string[];
          readonly clientId?: string;
          readonly callbackPort?: number;
        };
      };
}

const COMMANDS = ['check', 'list', 'serve', 'wrap', 'secret', 'pin', 'audit', 'help'] as const;

export function parseInvocation(argv: readonly string[], platform: NodeJS.Platform = process.platform): Invocation {
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
      return parseServe(rest, platform);
    case 'wrap':
      return parseWrap(rest);
    case 'secret':
      return parseSecret(rest);
    case 'pin':
      return parsePin(rest);
    case 'audit': {
      const values = parseOptions(command, rest, {
        config: { type: 'string', short: 'c' },
        instance: { type: 'string' },
        json: { type: 'boolean' },
        follow: { type: 'boolean', short: 'f' },
      });
      if (values.help) return { kind: 'help', topic: command };
      return {
        kind: 'audit',
        config: values.config ?? DEFAULT_CONFIG_FILE,
        ...(values.instance !== undefined && { instance: values.instance }),
        json: values.json === true,
        follow: values.follow === true,
      };
    }
    default:
      throw new UsageError(`unknown command "${command}"${suggest(command)}`);
  }
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
    oauth: { type: 'boolean' },
    'oauth-scope': { type: 'string', multiple: true },
    'oauth-client-id': { type: 'string' },
    'oauth-callback-port': { type: 'string' },
    'tool-prefix': { type: 'string' },
  });
  if (values.help) return { kind: 'help', topic: 'wrap' };
  const toolPrefix = parseToolPrefix(values['tool-prefix'], 'wrap');
  if (values.prefix === undefined) throw new UsageError('--prefix is required, e.g. --prefix work', 'wrap');
  const optional = {
    ...(values.label === undefined ? {} : { label: values.label }),
    ...(values.separator === undefined ? {} : { separator: values.separator }),
    ...(values.note === undefined ? {} : { note: values.note }),
    ...(toolPrefix === undefined ? {} : { toolPrefix }),
  };
  if ((values.url === undefined) === (command.length === 0)) {
    throw new UsageError('give the upstream either after -- (a command) or with --url, not both', 'wrap');
  }
  const [program, ...programArgs] = command;
  if (program !== undefined) {
    if (values.transport !== undefined || values.header !== undefined || values['header-env'] !== undefined || values.oauth !== undefined) {
      throw new UsageError('--transport, --header, --header-env and --oauth apply to --url only', 'wrap');
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
      ...oauthOptions(values),
    },
  };
}

function oauthOptions(values: {
  oauth?: boolean;
  'oauth-scope'?: string[];
  'oauth-client-id'?: string;
  'oauth-callback-port'?: string;
}): { oauth?: { scopes: string[]; clientId?: string; callbackPort?: number } } {
  const detail = values['oauth-scope'] !== undefined || values['oauth-client-id'] !== undefined || values['oauth-callback-port'] !== undefined;
  if (values.oauth !== true) {
    if (detail) throw new UsageError('--oauth-scope, --oauth-client-id and --oauth-callback-port need --oauth', 'wrap');
    return {};
  }
  const portText = values['oauth-callback-port'];
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new UsageError(`--oauth-callback-port takes a port from 1 to 65535 (got "${portText}")`, 'wrap');
  }
  return {
    oauth: {
      scopes: (values['oauth-scope'] ?? []).flatMap((scope) => scope.split(/\s+/).filter(Boolean)),
      ...(values['oauth-client-id'] === undefined ? {} : { clientId: values['oauth-client-id'] }),
      ...(port === undefined ? {} : { callbackPort: port }),
    },
  };
}

function parseSecret(argv: readonly string[]): Invocation {
  const [action, ...rest] = argv;
  const { values, positionals: names } = parseCommandLine(
    'secret',
    rest,
    { 'value-stdin': { type: 'boolean' }, oauth: { type: 'boolean' }, 'secret-store': { type: 'string' } },
    true,
  );
  if (values.help || action === undefined || action === '--help' || action === '-h') return { kind: 'help', topic: 'secret' };
  const oauth = values.oauth === true;
  const storeText = values['secret-store'];
  if (storeText !== undefined && !isSecretStoreKind(storeText)) throw new UsageError(`--secret-store is keychain or file (got "${storeText}")`, 'secret');
  const store = storeText === undefined ? {} : { store: storeText };
  if (values['value-stdin'] === true && action !== 'set') throw new UsageError('--value-stdin applies to `secret set` only', 'secret');
  if (oauth && action !== 'list' && action !== 'delete') throw new UsageError('--oauth applies to `secret list` and `secret delete`', 'secret');
  if (action === 'list') {
    if (names.length > 0) throw new UsageError('`secret list` takes no name', 'secret');
    return { kind: 'secret', action, oauth, ...store };
  }
  if (action !== 'set' && action !== 'get' && action !== 'delete') {
    const near = didYouMean(action, ['set', 'get', 'delete', 'list']);
    throw new UsageError(`unknown secret action "${action}"${near === undefined ? '' : ` (did you mean "${near}"?)`}; use set, get, delete or list`, 'secret');
  }
  const [name, extra] = names;
  if (name === undefined || extra !== undefined) throw new UsageError(`\`secret ${action}\` takes one NAME, e.g. mcplex secret ${action} github-token`, 'secret');
  if (!oauth && !SECRET_NAME.test(name)) {
    throw new UsageError(`secret name "${name}" is not valid: use letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter or digit`, 'secret');
  }
  if (action === 'set') return { kind: 'secret', action, name, valueStdin: values['value-stdin'] === true, ...store };
  if (action === 'get') return { kind: 'secret', action, name, ...store };
  return { kind: 'secret', action, name, oauth, ...store };
}

/** `pin show [--config F] [--instance ID] [--json]`, `pin accept [--config F] --instance ID [TOOL…]`. */
function parsePin(argv: readonly string[]): Invocation {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') return { kind: 'help', topic: 'pin' };
  if (action !== 'show' && action !== 'accept') {
    const near = didYouMean(action, ['show', 'accept']);
    throw new UsageError(`unknown pin action "${action}"${near === undefined ? '' : ` (did you mean "${near}"?)`}; use show or accept`, 'pin');
  }
  const { values, positionals } = parseCommandLine('pin', rest, { config: { type: 'string', short: 'c' }, instance: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (values.help === true) return { kind: 'help', topic: 'pin' };
  const config = values.config ?? DEFAULT_CONFIG_FILE;
  if (action === 'show') {
    if (positionals.length > 0) throw new UsageError('`pin show` takes no tool names', 'pin');
    return { kind: 'pin', action, config, json: values.json === true, ...(values.instance !== undefined && { instance: values.instance }) };
  }
  if (values.json === true) throw new UsageError('--json applies to `pin show` only', 'pin');
  // Accepting is a decision about one account: never every instance at once.
  if (values.instance === undefined) throw new UsageError('`pin accept` needs --instance ID (the account whose tools you approve)', 'pin');
  return { kind: 'pin', action, config, instance: values.instance, tools: positionals };
}

function splitPair(text: string, separator: string, shape: string): readonly [string, string] {
  const at = text.indexOf(separator);
  const name = text.slice(0, at).trim();
  if (at <= 0 || name === '') throw new UsageError(`expected ${shape} (got "${text}")`, 'wrap');
  return [name, text.slice(at + 1).trim()];
}

function suggest(command: string): string {
  const near = didYouMean(command, COMMANDS);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
