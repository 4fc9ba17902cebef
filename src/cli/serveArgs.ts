/**
 * `mcplex serve`'s command line: where it listens (stdio, loopback HTTP, a unix socket, a
 * Windows named pipe), what it exposes and the bounds on its sessions.
 */
import { didYouMean } from '../core/config';
import type { Invocation, ServeExposure, ServeListen, SessionOptions } from './args';
import { CONFIG_OPTIONS, configChoice, parseOptions, parseToolPrefix, UsageError } from './options';

const SERVE_EXPOSURES: readonly ServeExposure[] = ['aggregate', 'accounts', 'discovery'];

export function parseServe(given: readonly string[], platform: NodeJS.Platform): Invocation {
  const args = withPipeDefault(given);
  const values = parseOptions('serve', args, {
    ...CONFIG_OPTIONS,
    stdio: { type: 'boolean' },
    http: { type: 'string' },
    socket: { type: 'string' },
    pipe: { type: 'string' },
    'listen-fd-name': { type: 'string' },
    instance: { type: 'string' },
    'token-env': { type: 'string' },
    'tool-prefix': { type: 'string' },
    exposure: { type: 'string' },
    'session-idle-timeout': { type: 'string' },
    'max-sessions': { type: 'string' },
    'exit-when-idle': { type: 'string' },
    'max-message-mb': { type: 'string' },
  });
  if (values.help) return { kind: 'help', topic: 'serve' };
  const toolPrefix = parseToolPrefix(values['tool-prefix'], 'serve');
  const exposure = parseExposure(values.exposure);
  const chosen = [values.stdio === true, values.http !== undefined, values.socket !== undefined, values.pipe !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('choose one of --stdio, --http, --socket and --pipe', 'serve');
  const fdName = values['listen-fd-name'];
  if (fdName !== undefined && values.http === undefined && values.socket === undefined) {
    throw new UsageError('--listen-fd-name chooses the socket systemd passes for --http or --socket; give one of them too', 'serve');
  }
  const activation = fdName === undefined ? {} : { fdName };
  const listen: ServeListen =
    values.http !== undefined
      ? { kind: 'http', ...parseHostPort(values.http), ...activation }
      : values.socket !== undefined
        ? { kind: 'socket', path: values.socket, ...activation }
        : values.pipe !== undefined
          ? { kind: 'socket', path: pipePath(values.pipe, platform) }
          : { kind: 'stdio' };
  if (values['token-env'] !== undefined && listen.kind === 'stdio') {
    throw new UsageError('--token-env protects --http, --socket and --pipe; stdio needs no token', 'serve');
  }
  const idle = countOption(values['session-idle-timeout'], '--session-idle-timeout takes whole SECONDS (0: never)', 0);
  const max = countOption(values['max-sessions'], '--max-sessions takes a NUMBER of sessions, 1 or more', 1);
  if ((idle !== undefined || max !== undefined) && listen.kind === 'stdio') {
    throw new UsageError('--session-idle-timeout and --max-sessions bound --http and --socket sessions; stdio has one', 'serve');
  }
  const exitWhenIdle = countOption(values['exit-when-idle'], '--exit-when-idle takes whole SECONDS, 1 or more', 1);
  if (exitWhenIdle !== undefined && listen.kind === 'stdio') {
    throw new UsageError('--exit-when-idle ends --http and --socket serving with no session; over stdio mcplex ends with its client', 'serve');
  }
  const maxMessageMb = countOption(values['max-message-mb'], '--max-message-mb takes whole MiB, 1 or more', 1);
  const sessions: SessionOptions = {
    ...(idle !== undefined && { idleMs: idle * 1000 }),
    ...(max !== undefined && { maxSessions: max }),
    ...(exitWhenIdle !== undefined && { exitWhenIdleMs: exitWhenIdle * 1000 }),
  };
  return {
    kind: 'serve',
    ...configChoice(values, 'serve'),
    listen,
    ...(values.instance === undefined ? {} : { instance: values.instance }),
    ...(values['token-env'] === undefined ? {} : { tokenEnv: values['token-env'] }),
    ...(toolPrefix === undefined ? {} : { toolPrefix }),
    ...(exposure === undefined ? {} : { exposure }),
    ...(Object.keys(sessions).length > 0 && { sessions }),
    ...(maxMessageMb !== undefined && { maxMessageBytes: maxMessageMb * 1024 * 1024 }),
  };
}

/** `--pipe` with no NAME (last, or before another option) serves on the pipe named `mcplex`. */
export const DEFAULT_PIPE_NAME = 'mcplex';

function withPipeDefault(args: readonly string[]): readonly string[] {
  return args.flatMap((arg, index) => {
    const next = args[index + 1];
    return arg === '--pipe' && (next === undefined || next.startsWith('-')) ? [`--pipe=${DEFAULT_PIPE_NAME}`] : [arg];
  });
}

/**
 * `--pipe NAME` → `\\.\pipe\NAME`; a full pipe path is taken as it is. Named pipes are
 * Windows' own: elsewhere the option is refused with what to use instead.
 */
function pipePath(name: string, platform: NodeJS.Platform): string {
  if (platform !== 'win32') throw new UsageError('--pipe serves on a Windows named pipe; on this system use --socket PATH', 'serve');
  if (/^[\\/][\\/][.?][\\/]pipe[\\/][^\\/]+$/i.test(name)) return name;
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(name)) {
    throw new UsageError(`--pipe NAME takes letters, digits, ".", "_" and "-" (or a full \\\\.\\pipe\\NAME), not "${name}"`, 'serve');
  }
  return `\\\\.\\pipe\\${name}`;
}

function countOption(text: string | undefined, usage: string, least: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < least) throw new UsageError(`${usage} (got "${text}")`, 'serve');
  return value;
}

function parseExposure(text: string | undefined): ServeExposure | undefined {
  if (text === undefined) return undefined;
  const known = SERVE_EXPOSURES.find((exposure) => exposure === text);
  if (known !== undefined) return known;
  const guess = didYouMean(text, SERVE_EXPOSURES);
  throw new UsageError(`--exposure is ${SERVE_EXPOSURES.slice(0, -1).join(', ')} or ${SERVE_EXPOSURES.at(-1) ?? ''} (got "${text}")${guess === undefined ? '' : `; did you mean ${guess}?`}`, 'serve');
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
