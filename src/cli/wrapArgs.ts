/**
 * `mcplex wrap`'s command line: mcplex's own flags and those of the single-prefix proxy it
 * replaces (MCPlexer: `--transport stdio`, `--oauth-flow`, `--oauth-bearer-env`,
 * `--oauth-store`, `--oauth-no-open`, `--oauth-client-secret-env`, `--oauth-client-name`),
 * each with that proxy's meaning, so its command lines run unchanged after `mcplex wrap`.
 * Where the two name one thing differently (`--oauth`, `--oauth-flow browser`) both are
 * accepted. Only argv is read here: environment values are the command's to look up.
 */
import type { ToolPrefix } from './args';
import { parseOptions, parseSecretStore, parseToolPrefix, SECRET_STORE_OPTIONS, UsageError } from './options';
import type { SecretStoreKind } from './secretStoreChoice';

export interface WrapInvocation {
  readonly kind: 'wrap';
  readonly prefix: string;
  readonly label?: string;
  readonly separator?: string;
  readonly note?: string;
  readonly toolPrefix?: ToolPrefix;
  /** `--secret-store`: where the OAuth tokens are kept (unless `--oauth-store FILE`). */
  readonly secretStore?: SecretStoreKind;
  readonly upstream: { readonly kind: 'command'; readonly command: string; readonly args: readonly string[] } | WrapUrl;
}

export interface WrapUrl {
  readonly kind: 'url';
  readonly url: string;
  readonly transport: 'auto' | 'http' | 'sse';
  /** `Name: value` as given. */
  readonly headers: readonly (readonly [string, string])[];
  /** `Name=ENV`: the header's value is read from the environment variable ENV. */
  readonly headerEnv: readonly (readonly [string, string])[];
  /** How the upstream is signed in to; absent (or `--oauth-flow none`): nothing beyond the headers. */
  readonly auth?: WrapAuth;
}

export type WrapAuth =
  /** `--oauth` or `--oauth-flow browser`: the user signs in in a browser (authorization code). */
  | {
      readonly kind: 'browser';
      readonly scopes: readonly string[];
      /** A client registered beforehand (else mcplex registers itself). */
      readonly clientId?: string;
      /** `--oauth-client-secret-env ENV`: that client's secret, for a confidential client. */
      readonly clientSecretEnv?: string;
      readonly clientName?: string;
      readonly callbackPort?: number;
      /** False with `--oauth-no-open`: the sign-in URL is printed and no browser is opened. */
      readonly openBrowser: boolean;
      /** `--oauth-store FILE`: this instance's OAuth state in FILE (0600) instead of the secret store. */
      readonly store?: string;
    }
  /** `--oauth-client-id` with `--oauth-client-secret-env` and no browser: a machine account (client credentials). */
  | { readonly kind: 'machine'; readonly clientId: string; readonly clientSecretEnv: string; readonly scopes: readonly string[]; readonly clientName?: string }
  /** `--oauth-bearer-env ENV`: `Authorization: Bearer <ENV's value>`, a token the user already has. */
  | { readonly kind: 'bearer'; readonly env: string };

const TRANSPORTS = ['stdio', 'auto', 'http', 'sse'] as const;
type TransportFlag = (typeof TRANSPORTS)[number];

/** The flags that only make sense with `--url`: refused beside a command after `--`. */
const URL_ONLY = [
  'header',
  'header-env',
  'oauth',
  'oauth-flow',
  'oauth-scope',
  'oauth-client-id',
  'oauth-client-secret-env',
  'oauth-client-name',
  'oauth-callback-port',
  'oauth-bearer-env',
  'oauth-store',
  'oauth-no-open',
] as const;

/** What a browser sign-in alone uses (the original refuses them elsewhere too). */
const BROWSER_ONLY = ['oauth-store', 'oauth-no-open', 'oauth-callback-port'] as const;

type WrapValues = ReturnType<typeof parseWrapOptions>;

function parseWrapOptions(own: readonly string[]) {
  return parseOptions('wrap', own, {
    prefix: { type: 'string', short: 'p' },
    label: { type: 'string', short: 'l' },
    separator: { type: 'string' },
    note: { type: 'string' },
    url: { type: 'string' },
    transport: { type: 'string' },
    header: { type: 'string', multiple: true },
    'header-env': { type: 'string', multiple: true },
    oauth: { type: 'boolean' },
    'oauth-flow': { type: 'string' },
    'oauth-scope': { type: 'string', multiple: true },
    'oauth-client-id': { type: 'string' },
    'oauth-client-secret-env': { type: 'string' },
    'oauth-client-name': { type: 'string' },
    'oauth-callback-port': { type: 'string' },
    'oauth-bearer-env': { type: 'string' },
    'oauth-store': { type: 'string' },
    'oauth-no-open': { type: 'boolean' },
    'tool-prefix': { type: 'string' },
    ...SECRET_STORE_OPTIONS,
  });
}

export function parseWrap(argv: readonly string[]): WrapInvocation | { readonly kind: 'help'; readonly topic: 'wrap' } {
  // Everything after `--` is the upstream command, untouched (it has options of its own).
  const dashes = argv.indexOf('--');
  const own = dashes === -1 ? argv : argv.slice(0, dashes);
  const command = dashes === -1 ? [] : argv.slice(dashes + 1);
  const values = parseWrapOptions(own);
  if (values.help) return { kind: 'help', topic: 'wrap' };
  const toolPrefix = parseToolPrefix(values['tool-prefix'], 'wrap');
  const secretStore = parseSecretStore(values['secret-store'], 'wrap');
  if (values.prefix === undefined) throw new UsageError('--prefix is required, e.g. --prefix work', 'wrap');
  const optional = {
    ...(values.label === undefined ? {} : { label: values.label }),
    // No default here: mcplex's (`__`) is the command's, never the original's `:` assumed.
    ...(values.separator === undefined ? {} : { separator: values.separator }),
    ...(values.note === undefined ? {} : { note: values.note }),
    ...(toolPrefix === undefined ? {} : { toolPrefix }),
    ...(secretStore === undefined ? {} : { secretStore }),
  };
  if ((values.url === undefined) === (command.length === 0)) {
    throw new UsageError('give the upstream either after -- (a command) or with --url, not both', 'wrap');
  }
  const transport = parseTransport(values.transport);
  const [program, ...programArgs] = command;
  if (program !== undefined) {
    const remoteOnly = given(values, URL_ONLY);
    if (remoteOnly.length > 0) throw new UsageError(`${remoteOnly.join(', ')}: for --url only; a command after -- runs over stdio`, 'wrap');
    if (transport !== undefined && transport !== 'stdio') {
      throw new UsageError(`--transport ${transport} is for --url; a command after -- runs over stdio (--transport stdio)`, 'wrap');
    }
    return { kind: 'wrap', prefix: values.prefix, ...optional, upstream: { kind: 'command', command: program, args: programArgs } };
  }
  if (transport === 'stdio') throw new UsageError('--transport stdio is for a command after --; with --url use auto, http or sse', 'wrap');
  const headers = (values.header ?? []).map((header) => splitPair(header, ':', '--header "Name: value"'));
  const headerEnv = (values['header-env'] ?? []).map((pair) => splitPair(pair, '=', '--header-env Name=ENV_VAR'));
  const auth = parseAuth(values);
  if (auth !== undefined) refuseAuthorizationHeader(headers, headerEnv, auth);
  return {
    kind: 'wrap',
    prefix: values.prefix,
    ...optional,
    upstream: { kind: 'url', url: values.url ?? '', transport: transport ?? 'auto', headers, headerEnv, ...(auth !== undefined && { auth }) },
  };
}

function parseTransport(text: string | undefined): TransportFlag | undefined {
  if (text === undefined) return undefined;
  if ((TRANSPORTS as readonly string[]).includes(text)) return text as TransportFlag;
  throw new UsageError(`--transport is stdio, auto, http or sse (got "${text}")`, 'wrap');
}

/**
 * The `--oauth*` flags → one way of signing in, as the original decides it: a browser flow
 * when asked for, else a ready bearer token, else a machine account's id and secret.
 * Every combination that would leave it unclear which one is meant is refused, by name.
 */
function parseAuth(values: WrapValues): WrapAuth | undefined {
  const flow = parseFlow(values);
  const scopes = (values['oauth-scope'] ?? []).flatMap((scope) => scope.split(/\s+/).filter(Boolean));
  const clientId = values['oauth-client-id'];
  const clientSecretEnv = values['oauth-client-secret-env'];
  const clientName = values['oauth-client-name'];
  const bearerEnv = values['oauth-bearer-env'];
  if (flow === 'none') {
    const others = given(values, URL_ONLY).filter((flag) => flag.startsWith('--oauth') && flag !== '--oauth-flow');
    if (others.length > 0) throw new UsageError(`--oauth-flow none sends no credentials: drop ${others.join(', ')} or --oauth-flow none`, 'wrap');
    return undefined;
  }
  if (flow === 'browser') {
    if (bearerEnv !== undefined) throw new UsageError('--oauth-bearer-env is a token you already have: it cannot be combined with a browser sign-in (--oauth-flow browser, --oauth)', 'wrap');
    if (clientSecretEnv !== undefined && clientId === undefined) throw new UsageError('--oauth-client-secret-env needs --oauth-client-id (the client whose secret it is)', 'wrap');
    const port = parsePort(values['oauth-callback-port']);
    const store = values['oauth-store'];
    if (store === '') throw new UsageError('--oauth-store takes the path of a file for the tokens', 'wrap');
    return {
      kind: 'browser',
      scopes,
      ...(clientId !== undefined && { clientId }),
      ...(clientSecretEnv !== undefined && { clientSecretEnv }),
      ...(clientName !== undefined && { clientName }),
      ...(port !== undefined && { callbackPort: port }),
      openBrowser: values['oauth-no-open'] !== true,
      ...(store !== undefined && { store }),
    };
  }
  const browserOnly = given(values, BROWSER_ONLY);
  if (browserOnly.length > 0) throw new UsageError(`${browserOnly.join(', ')}: for a browser sign-in only; add --oauth-flow browser (or --oauth)`, 'wrap');
  if (bearerEnv !== undefined) {
    const clashing = given(values, ['oauth-client-id', 'oauth-client-secret-env', 'oauth-scope', 'oauth-client-name']);
    if (clashing.length > 0) throw new UsageError(`--oauth-bearer-env is a token you already have: drop ${clashing.join(', ')}`, 'wrap');
    return { kind: 'bearer', env: bearerEnv };
  }
  if (clientId !== undefined || clientSecretEnv !== undefined) {
    if (clientId === undefined || clientSecretEnv === undefined) {
      throw new UsageError(
        'a machine account (client credentials) needs both --oauth-client-id and --oauth-client-secret-env; for a browser sign-in add --oauth-flow browser (or --oauth)',
        'wrap',
      );
    }
    return { kind: 'machine', clientId, clientSecretEnv, scopes, ...(clientName !== undefined && { clientName }) };
  }
  const loose = given(values, ['oauth-scope', 'oauth-client-name']);
  if (loose.length > 0) {
    throw new UsageError(
      `${loose.join(', ')}: for a sign-in only; add --oauth-flow browser (or --oauth), or a machine account's --oauth-client-id and --oauth-client-secret-env`,
      'wrap',
    );
  }
  return undefined;
}

/** `--oauth` is mcplex's name for `--oauth-flow browser`; `none` says, explicitly, no OAuth. */
function parseFlow(values: WrapValues): 'browser' | 'none' | undefined {
  const text = values['oauth-flow'];
  if (text !== undefined && text !== 'browser' && text !== 'none') throw new UsageError(`--oauth-flow is browser or none (got "${text}")`, 'wrap');
  if (values.oauth === true) {
    if (text === 'none') throw new UsageError('--oauth (a browser sign-in) and --oauth-flow none contradict each other: keep one', 'wrap');
    return 'browser';
  }
  return text;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`--oauth-callback-port takes a port from 1 to 65535 (got "${text}")`, 'wrap');
  return port;
}

/** Two sources for one header would leave the upstream's answer to chance: the original refuses it too. */
function refuseAuthorizationHeader(headers: readonly (readonly [string, string])[], headerEnv: readonly (readonly [string, string])[], auth: WrapAuth): void {
  const flag = headers.some(([name]) => name.toLowerCase() === 'authorization')
    ? '--header'
    : headerEnv.some(([name]) => name.toLowerCase() === 'authorization')
      ? '--header-env'
      : undefined;
  if (flag === undefined) return;
  const source = auth.kind === 'bearer' ? '--oauth-bearer-env' : auth.kind === 'machine' ? '--oauth-client-id/--oauth-client-secret-env' : 'the OAuth sign-in';
  throw new UsageError(`${flag} Authorization and ${source} would both set the Authorization header: keep one`, 'wrap');
}

/** The flags of `names` present on the command line, as the user wrote them. */
function given(values: WrapValues, names: readonly (keyof WrapValues)[]): string[] {
  return names.filter((name) => values[name] !== undefined).map((name) => `--${String(name)}`);
}

function splitPair(text: string, separator: string, shape: string): readonly [string, string] {
  const at = text.indexOf(separator);
  const name = text.slice(0, at).trim();
  if (at <= 0 || name === '') throw new UsageError(`expected ${shape} (got "${text}")`, 'wrap');
  return [name, text.slice(at + 1).trim()];
}
