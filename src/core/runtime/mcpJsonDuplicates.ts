/**
 * One place per account: an mcplex instance that starts what an active server of the
 * folder's `.vscode/mcp.json` starts (the same command and arguments, or the same url) runs
 * beside it, and the model reaches that account twice, once without its note. Each such
 * instance gets a warning at its place in the configuration and names the mcp.json entry,
 * which the tree offers to remove. Pure: the mcp.json text and the planned instances.
 *
 * mcp.json values are compared after the substitutions mcplex can do the same way
 * (`${workspaceFolder}`, `${userHome}`, `${env:NAME}`); any other `${…}` (an input VS Code
 * asks for) matches whatever the instance has there. An entry that wraps a server in the
 * single-prefix proxy is compared by the server inside, and only with the instance of its prefix.
 */
import { parseMcpJson, unwrapProxy, type McpJsonServer } from '../edit';
import type { UpstreamSpec } from '../config';
import type { WindowInstance } from '../plan';
import type { Problem } from '../problems';

export const DUPLICATE_OF_MCP_JSON = 'duplicate-of-mcp-json';

export interface McpJsonContext {
  readonly workspaceFolder: string;
  readonly userHome: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface McpJsonDuplicates {
  /** Window instance id → the name of the mcp.json server it duplicates. */
  readonly byInstance: ReadonlyMap<string, string>;
  readonly problems: readonly Problem[];
}

export function findMcpJsonDuplicates(mcpJsonText: string, instances: readonly WindowInstance[], context: McpJsonContext): McpJsonDuplicates {
  let servers: McpJsonServer[];
  try {
    servers = parseMcpJson(mcpJsonText);
  } catch {
    return { byInstance: new Map(), problems: [] }; // VS Code reports a broken mcp.json itself.
  }
  const byInstance = new Map<string, string>();
  const problems: Problem[] = [];
  for (const instance of instances) {
    const upstream = instance.planned?.upstream;
    if (upstream === undefined) continue;
    const server = servers.find((candidate) => startsTheSame(candidate, upstream, instance.prefix, context));
    if (server === undefined) continue;
    byInstance.set(instance.id, server.name);
    const { location } = instance;
    problems.push({
      severity: 'warning',
      code: DUPLICATE_OF_MCP_JSON,
      message: `"${instance.label}" starts the same server as "${server.name}" in .vscode/mcp.json, which VS Code runs too: the model reaches this account twice, once without its note. Remove "${server.name}" from mcp.json ("MCPlex: Remove from mcp.json" on the instance).`,
      file: location.file,
      line: location.line,
      column: location.column,
      offset: location.offset,
      length: location.length,
      path: location.path,
    });
  }
  return { byInstance, problems };
}

function startsTheSame(server: McpJsonServer, upstream: UpstreamSpec, prefix: string, context: McpJsonContext): boolean {
  if (upstream.kind === 'remote') {
    return server.url !== undefined && matches(server.url.replace(/\/+$/, ''), upstream.url.replace(/\/+$/, ''), context);
  }
  if (server.command === undefined) return false;
  const inner = unwrapProxy(server.command, server.args);
  if (inner?.prefix !== undefined && inner.prefix !== prefix) return false;
  const command = inner?.command ?? server.command;
  const args = inner?.args ?? server.args;
  if (!matches(command, upstream.command, context) || args.length !== upstream.args.length) return false;
  if (!args.every((arg, index) => matches(arg, upstream.args[index] ?? '', context))) return false;
  // Both set a variable differently: another account of the same server, not this one.
  return Object.entries(server.env).every(([key, value]) => upstream.env[key] === undefined || matches(value, upstream.env[key], context));
}

/** Does the mcp.json template `pattern` produce `value`? */
function matches(pattern: string, value: string, context: McpJsonContext): boolean {
  let source = '';
  let last = 0;
  for (const match of pattern.matchAll(/\$\{([^}]*)\}/g)) {
    source += escape(pattern.slice(last, match.index));
    const known = substitute(match[1] ?? '', context);
    source += known === undefined ? '[\\s\\S]*' : escape(known);
    last = match.index + match[0].length;
  }
  source += escape(pattern.slice(last));
  return new RegExp(`^${source}$`).test(value);
}

function substitute(name: string, context: McpJsonContext): string | undefined {
  if (name === 'workspaceFolder') return context.workspaceFolder;
  if (name === 'userHome') return context.userHome;
  if (name.startsWith('env:')) return context.env[name.slice(4)] ?? '';
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
