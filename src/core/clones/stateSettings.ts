/**
 * Where popular MCP servers keep an account's state, and the setting that moves it. Two
 * instances of one of these servers started alike share that state (one memory file, one
 * token cache, one browser profile): the clone warning names the setting, and the quick
 * fix writes a `${instanceDir}` value into it. Measured against the packages themselves
 * (see the README's isolation section); a server not listed gets the general advice only.
 */

/** One setting that moves a server's state: an environment variable or a command-line option. */
export type StateSetting =
  | { readonly kind: 'env'; readonly name: string; readonly value: string }
  /** Written as two arguments, `flag value`; `flag=value` is recognised when reading. */
  | { readonly kind: 'arg'; readonly flag: string; readonly value: string };

export interface KnownServer {
  /** The npm package, as `npx -y <package>` names it. */
  readonly packageName: string;
  /** Its short name in messages (`server-memory`). */
  readonly name: string;
  /** What it keeps at one path, after the name: `keeps its data at one path`. */
  readonly keeps: string;
  /** Its executables, when run without npx (`mcp-server-memory`). */
  readonly bins: readonly string[];
  readonly settings: readonly StateSetting[];
}

const INSTANCE_DIR = '${instanceDir}';

export const KNOWN_SERVERS: readonly KnownServer[] = [
  {
    packageName: '@modelcontextprotocol/server-memory',
    name: 'server-memory',
    keeps: 'keeps its data at one path',
    bins: ['mcp-server-memory'],
    settings: [{ kind: 'env', name: 'MEMORY_FILE_PATH', value: `${INSTANCE_DIR}/memory.jsonl` }],
  },
  {
    packageName: '@cocal/google-calendar-mcp',
    name: 'Google Calendar',
    keeps: 'keeps its tokens at one path',
    bins: ['google-calendar-mcp'],
    settings: [{ kind: 'env', name: 'GOOGLE_CALENDAR_MCP_TOKEN_PATH', value: `${INSTANCE_DIR}/tokens.json` }],
  },
  {
    packageName: '@gongrzhe/server-gmail-autoauth-mcp',
    name: 'Gmail',
    keeps: 'keeps its credentials at one path',
    bins: ['gmail-mcp'],
    // Only the account's token: GMAIL_OAUTH_PATH names the OAuth client's keys, which the
    // accounts may share and which would be missing from a new folder.
    settings: [{ kind: 'env', name: 'GMAIL_CREDENTIALS_PATH', value: `${INSTANCE_DIR}/credentials.json` }],
  },
  {
    packageName: 'mcp-remote',
    name: 'mcp-remote',
    keeps: 'keeps its OAuth tokens at one path',
    bins: ['mcp-remote'],
    settings: [{ kind: 'env', name: 'MCP_REMOTE_CONFIG_DIR', value: `${INSTANCE_DIR}/mcp-auth` }],
  },
  {
    packageName: '@playwright/mcp',
    name: 'Playwright',
    keeps: 'keeps its browser profile at one path (the second fails "Browser is already in use")',
    bins: ['mcp-server-playwright'],
    settings: [{ kind: 'arg', flag: '--user-data-dir', value: `${INSTANCE_DIR}/profile` }],
  },
  {
    packageName: '@softeria/ms-365-mcp-server',
    name: 'ms-365',
    keeps: 'keeps its token cache and selected account at one path',
    bins: ['ms-365-mcp-server'],
    settings: [
      { kind: 'env', name: 'MS365_MCP_TOKEN_CACHE_PATH', value: `${INSTANCE_DIR}/token-cache.json` },
      { kind: 'env', name: 'MS365_MCP_SELECTED_ACCOUNT_PATH', value: `${INSTANCE_DIR}/selected-account.json` },
    ],
  },
];

/**
 * The known server a command line starts, from the package it names (`npx -y
 * @modelcontextprotocol/server-memory`, `pkg@1.2.3`, a path into `node_modules/pkg/`) or
 * its executable (`mcp-remote`); undefined when it names none.
 */
export function knownServerOf(command: string | undefined, args: readonly string[] = []): KnownServer | undefined {
  const tokens = [...(command === undefined ? [] : [command]), ...args];
  return KNOWN_SERVERS.find((server) => tokens.some((token) => names(server, token)));
}

function names(server: KnownServer, token: string): boolean {
  const { packageName } = server;
  if (token === packageName || token.startsWith(`${packageName}@`)) return true;
  const normalised = token.replaceAll('\\', '/');
  if (normalised.includes(`/node_modules/${packageName}/`)) return true;
  const base = normalised.slice(normalised.lastIndexOf('/') + 1).replace(/\.(cmd|exe|js|mjs)$/i, '');
  return server.bins.includes(base);
}

/** `set MEMORY_FILE_PATH to "…"`, `pass --user-data-dir "…"`: the setting in the user's words. */
export function describeSetting(setting: StateSetting): string {
  return setting.kind === 'env' ? `set ${setting.name} to "${setting.value}"` : `pass ${setting.flag} "${setting.value}"`;
}
