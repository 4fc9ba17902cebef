/**
 * The `mcplex.*` settings, typed. Settings are untrusted input (a hand-edited
 * settings.json can hold anything), so every key passes through a `from(value)` that
 * returns a valid value or the default; nothing raw goes further in. `mcplex.servers` is
 * the exception that proves the rule: its content is validated by the core's config
 * loader, which reports problems with positions; here it only has to be an object.
 */
export const SETTINGS_SECTION = 'mcplex';

import { EXPOSURES, type Exposure } from '../../core/config';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../core/wire';

export type { Exposure };
export type Startup = 'eager' | 'onDemand';

/** What a workspace folder's settings say (resource scope: a folder may override them). */
export interface FolderSettings {
  /** The same shape as the file's `servers`; the core validates it. */
  readonly servers?: Readonly<Record<string, unknown>>;
  readonly separator?: string;
  readonly note?: string;
  readonly exposure: Exposure;
  readonly toolPrefix: boolean;
}

/** The slice of `vscode.WorkspaceConfiguration` this module reads. */
export interface ConfigurationReader {
  get(key: string): unknown;
}

export const DEFAULT_EXPOSURE: Exposure = 'instances';
/**
 * VS Code already puts `mcp_<slug>_` before every tool, and the slug names the account,
 * so prefixing the tool name as well would make the model read the prefix twice.
 */
export const DEFAULT_TOOL_PREFIX = false;
export const DEFAULT_STARTUP: Startup = 'eager';

const MIB = 1024 * 1024;
/** `mcplex.maxMessageMB`: the core's cap, in whole MiB as `mcplex serve --max-message-mb` takes it. */
export const DEFAULT_MAX_MESSAGE_MB = DEFAULT_MAX_MESSAGE_BYTES / MIB;
/**
 * Past 512 MiB V8 cannot decode a line at all, and the extension host it would fail is every
 * extension's (see core/wire/messageSize.ts): a larger setting is refused, not obeyed.
 */
export const MAX_MAX_MESSAGE_MB = 512;

/** One `from` per key: a valid value, or the default (`undefined` where the core has one). */
export const settingFrom = {
  servers(value: unknown): Readonly<Record<string, unknown>> | undefined {
    return isPlainObject(value) && Object.keys(value).length > 0 ? value : undefined;
  },
  /** The core checks the characters (and warns about `:` and `.`); here only the type. */
  separator(value: unknown): string | undefined {
    return typeof value === 'string' && value !== '' ? value : undefined;
  },
  note(value: unknown): string | undefined {
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  },
  exposure(value: unknown): Exposure {
    return EXPOSURES.find((exposure) => exposure === value) ?? DEFAULT_EXPOSURE;
  },
  toolPrefix(value: unknown): boolean {
    return typeof value === 'boolean' ? value : DEFAULT_TOOL_PREFIX;
  },
  startup(value: unknown): Startup {
    return value === 'eager' || value === 'onDemand' ? value : DEFAULT_STARTUP;
  },
  maxMessageMB(value: unknown): number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_MAX_MESSAGE_MB ? value : DEFAULT_MAX_MESSAGE_MB;
  },
} as const;

export function readFolderSettings(config: ConfigurationReader): FolderSettings {
  const servers = settingFrom.servers(config.get('servers'));
  const separator = settingFrom.separator(config.get('separator'));
  const note = settingFrom.note(config.get('note'));
  return {
    ...(servers === undefined ? {} : { servers }),
    ...(separator === undefined ? {} : { separator }),
    ...(note === undefined ? {} : { note }),
    exposure: settingFrom.exposure(config.get('exposure')),
    toolPrefix: settingFrom.toolPrefix(config.get('toolPrefix')),
  };
}

/** `mcplex.startup` is read once, when the runtime starts (window scope). */
export function readStartup(config: ConfigurationReader): Startup {
  return settingFrom.startup(config.get('startup'));
}

/** `mcplex.maxMessageMB`, in bytes: read once, when the runtime starts (window scope), as the upstreams' cap. */
export function readMaxMessageBytes(config: ConfigurationReader): number {
  return settingFrom.maxMessageMB(config.get('maxMessageMB')) * MIB;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
