/**
 * argv → a tagged union of what the user asked for. Nothing raw passes deeper:
 * every command receives typed options, and a usage error never reaches a command.
 */
import { didYouMean } from '../core/config';
import { CONFIG_OPTIONS, configChoice, parseCommandLine, parseOptions, parseSecretStore, SECRET_STORE_OPTIONS, UsageError, type ConfigChoice } from './options';
import type { SecretStoreKind } from './secretStoreChoice';
import { parseServe } from './serveArgs';
import { parseWrap, type WrapInvocation } from './wrapArgs';

export { DEFAULT_CONFIG_FILE, UsageError } from './options';
export { DEFAULT_PIPE_NAME } from './serveArgs';
export type { WrapAuth, WrapInvocation, WrapUrl } from './wrapArgs';

export type Invocation =
  | { readonly kind: 'help'; readonly topic?: string }
  | { readonly kind: 'version' }
  | ({ readonly kind: 'check' } & ConfigChoice)
  | ({ readonly kind: 'list'; readonly json: boolean } & ConfigChoice)
  | ({ readonly kind: 'serve'; readonly instance?: string; readonly tokenEnv?: string; readonly toolPrefix?: ToolPrefix } & {
      readonly listen: ServeListen;
      /** `--exposure`: what the one endpoint lists; absent: the instances' tools. */
      readonly exposure?: ServeExposure;
      readonly sessions?: SessionOptions;
      /** `--max-message-mb N`: the largest message an upstream may write, in bytes. */
      readonly maxMessageBytes?: number;
    } & ConfigChoice)
  | WrapInvocation
  | SecretInvocation
  | PinInvocation
  | AuditInvocation;

/** `mcplex pin show|accept` (issue 17, `tools.pin`): what was approved of pinned instances' tools. */
export type PinInvocation =
  | ({ readonly kind: 'pin'; readonly action: 'show'; readonly instance?: string; readonly json: boolean } & ConfigChoice)
  | ({ readonly kind: 'pin'; readonly action: 'accept'; readonly instance: string; readonly tools: readonly string[] } & ConfigChoice);

/** `mcplex audit`: the audit trails of a configuration's instances (all, or `--instance`). */
export interface AuditInvocation extends ConfigChoice {
  readonly kind: 'audit';
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
  /** `--exit-when-idle SECONDS`: serving ends once no session has been open this long. */
  readonly exitWhenIdleMs?: number;
}

/** Where `serve` listens: stdio (the default), loopback TCP, or a unix socket / named pipe (`--pipe`, a `\\.\pipe\…` path). */
/**
 * Where `serve` listens. Started by systemd with sockets passed (`LISTEN_FDS`), `--http` and
 * `--socket` listen on the passed one (`fdName`: `--listen-fd-name`) instead of binding.
 */
export type ServeListen =
  | { readonly kind: 'stdio' }
  | { readonly kind: 'http'; readonly host: string; readonly port: number; readonly fdName?: string }
  | { readonly kind: 'socket'; readonly path: string; readonly fdName?: string };

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
      const values = parseOptions(command, rest, CONFIG_OPTIONS);
      if (values.help) return { kind: 'help', topic: command };
      return { kind: 'check', ...configChoice(values, command) };
    }
    case 'list': {
      const values = parseOptions(command, rest, { ...CONFIG_OPTIONS, json: { type: 'boolean' } });
      if (values.help) return { kind: 'help', topic: command };
      return { kind: 'list', ...configChoice(values, command), json: values.json === true };
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
        ...CONFIG_OPTIONS,
        instance: { type: 'string' },
        json: { type: 'boolean' },
        follow: { type: 'boolean', short: 'f' },
      });
      if (values.help) return { kind: 'help', topic: command };
      return {
        kind: 'audit',
        ...configChoice(values, command),
        ...(values.instance !== undefined && { instance: values.instance }),
        json: values.json === true,
        follow: values.follow === true,
      };
    }
    default:
      throw new UsageError(`unknown command "${command}"${suggest(command)}`);
  }
}

function parseSecret(argv: readonly string[]): Invocation {
  const [action, ...rest] = argv;
  const { values, positionals: names } = parseCommandLine(
    'secret',
    rest,
    { 'value-stdin': { type: 'boolean' }, oauth: { type: 'boolean' }, ...SECRET_STORE_OPTIONS },
    true,
  );
  if (values.help || action === undefined || action === '--help' || action === '-h') return { kind: 'help', topic: 'secret' };
  const oauth = values.oauth === true;
  const storeKind = parseSecretStore(values['secret-store'], 'secret');
  const store = storeKind === undefined ? {} : { store: storeKind };
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
  const { values, positionals } = parseCommandLine('pin', rest, { ...CONFIG_OPTIONS, instance: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (values.help === true) return { kind: 'help', topic: 'pin' };
  const config = configChoice(values, 'pin');
  if (action === 'show') {
    if (positionals.length > 0) throw new UsageError('`pin show` takes no tool names', 'pin');
    return { kind: 'pin', action, ...config, json: values.json === true, ...(values.instance !== undefined && { instance: values.instance }) };
  }
  if (values.json === true) throw new UsageError('--json applies to `pin show` only', 'pin');
  // Accepting is a decision about one account: never every instance at once.
  if (values.instance === undefined) throw new UsageError('`pin accept` needs --instance ID (the account whose tools you approve)', 'pin');
  return { kind: 'pin', action, ...config, instance: values.instance, tools: positionals };
}

function suggest(command: string): string {
  const near = didYouMean(command, COMMANDS);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
