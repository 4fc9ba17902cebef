/**
 * "Copy Configuration for Another Client": the text that makes another MCP client start one
 * instance (or a folder's instances behind one endpoint) through the `mcplex` CLI from npm,
 * `npx mcplex serve --config <the folder's .mcplex.jsonc> [--instance server/id]`
 * (`cmd /c npx …` on Windows for clients that spawn without a shell).
 * No secret is in it: the CLI resolves `${secret:…}` from its own store when it starts.
 */
import { shellLine, type Shell } from './shellQuote';

export type ClientKind = 'claude-code' | 'claude-code-json' | 'cursor' | 'copilot-cli' | 'mcp-json';

export interface ClientInfo {
  readonly kind: ClientKind;
  readonly label: string;
  /** Where the text goes, as the client's documentation names it. */
  readonly where: string;
  /** The text's language, for an editor that shows it. */
  readonly language: 'json' | 'shellscript';
}

/** In the order the picker offers them. */
export const CLIENTS: readonly ClientInfo[] = [
  { kind: 'claude-code', label: 'Claude Code (command line)', where: 'a terminal: `claude mcp add`', language: 'shellscript' },
  { kind: 'claude-code-json', label: 'Claude Code (.mcp.json)', where: '.mcp.json at the root of a project', language: 'json' },
  { kind: 'cursor', label: 'Cursor', where: '.cursor/mcp.json (or ~/.cursor/mcp.json)', language: 'json' },
  { kind: 'copilot-cli', label: 'GitHub Copilot CLI', where: '~/.copilot/mcp-config.json', language: 'json' },
  { kind: 'mcp-json', label: 'VS Code mcp.json', where: '.vscode/mcp.json, or the user mcp.json of another VS Code', language: 'json' },
];

/** What the entry serves: one instance (`instance`: its key, `server/id`), or every instance of the file. */
export interface ServeTarget {
  /** The entry's name in the client (`entryName`). */
  readonly name: string;
  /** The absolute path of the folder's `.mcplex.jsonc`. */
  readonly config: string;
  readonly instance?: string;
}

export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
}

/** The command every client runs: the CLI's `serve` over stdio (its default). */
export function serveLaunch(target: ServeTarget): Launch {
  return { command: 'npx', args: ['mcplex', 'serve', '--config', target.config, ...(target.instance === undefined ? [] : ['--instance', target.instance])] };
}

/**
 * The launch as `client` on `platform` can start it. On Windows `npx` is `npx.cmd`, a batch
 * file that Claude Code, Cursor and Copilot CLI cannot spawn without a shell (Node refuses
 * .cmd files without one), so theirs goes through `cmd /c`, as Claude Code's own docs advise
 * on native Windows. VS Code resolves `npx` to `npx.cmd` itself: its mcp.json keeps `npx`.
 */
export function clientLaunch(client: ClientKind, target: ServeTarget, platform: NodeJS.Platform): Launch {
  const launch = serveLaunch(target);
  if (platform !== 'win32' || client === 'mcp-json') return launch;
  return { command: 'cmd', args: ['/c', launch.command, ...launch.args] };
}

/** The entry's text; `platform` is where the client runs (the extension's `process.platform`). */
export function clientConfig(client: ClientKind, target: ServeTarget, platform: NodeJS.Platform): string {
  const { command, args } = clientLaunch(client, target, platform);
  switch (client) {
    case 'claude-code':
      // `--` ends claude's own options: what follows is the server's command line.
      return `${shellLine(['claude', 'mcp', 'add', target.name, '--', command, ...args], shellOf(platform))}\n`;
    case 'claude-code-json':
      return json({ mcpServers: { [target.name]: { type: 'stdio', command, args } } });
    case 'cursor':
      return json({ mcpServers: { [target.name]: { command, args } } });
    case 'copilot-cli':
      // Copilot CLI requires `tools`; "*" lets every tool of the endpoint through, as mcplex filtered it.
      return json({ mcpServers: { [target.name]: { type: 'local', command, args, tools: ['*'] } } });
    case 'mcp-json':
      return json({ servers: { [target.name]: { type: 'stdio', command, args } } });
  }
}

/** cmd.exe and PowerShell both read double quotes; everywhere else a POSIX shell. */
function shellOf(platform: NodeJS.Platform): Shell {
  return platform === 'win32' ? 'windows' : 'posix';
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
