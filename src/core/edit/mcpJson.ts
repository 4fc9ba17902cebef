/**
 * VS Code's own MCP configuration (`.vscode/mcp.json`): `servers` by name, each
 * `{ type?, command, args, env, cwd?, url, headers }`, and `inputs` that values reference as
 * `${input:id}` (VS Code prompts for them). mcplex imports such a server: every
 * `${input:id}` becomes `${secret:NAME}` (the flow asks for the value and stores it in
 * SecretStorage), so nothing secret is copied into `.mcplex.jsonc`.
 */
import { parse, type ParseError } from 'jsonc-parser';
import { tooDeepAt, tooDeepMessage, withoutByteOrderMark } from '../config';
import { sanitizeName } from '../naming';
import type { ServerFields } from './configEdits';
import { EditError } from './errors';

export interface McpJsonInput {
  readonly id: string;
  readonly description?: string;
  readonly password: boolean;
}

export interface McpJsonServer {
  /** The name under `servers`. */
  readonly name: string;
  readonly kind: 'stdio' | 'remote';
  readonly command?: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly url?: string;
  /** `http` or `sse` when the file says so. */
  readonly transport?: 'http' | 'sse';
  readonly headers: Readonly<Record<string, string>>;
  /** The inputs its values reference, in order of first use. */
  readonly inputs: readonly McpJsonInput[];
}

/** The servers of an mcp.json text; servers it cannot read are skipped (VS Code reports those). */
export function parseMcpJson(text: string): McpJsonServer[] {
  const parsable = withoutByteOrderMark(text);
  if (tooDeepAt(parsable) !== undefined) throw new EditError('unparsable', `.vscode/mcp.json: ${tooDeepMessage()}`);
  const errors: ParseError[] = [];
  const document: unknown = parse(parsable, errors, { allowTrailingComma: true });
  if (!isRecord(document)) {
    throw new EditError('unparsable', '.vscode/mcp.json does not parse as an object; fix it in VS Code and try again.');
  }
  const inputs = new Map<string, McpJsonInput>();
  for (const input of Array.isArray(document['inputs']) ? document['inputs'] : []) {
    if (!isRecord(input) || typeof input['id'] !== 'string') continue;
    const description = typeof input['description'] === 'string' ? input['description'] : undefined;
    inputs.set(input['id'], { id: input['id'], ...(description !== undefined && { description }), password: input['password'] === true });
  }
  const servers = isRecord(document['servers']) ? document['servers'] : {};
  return Object.entries(servers).flatMap(([name, raw]) => {
    const server = readServer(name, raw, inputs);
    return server === undefined ? [] : [server];
  });
}

/** The secret an input becomes: `<server>-<input>`, in the characters secret names keep. */
export function secretNameForInput(serverId: string, inputId: string): string {
  return `${serverId}-${sanitizeName(inputId).replace(/_+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'secret'}`;
}

/** A server id for `.mcplex.jsonc` from an mcp.json name (`GitHub MCP` → `github-mcp`). */
export function serverIdFor(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  return id === '' ? 'server' : id;
}

/** The server's fields for `.mcplex.jsonc`, every `${input:id}` replaced by its secret. */
export function importedServerFields(serverId: string, server: McpJsonServer): ServerFields {
  const convert = (value: string): string => value.replace(/\$\{input:([^}]+)\}/g, (_, id: string) => `\${secret:${secretNameForInput(serverId, id)}}`);
  const map = (record: Readonly<Record<string, string>>): Record<string, string> =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, convert(value)]));
  return {
    label: server.name,
    ...(server.command !== undefined && { command: convert(server.command) }),
    ...(server.args.length > 0 && { args: server.args.map(convert) }),
    ...(Object.keys(server.env).length > 0 && { env: map(server.env) }),
    ...(server.cwd !== undefined && { cwd: convert(server.cwd) }),
    ...(server.url !== undefined && { url: convert(server.url) }),
    ...(server.transport !== undefined && { transport: server.transport }),
    ...(Object.keys(server.headers).length > 0 && { headers: map(server.headers) }),
  };
}

function readServer(name: string, raw: unknown, inputs: ReadonlyMap<string, McpJsonInput>): McpJsonServer | undefined {
  if (!isRecord(raw)) return undefined;
  const command = typeof raw['command'] === 'string' ? raw['command'] : undefined;
  const url = typeof raw['url'] === 'string' ? raw['url'] : undefined;
  if ((command === undefined) === (url === undefined)) return undefined;
  const args = Array.isArray(raw['args']) ? raw['args'].filter((arg): arg is string => typeof arg === 'string') : [];
  const env = stringRecord(raw['env']);
  const headers = stringRecord(raw['headers']);
  const cwd = typeof raw['cwd'] === 'string' ? raw['cwd'] : undefined;
  const type = raw['type'];
  const transport = type === 'sse' ? 'sse' : type === 'http' ? 'http' : undefined;
  const used: McpJsonInput[] = [];
  const values = [command, url, cwd, ...args, ...Object.values(env), ...Object.values(headers)];
  for (const value of values) {
    for (const match of (value ?? '').matchAll(/\$\{input:([^}]+)\}/g)) {
      const id = match[1] ?? '';
      if (used.some((input) => input.id === id)) continue;
      used.push(inputs.get(id) ?? { id, password: true });
    }
  }
  return {
    name,
    kind: command !== undefined ? 'stdio' : 'remote',
    ...(command !== undefined && { command }),
    args,
    env,
    ...(cwd !== undefined && { cwd }),
    ...(url !== undefined && { url }),
    ...(transport !== undefined && { transport }),
    headers,
    inputs: used,
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
