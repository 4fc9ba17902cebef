/**
 * An instance inherits its server's fields and overrides any of them. `env` and
 * `headers` merge key by key; `tools.deny` adds to the server's list (a server-wide
 * ban cannot be lifted by one account); `tools.allow` and `tools.confirm` replace the server's (as do
 * `tools.readOnly` and `tools.pin`; `tools.describe` merges name by name); `auth`
 * replaces the server's whole (mixing two accounts' credentials key by key would make
 * a credential neither account has). Labels are not inherited: the server's and the
 * instance's are two separate names.
 */
import type { JsonPath, Problem } from '../problems';
import { DEFAULT_AUDIT, fieldKey, type AuditSettings, type AuthSpec, type InstanceConfig, type IsolateMode, type LaunchSettings, type RootsSetting, type ServerConfig, type ServerExposure, type SourceLocation, type ToolFilter, type Transport } from './model';
import { problemAt } from './positions';

export interface MergedInstance {
  readonly serverId: string;
  readonly instanceId: string;
  readonly serverLabel: string;
  readonly instanceLabel: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly url?: string;
  readonly transport?: Transport;
  readonly headers: Readonly<Record<string, string>>;
  readonly tools: ToolFilter;
  readonly auth?: AuthSpec;
  /** The instance's own `roots`, else the server's: one account's folders are never mixed into another's. */
  readonly roots?: RootsSetting;
  readonly isolate?: IsolateMode;
  readonly share?: readonly string[];
  /** `default: true` (an instance's own field: a server has one default account). */
  readonly isDefault: boolean;
  /** Field by field, the instance's over its server's, defaults filled in. */
  readonly audit: AuditSettings;
  /** The server's own `exposure` (a server-only field: its accounts are exposed together). */
  readonly exposure?: ServerExposure;
  readonly location: SourceLocation;
  /** Where a merged value (path relative to the instance, e.g. `['env', 'KEY']`) was written. */
  locate(relative: JsonPath): SourceLocation;
  /** Whether that value comes from the instance itself or is inherited from the server. */
  origin(relative: JsonPath): 'instance' | 'server';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function mergeInstance(
  serverId: string,
  server: ServerConfig,
  instanceId: string,
  instance: InstanceConfig,
): MergedInstance {
  const merged: Mutable<Omit<MergedInstance, 'locate' | 'origin'>> = {
    serverId,
    instanceId,
    serverLabel: server.label ?? serverId,
    instanceLabel: instance.label ?? instanceId,
    env: { ...server.env, ...instance.env },
    headers: { ...server.headers, ...instance.headers },
    tools: mergeTools(server.tools, instance.tools),
    isDefault: instance.default === true,
    audit: { ...DEFAULT_AUDIT, ...server.audit, ...instance.audit },
    location: instance.location,
  };
  const command = instance.command ?? server.command;
  const args = instance.args ?? server.args;
  const cwd = instance.cwd ?? server.cwd;
  const url = instance.url ?? server.url;
  const transport = instance.transport ?? server.transport;
  const auth = instance.auth ?? server.auth;
  if (command !== undefined) merged.command = command;
  if (args !== undefined) merged.args = args;
  if (cwd !== undefined) merged.cwd = cwd;
  if (url !== undefined) merged.url = url;
  if (transport !== undefined) merged.transport = transport;
  if (auth !== undefined) merged.auth = auth;
  const roots = instance.roots ?? server.roots;
  if (roots !== undefined) merged.roots = roots;
  if (server.exposure !== undefined) merged.exposure = server.exposure;
  const isolate = instance.isolate ?? server.isolate;
  const share = instance.share ?? server.share;
  if (isolate !== undefined) merged.isolate = isolate;
  if (share !== undefined) merged.share = share;
  const origin = (relative: JsonPath): 'instance' | 'server' =>
    setByInstance(instance, relative) ? 'instance' : 'server';
  const locate = (relative: JsonPath): SourceLocation => {
    const owner = origin(relative) === 'instance' ? instance : server;
    return owner.fieldLocations?.[fieldKey(relative)] ?? { ...owner.location, path: [...owner.location.path, ...relative] };
  };
  return { ...merged, locate, origin };
}

function mergeTools(server: ToolFilter | undefined, instance: ToolFilter | undefined): ToolFilter {
  const tools: Mutable<ToolFilter> = {};
  const allow = instance?.allow ?? server?.allow;
  if (allow !== undefined) tools.allow = allow;
  if (server?.deny !== undefined || instance?.deny !== undefined) {
    tools.deny = [...(server?.deny ?? []), ...(instance?.deny ?? [])];
  }
  mergeToolPolicy(tools, server, instance);
  // tools.confirm: the instance's list replaces the server's whole (an account may ask less or more).
  const confirm = instance?.confirm ?? server?.confirm;
  if (confirm !== undefined) tools.confirm = confirm;
  return tools;
}

/**
 * Issue 17's policy fields: `readOnly` and `pin`, the instance's value wins (so one account
 * may be read-only and the other not); `describe` merges name by name, the instance's text winning.
 */
function mergeToolPolicy(tools: Mutable<ToolFilter>, server: ToolFilter | undefined, instance: ToolFilter | undefined): void {
  const readOnly = instance?.readOnly ?? server?.readOnly;
  if (readOnly !== undefined) tools.readOnly = readOnly;
  const pin = instance?.pin ?? server?.pin;
  if (pin !== undefined) tools.pin = pin;
  if (server?.describe !== undefined || instance?.describe !== undefined) tools.describe = { ...server?.describe, ...instance?.describe };
}

/** The instance's own value wins: for env and headers key by key, otherwise field by field. */
function setByInstance(instance: InstanceConfig, relative: JsonPath): boolean {
  const [field, key] = relative;
  if ((field === 'env' || field === 'headers') && typeof key === 'string') return instance[field]?.[key] !== undefined;
  return instance[field as keyof LaunchSettings] !== undefined;
}

/**
 * After merging, an instance runs a local `command` or reaches a `url`, never both and
 * never neither. Fields that only one kind uses are warned about when set on the other.
 */
export function checkMergedInstance(merged: MergedInstance): Problem[] {
  const { serverId, instanceId } = merged;
  const instance = `instance \`${instanceId}\` of server \`${serverId}\``;
  const who = `Instance \`${instanceId}\` of server \`${serverId}\``;
  const origin = (field: 'command' | 'url'): string => `the ${merged.origin([field])}`;
  if (merged.command !== undefined && merged.url !== undefined) {
    return [
      problemAt(
        'error',
        'conflict',
        merged.location,
        `${who} has both \`command\` (from ${origin('command')}) and \`url\` (from ${origin('url')}); keep exactly one: \`command\` starts a local server, \`url\` connects to a remote one.`,
      ),
    ];
  }
  if (merged.command === undefined && merged.url === undefined) {
    return [
      problemAt(
        'error',
        'missing-field',
        merged.location,
        `${who} has neither \`command\` nor \`url\`; set one on the server or on the instance.`,
      ),
    ];
  }
  const local = merged.command !== undefined;
  if (!local && merged.isolate !== undefined && merged.isolate !== 'none') {
    return [
      problemAt(
        'error',
        'invalid-value',
        merged.locate(['isolate']),
        `${who} connects to a \`url\`, but \`isolate\` (from the ${merged.origin(['isolate'])}) only applies to a local \`command\`: mcplex starts no process for a remote server. Remove it, or give the instance a private folder through \`\${instanceDir}\` in a header.`,
      ),
    ];
  }
  const unused: (keyof LaunchSettings)[] = local ? ['headers', 'transport', 'auth'] : ['args', 'env', 'cwd'];
  const problems: Problem[] = [];
  for (const field of unused) {
    const value = merged[field as keyof MergedInstance];
    const isSet = typeof value === 'object' && value !== null ? Object.keys(value).length > 0 : value !== undefined;
    if (!isSet) continue;
    const kind = local
      ? `a remote server (\`url\`), but ${instance} runs a local \`command\``
      : `a local \`command\`, but ${instance} connects to a \`url\``;
    problems.push(
      problemAt('warning', 'ignored-field', merged.locate([field]), `\`${field}\` only applies to ${kind}; it is ignored. Remove it.`),
    );
  }
  if (merged.share !== undefined && merged.share.length > 0 && merged.isolate !== 'home') {
    problems.push(
      problemAt(
        'warning',
        'ignored-field',
        merged.locate(['share']),
        `\`share\` of ${instance} only applies with \`"isolate": "home"\` (it keeps entries of the real home in the private one); it is ignored.`,
      ),
    );
  }
  return problems;
}
