/**
 * What importing `.vscode/mcp.json` yields: one server per thing that is started, with the
 * accounts its entries were. A plain entry is one server whose first instance is the account
 * being added; entries that wrap the same server in the single-prefix proxy (`mcplexer
 * --prefix work -- cmd`) become that one server, each entry an instance with the proxy's
 * prefix and label. An import puts what belongs to the account (the env values) into the
 * instance, not the server, so the next account does not silently inherit them.
 */
import type { LaunchFields, ServerFields } from './configEdits';
import { importedServerFields, type McpJsonServer } from './mcpJson';
import { unwrapProxy } from './unwrapProxy';

export interface ImportedEntry {
  /** Its name under mcp.json's `servers`: what "remove it from mcp.json" removes. */
  readonly name: string;
  /** The account the proxy gave it, when it wrapped one. */
  readonly prefix?: string;
  readonly label?: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface ImportGroup {
  /** What the server is shown as: the entry's name, or the common part of the wrapped entries' names. */
  readonly name: string;
  /** The server as it is started (unwrapped), env of the first entry. */
  readonly server: McpJsonServer;
  readonly entries: readonly ImportedEntry[];
}

/** The servers an import of these entries would write, in file order. */
export function importGroups(servers: readonly McpJsonServer[]): ImportGroup[] {
  const groups: { name: string; server: McpJsonServer; entries: ImportedEntry[]; key: string | undefined }[] = [];
  for (const server of servers) {
    const inner = server.command === undefined ? undefined : unwrapProxy(server.command, server.args);
    if (inner === undefined) {
      groups.push({ name: server.name, server, entries: [{ name: server.name, env: server.env }], key: undefined });
      continue;
    }
    const entry: ImportedEntry = {
      name: server.name,
      ...(inner.prefix !== undefined && { prefix: inner.prefix }),
      ...(inner.label !== undefined && { label: inner.label }),
      env: server.env,
    };
    const key = JSON.stringify([inner.command, inner.args, server.cwd ?? null]);
    const same = groups.find((group) => group.key === key && !group.entries.some((other) => other.prefix === entry.prefix));
    if (same !== undefined) {
      same.entries.push(entry);
      same.name = commonName(same.name, server.name);
      continue;
    }
    const unwrapped: McpJsonServer = { ...server, command: inner.command, args: inner.args };
    groups.push({ name: withoutAccount(server.name, entry), server: unwrapped, entries: [entry], key });
  }
  return groups.map(({ name, server, entries }) => ({ name, server, entries }));
}

export interface ImportedServer {
  /** The server's fields, without the values of any one account. */
  readonly server: ServerFields;
  /** Prefix → the fields of each account a wrapped entry named. */
  readonly instances: Readonly<Record<string, LaunchFields>>;
  /** The account values of the entry that has no prefix of its own: the first instance's. */
  readonly firstInstance: LaunchFields;
}

/**
 * The server and its instances for `.mcplex.jsonc`: `${input:id}` as secrets
 * (`importedServerFields`), the entries' env values in their instances.
 */
export function importedServer(serverId: string, group: ImportGroup): ImportedServer {
  const { env: _env, ...server } = importedServerFields(serverId, { ...group.server, env: {} });
  const fieldsOf = (entry: ImportedEntry): LaunchFields => {
    const env = importedServerFields(serverId, { ...group.server, env: entry.env }).env;
    return { ...(entry.label !== undefined && { label: entry.label }), ...(env !== undefined && { env }) };
  };
  const instances: Record<string, LaunchFields> = {};
  let firstInstance: LaunchFields = {};
  for (const entry of group.entries) {
    if (entry.prefix === undefined) firstInstance = fieldsOf(entry);
    else instances[entry.prefix] = fieldsOf(entry);
  }
  return { server: { ...server, label: group.name }, instances, firstInstance };
}

/** `memory-work` wrapped with prefix `work` → `memory`; the name when nothing is left. */
function withoutAccount(name: string, entry: ImportedEntry): string {
  for (const word of [entry.prefix, entry.label]) {
    if (word === undefined || word === '') continue;
    const stripped = name.replace(new RegExp(`[\\s_·(-]*${escape(word)}\\)?$`, 'i'), '').trim();
    if (stripped !== '' && stripped !== name) return stripped;
  }
  return name;
}

/** The longest common start of two names, without trailing separators; the first when none. */
function commonName(first: string, second: string): string {
  let length = 0;
  while (length < first.length && first[length]?.toLowerCase() === second[length]?.toLowerCase()) length += 1;
  const common = first.slice(0, length).replace(/[\s_·(-]+$/, '');
  return common === '' ? first : common;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
